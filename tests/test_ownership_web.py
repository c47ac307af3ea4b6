"""Ownership in the web app: taking, releasing and handing over tickets and queue posts, "Milik saya", audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from satukanal.models import AuditEntry, Post, Ticket
from satukanal.notifications.service import recent
from satukanal.users.service import add_user, get_user
from tests.factories import add_posts, record
from tests.web_helpers import PASSWORD, signed_in, token


def owner_of(app, number: str) -> str | None:
    with app.sessions() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.number == number))
        return ticket.owner.username if ticket.owner else None


def test_a_moderator_takes_a_ticket_and_finds_it_under_milik_saya(client, login, app, two_tickets):
    water, road = two_tickets
    login()
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    assert "Pemegang: <strong>belum ada</strong>" in page
    taken = client.post(
        f"/tiket/{water}/pemegang", data={"csrf_token": token(page), "pemegang": "moderator1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert f"Tiket {water} sekarang dipegang Anda." in taken and "Anda (moderator1)" in taken
    assert owner_of(app, water) == "moderator1"

    mine = client.get("/tiket/?milik=saya").get_data(as_text=True)
    assert water in mine and road not in mine
    assert re.search(r'aria-label="1 tiket terbuka milik saya"', mine), "the navigation counts my open tickets"
    assert client.get("/tiket/?milik=siapa").status_code == 400

    released = client.post(
        f"/tiket/{water}/pemegang", data={"csrf_token": token(taken), "pemegang": ""}, follow_redirects=True
    ).get_data(as_text=True)
    assert f"Tiket {water} dilepas." in released and owner_of(app, water) is None
    unknown = client.post(
        f"/tiket/{water}/pemegang", data={"csrf_token": token(taken), "pemegang": "siapa"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Pemegang tidak diubah: pengguna siapa tidak ada" in unknown and owner_of(app, water) is None
    with app.sessions() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "ticket.assign")).all()
        assert [(entry.before, entry.after) for entry in entries] == [
            ({"owner": None}, {"owner": "moderator1"}),
            ({"owner": "moderator1"}, {"owner": None}),
        ]


def test_handing_a_ticket_to_a_liaison_notifies_them_and_only_its_agency_may_hold_it(client, login, app, two_tickets):
    water, road = two_tickets
    login()
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    assert '<option value="liaison-pdam">' in page
    assert '<option value="liaison-pdam">' not in client.get(f"/tiket/{road}").get_data(as_text=True)

    client.post(f"/tiket/{water}/pemegang", data={"csrf_token": token(page), "pemegang": "liaison-pdam"})
    refused = client.post(
        f"/tiket/{road}/pemegang", data={"csrf_token": token(page), "pemegang": "liaison-pdam"}, follow_redirects=True
    ).get_data(as_text=True)

    assert owner_of(app, water) == "liaison-pdam" and owner_of(app, road) is None
    assert "Pemegang tidak diubah: liaison-pdam tidak dapat memegang" in refused
    with app.sessions() as session:
        texts = [item.text for item in recent(session, get_user(session, "liaison-pdam").id, 10)]
    assert any("moderator1 menyerahkan tiket" in text and water in text for text in texts)


def test_a_liaison_takes_a_ticket_of_their_agency_but_never_sees_anothers(app, web, two_tickets):
    water, road = two_tickets
    liaison = signed_in(web, "liaison-pdam")
    page = liaison.get(f"/tiket/{water}").get_data(as_text=True)
    liaison.post(f"/tiket/{water}/pemegang", data={"csrf_token": token(page), "pemegang": "liaison-pdam"})
    assert owner_of(app, water) == "liaison-pdam"
    assert liaison.post(f"/tiket/{road}/pemegang", data={"csrf_token": token(page)}).status_code == 404


def test_a_moderator_takes_a_waiting_post_in_the_queue(client, login, app):
    (post_id,) = add_posts(app, record(text="Min jalan di Desa Sugihwaras rusak parah, tolong diperbaiki"))
    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator2", "moderator", PASSWORD, "test")
    login()
    page = client.get("/antrean/?semua=1").get_data(as_text=True)
    answer = client.post(
        f"/antrean/{post_id}/pemegang?semua=1", data={"csrf_token": token(page), "pemegang": "moderator1"}
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/antrean/?semua=1#post-{post_id}")
    with app.sessions() as session:
        assert session.get(Post, post_id).owner.username == "moderator1"
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "post.assign"))
        assert entry.after == {"owner": "moderator1"}
    refused = client.post(
        f"/antrean/{post_id}/pemegang", data={"csrf_token": token(page), "pemegang": "pengamat"}, follow_redirects=True
    )
    assert "pengamat tidak dapat memegang" in refused.get_data(as_text=True)


def test_a_moderator_routes_a_ticket_to_another_agency_whose_liaisons_are_told(client, login, app, web, two_tickets):
    water, road = two_tickets
    login()
    page = client.get(f"/tiket/{road}").get_data(as_text=True)
    moved = client.post(f"/tiket/{road}/opd", data={"csrf_token": token(page), "opd": "pdam"}, follow_redirects=True)
    assert f"Tiket {road} diteruskan ke Perumda Air Minum Tirta Lestari." in moved.get_data(as_text=True)
    refused = client.post(f"/tiket/{road}/opd", data={"csrf_token": token(page), "opd": "nasa"}, follow_redirects=True)
    assert "Tiket tidak diteruskan: OPD &#39;nasa&#39; tidak dikenal" in refused.get_data(as_text=True)
    with app.sessions() as session:
        assert session.scalar(select(Ticket.agency).where(Ticket.number == road)) == "pdam"
        texts = [item.text for item in recent(session, get_user(session, "liaison-pdam").id, 10)]
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "ticket.route"))
    assert any(road in text for text in texts), "the new agency's liaison is told"
    assert (entry.before["agency"], entry.after["agency"]) == ("pupr", "pdam")
    liaison = signed_in(web, "liaison-pdam")
    assert liaison.get(f"/tiket/{road}").status_code == 200
    theirs = liaison.get(f"/tiket/{road}").get_data(as_text=True)
    assert 'name="opd"' not in theirs, "liaisons do not route"
    assert liaison.post(f"/tiket/{road}/opd", data={"csrf_token": token(theirs), "opd": "pupr"}).status_code == 403


def test_the_queue_shows_who_holds_a_post_and_filters_mine_and_the_free_ones(client, login, app, web):
    mine, theirs, free = add_posts(
        app, *(record(text=f"Min jalan di Desa Sugihwaras rusak parah, tolong diperbaiki {n}") for n in range(3))
    )
    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator2", "moderator", PASSWORD, "test")
    login()
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    client.post(f"/antrean/{mine}/pemegang", data={"csrf_token": token(page), "pemegang": "moderator1"})
    other = signed_in(web, "moderator2")
    their_page = other.get("/antrean/?status=semua").get_data(as_text=True)
    other.post(f"/antrean/{theirs}/pemegang", data={"csrf_token": token(their_page), "pemegang": "moderator2"})

    shown = client.get("/antrean/?status=semua").get_data(as_text=True)
    assert "dipegang Anda" in shown and "dipegang moderator2" in shown and ">Ambil alih<" in shown
    held = client.get("/antrean/?status=semua&milik=saya").get_data(as_text=True)
    assert f'id="post-{mine}"' in held and f'id="post-{theirs}"' not in held and f'id="post-{free}"' not in held
    unheld = client.get("/antrean/?status=semua&milik=bebas").get_data(as_text=True)
    assert f'id="post-{free}"' in unheld and f'id="post-{mine}"' not in unheld
    wrong = client.get("/antrean/?milik=semua-orang")
    assert wrong.status_code == 400 and "Pemegang “semua-orang” tidak dikenal" in wrong.get_data(as_text=True)
