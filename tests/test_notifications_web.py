"""The bell: unread notifications in the navigation, the list, reading them, and each user's preferences."""

from __future__ import annotations

import re

from sqlalchemy import select

from satukanal.models import AuditEntry
from satukanal.notifications.service import unread_count
from satukanal.users.service import get_user
from tests.web_helpers import signed_in, token


def unread(app, username: str) -> int:
    with app.sessions() as session:
        return unread_count(session, get_user(session, username).id)


def test_the_liaison_sees_the_routed_ticket_under_the_bell_and_opening_it_reads_it(app, web, two_tickets):
    water, road = two_tickets
    liaison = signed_in(web, "liaison-pdam")
    home = liaison.get("/tiket/").get_data(as_text=True)
    assert 'aria-label="1 pemberitahuan belum dibaca"' in home

    bell = liaison.get("/pemberitahuan/").get_data(as_text=True)
    assert "Tiket baru untuk OPD" in bell and water in bell and road not in bell
    assert "1 belum dibaca" in bell

    liaison.get(f"/tiket/{water}")
    assert unread(app, "liaison-pdam") == 0
    assert "pemberitahuan belum dibaca" not in liaison.get("/tiket/").get_data(as_text=True)


def test_opening_a_notification_goes_to_its_page_and_others_cannot_open_it(app, web, client, login, two_tickets):
    water, _ = two_tickets
    liaison = signed_in(web, "liaison-pdam")
    (link,) = re.findall(r'href="/pemberitahuan/(\d+)"', liaison.get("/pemberitahuan/").get_data(as_text=True))
    login()
    assert client.get(f"/pemberitahuan/{link}").status_code == 404, "a notification is its user's alone"
    opened = liaison.get(f"/pemberitahuan/{link}")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/tiket/{water}"
    assert unread(app, "liaison-pdam") == 0


def test_mark_all_read(app, web, two_tickets):
    liaison = signed_in(web, "liaison-pdam")
    page = liaison.get("/pemberitahuan/").get_data(as_text=True)
    done = liaison.post("/pemberitahuan/baca-semua", data={"csrf_token": token(page)}, follow_redirects=True)
    assert "1 pemberitahuan ditandai sudah dibaca." in done.get_data(as_text=True)
    assert unread(app, "liaison-pdam") == 0


def test_a_user_sets_their_e_mail_and_digest_and_a_bad_address_is_refused_beside_the_field(app, client, login):
    login()
    page = client.get("/pemberitahuan/").get_data(as_text=True)
    bad = client.post("/pemberitahuan/cara", data={"csrf_token": token(page), "email": "bukan-email", "mode": "each"})
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in bad.get_data(as_text=True) and 'value="bukan-email"' in bad.get_data(as_text=True)
    saved = client.post(
        "/pemberitahuan/cara",
        data={"csrf_token": token(page), "email": "moderator1@tubankab.go.id", "mode": "digest"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Cara pemberitahuan disimpan." in saved
    with app.sessions() as session:
        user = get_user(session, "moderator1")
        assert (user.email, user.notify_mode) == ("moderator1@tubankab.go.id", "digest")
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "user.notify"))
        assert entry.after == {"email": "moderator1@tubankab.go.id", "notify_mode": "digest"}


def test_the_liaisons_dashboard_shows_their_agency_only(app, web, client, login, two_tickets):
    liaison = signed_in(web, "liaison-pdam")
    theirs = liaison.get("/dasbor/").get_data(as_text=True)
    assert "Dasbor Perumda Air Minum Tirta Lestari" in theirs
    assert "Tiket baru</dt><dd>1<" in theirs and "Unggahan masuk" not in theirs
    login()
    district = client.get("/dasbor/").get_data(as_text=True)
    assert "Tiket baru</dt><dd>2<" in district and "Unggahan masuk" in district


def test_a_hostile_ticket_title_shows_as_text_under_the_bell(app, web, two_tickets):
    from satukanal.review.service import confirm
    from satukanal.tickets.service import TicketChoices
    from tests.factories import add_posts, record
    from tests.web_helpers import HOSTILE

    (post_id,) = add_posts(app, record(text=HOSTILE))
    with app.sessions.begin() as session:
        choices = TicketChoices(category="air_minum", title=HOSTILE + "\x00\ud800")
        confirm(session, app.settings, post_id, "test", choices)
    page = signed_in(web, "liaison-pdam").get("/pemberitahuan/").get_data(as_text=True)
    assert "<script>" not in page and "&lt;script&gt;" in page
