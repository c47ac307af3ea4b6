"""Saved filters: a user names a view of the ticket list or the queue, finds it again, and deletes it."""

from __future__ import annotations

from sqlalchemy import select

from satukanal.saved_filters.models import SavedFilter
from tests.web_helpers import signed_in, token


def test_a_user_saves_a_ticket_view_and_opens_it_again(client, login, app, two_tickets):
    water, road = two_tickets
    login()
    page = client.get("/tiket/?opd=pdam&halaman=1").get_data(as_text=True)
    saved = client.post(
        "/filter/tiket",
        data={"csrf_token": token(page), "name": "  Air   PDAM ", "query": "opd=pdam&halaman=1&_external=1"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Filter “Air PDAM” disimpan." in saved and water in saved and road not in saved
    with app.sessions() as session:
        assert session.scalar(select(SavedFilter.query)) == "opd=pdam", "only the list's own filters are kept"
    listing = client.get("/tiket/").get_data(as_text=True)
    assert 'href="/tiket/?opd=pdam">Air PDAM</a>' in listing

    client.post(
        "/filter/tiket", data={"csrf_token": token(page), "name": "Air PDAM", "query": "opd=pdam&tenggat=lewat"}
    )
    with app.sessions() as session:
        assert session.scalars(select(SavedFilter.query)).all() == ["opd=pdam&tenggat=lewat"], "same name replaces"


def test_a_view_without_filters_or_name_is_refused_and_views_are_private(client, login, app, web, two_tickets):
    login()
    page = client.get("/tiket/?opd=pdam").get_data(as_text=True)
    empty = client.post(
        "/filter/tiket", data={"csrf_token": token(page), "name": "x", "query": "halaman=2"}, follow_redirects=True
    )
    assert "Filter tidak disimpan: tidak ada filter yang dipilih untuk disimpan." in empty.get_data(as_text=True)
    unnamed = client.post(
        "/filter/tiket", data={"csrf_token": token(page), "name": " ", "query": "opd=pdam"}, follow_redirects=True
    )
    assert "beri nama" in unnamed.get_data(as_text=True)
    client.post("/filter/tiket", data={"csrf_token": token(page), "name": "Punyaku", "query": "opd=pdam"})
    with app.sessions() as session:
        (saved,) = session.scalars(select(SavedFilter)).all()

    other = signed_in(web, "liaison-pdam")
    theirs = other.get("/tiket/").get_data(as_text=True)
    assert "Punyaku" not in theirs
    other.post(f"/filter/tiket/{saved.id}/hapus", data={"csrf_token": token(theirs)})
    with app.sessions() as session:
        assert session.scalar(select(SavedFilter.id)) == saved.id, "another user cannot delete it"

    gone = client.post(f"/filter/tiket/{saved.id}/hapus", data={"csrf_token": token(page)}, follow_redirects=True)
    assert "Filter dihapus." in gone.get_data(as_text=True)
    assert client.post("/filter/lain", data={"csrf_token": token(page)}).status_code == 404
