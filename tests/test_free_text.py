"""What staff type is stored clean whichever way it came: a NUL, a lone surrogate or a direction override
never fails a write (PostgreSQL refuses NUL in text) and never reaches a reader."""

from __future__ import annotations

from sqlalchemy import select

from satukanal.models import Ticket, TicketNote
from tests.factories import COMPLAINT, add_posts, record
from tests.web_helpers import token


def test_a_note_with_a_nul_and_a_direction_override_is_stored_clean(client, login, app, two_tickets):
    water, _ = two_tickets
    login()
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    answer = client.post(
        f"/tiket/{water}/status",
        data={"csrf_token": token(page), "status": "belum_terverifikasi", "note": "dicek\x00 ke \u202elokasi"},
    )
    assert answer.status_code == 302
    with app.sessions() as session:
        assert session.scalar(select(TicketNote.note)) == "dicek ke lokasi"


def test_a_title_from_the_command_line_that_is_not_utf8_is_stored_clean(cli_run, app):
    (post_id,) = add_posts(app, record(text=COMPLAINT))
    title = "Air mati di Jenu" + b"\xff".decode("utf-8", "surrogateescape")
    confirmed = cli_run("review", "confirm", str(post_id), "--title", title)
    assert confirmed.exit_code == 0, confirmed.output
    with app.sessions() as session:
        assert session.scalar(select(Ticket.title)) == "Air mati di Jenu"
