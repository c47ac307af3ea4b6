"""Tickets along the LAPOR! lifecycle, from the service and from the command line."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from satukanal.models import AuditEntry, TicketStatusChange
from satukanal.review.service import confirm
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import TicketError, get_ticket, parse_lapor_id, set_status
from tests.factories import COMPLAINT, add_posts, record


@pytest.fixture
def ticket_number(app) -> str:
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    with app.sessions.begin() as session:
        return confirm(session, app.settings, post_id, "m").ticket.number


def test_a_ticket_moves_to_selesai_with_history_and_audit(app, ticket_number):
    start = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    path = [Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI, Status.SELESAI]
    for step, status in enumerate(path):
        with app.sessions.begin() as session:
            lapor = "#9165816" if status is Status.TERVERIFIKASI else None
            set_status(
                session,
                ticket_number,
                status,
                "liaison",
                note=f"step {step}",
                lapor_id=lapor,
                now=start + timedelta(days=step),
            )
    with app.sessions() as session:
        ticket = get_ticket(session, ticket_number.lower())
        assert ticket.status == "selesai" and ticket.lapor_id == "9165816"
        assert ticket.resolved_at == start + timedelta(days=3)
        assert [change.to_status for change in ticket.history] == ["belum_terverifikasi"] + [s.value for s in path]
        assert (
            session.scalars(select(AuditEntry.action).where(AuditEntry.action == "ticket.status")).all()
            == ["ticket.status"] * 4
        )


def test_impossible_transitions_change_nothing(app, ticket_number):
    with pytest.raises(TicketError, match="tidak bisa dari Belum Terverifikasi ke Selesai"):
        with app.sessions.begin() as session:
            set_status(session, ticket_number, Status.SELESAI, "x")
    with app.sessions() as session:
        assert get_ticket(session, ticket_number).status == "belum_terverifikasi"
        assert len(session.scalars(select(TicketStatusChange)).all()) == 1


def test_lapor_ids_are_numbers_and_belong_to_one_ticket(app, ticket_number):
    assert parse_lapor_id(" #9165816 ") == "9165816"
    with pytest.raises(TicketError, match="bukan nomor pelacakan LAPOR!"):
        parse_lapor_id("TBN-1")
    (other_post,) = add_posts(app, record(id="2", text=COMPLAINT))
    with app.sessions.begin() as session:
        other = confirm(session, app.settings, other_post, "m").ticket.number
        set_status(session, other, Status.TERVERIFIKASI, "x", lapor_id="9165816")
    with pytest.raises(TicketError, match=f"sudah dipakai tiket {other}"):
        with app.sessions.begin() as session:
            set_status(session, ticket_number, Status.TERVERIFIKASI, "x", lapor_id="9165816")


def test_unknown_ticket(app):
    with pytest.raises(TicketError, match="tiket TBN-2026-999999 tidak ada"):
        with app.sessions() as session:
            get_ticket(session, "TBN-2026-999999")


def test_cli_moves_a_ticket_and_refuses_impossible_steps(cli_run, app, ticket_number):
    result = cli_run(
        "tickets", "set-status", ticket_number, "Terverifikasi", "--lapor-id", "#9165900", "--note", "masuk LAPOR!"
    )
    assert result.exit_code == 0, result.output
    assert f"{ticket_number} kini berstatus Terverifikasi." in result.stdout

    refused = cli_run("tickets", "set-status", ticket_number, "selesai")
    assert refused.exit_code == 1
    assert "tidak bisa dari Terverifikasi ke Selesai (langkah berikutnya yang boleh: " in refused.stderr
    assert "Traceback" not in refused.output

    unknown = cli_run("tickets", "set-status", ticket_number, "beres")
    assert unknown.exit_code == 2 and "status 'beres' tidak dikenal" in unknown.stderr

    listing = cli_run("tickets", "list", "--status", "terverifikasi")
    assert ticket_number in listing.stdout and "#9165900" in listing.stdout
    shown = cli_run("tickets", "show", ticket_number)
    assert "masuk LAPOR!" in shown.stdout and "(tester)" in shown.stdout
    assert "0812-3456-7890" not in shown.stdout


@pytest.mark.parametrize(
    ("text", "kecamatan"),
    [
        ("Jalan di Desa Mandirejo rusak parah min, tolong diperbaiki", "Merakurak"),
        ("Jalan di Desa Sugihwaras Kec. Jenu rusak parah", "Jenu"),
        ("Jalan rusak parah min, tolong diperbaiki", None),
    ],
)
def test_a_ticket_takes_the_kecamatan_of_the_desa_the_post_names(app, text, kecamatan):
    (post_id,) = add_posts(app, record(text=text))
    with app.sessions.begin() as session:
        assert confirm(session, app.settings, post_id, "moderator1").ticket.kecamatan == kecamatan
