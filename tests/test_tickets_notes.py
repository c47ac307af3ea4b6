"""The ticket page's form keeps the current status, adds notes without a status change, and asks why before a
ticket is set aside; notes from the CLI and the API, within the agency scope."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from satukanal.dashboard.standing import tickets_at
from satukanal.models import AuditEntry, Ticket, TicketNote, TicketStatusChange
from satukanal.tickets.lifecycle import Status, next_steps
from satukanal.tickets.service import TicketError, add_note, get_ticket, set_status
from tests.web_helpers import api_token, token

ROWS = (TicketStatusChange, TicketNote, AuditEntry)


def options(html: str) -> list[tuple[str, bool, bool]]:
    """The status select's options: (value, selected, needs a reason)."""
    select_html = re.search(r'<select[^>]*name="status"[^>]*>(.*?)</select>', html, re.S).group(1)
    found = []
    for attributes in re.findall(r"<option([^>]*)>", select_html):
        value = re.search(r'value="([^"]+)"', attributes).group(1)
        found.append((value, " selected" in attributes, "data-reason" in attributes))
    return found


def counts(app) -> dict[str, int]:
    with app.sessions() as session:
        return {row.__name__: session.scalar(select(func.count()).select_from(row)) for row in ROWS}


def move(app, number: str, *steps: Status) -> None:
    with app.sessions.begin() as session:
        for step in steps:
            set_status(session, number, step, "test", note="alasan" if step is Status.DIARSIPKAN else None)


def submit(client, number: str, page: str, **fields):
    data = {"csrf_token": token(page), "seen": re.search(r'name="seen"[^>]*value="([^"]*)"', page).group(1)}
    return client.post(f"/tiket/{number}/status", data={**data, **fields}, follow_redirects=True)


def test_the_form_opens_on_the_current_status_and_offers_only_the_next_steps(client, login, app, two_tickets):
    water, _ = two_tickets
    login()
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    assert options(page) == [
        ("belum_terverifikasi", True, False),
        ("terverifikasi", False, False),
        ("tertunda", False, False),
        ("bukan_wewenang", False, True),
        ("dihapus", False, True),
    ]
    assert "Belum Terverifikasi (tetap)" in page
    move(app, water, Status.TERVERIFIKASI, Status.TERDISPOSISI)
    offered = [value for value, _, _ in options(client.get(f"/tiket/{water}").get_data(as_text=True))]
    assert offered == ["terdisposisi", *next_steps(Status.TERDISPOSISI)]
    move(app, water, Status.BUKAN_WEWENANG, Status.DIARSIPKAN)
    final = client.get(f"/tiket/{water}").get_data(as_text=True)
    assert options(final) == [("diarsipkan", True, False)] and "Status ini final; catatan masih bisa" in final


def test_submitting_the_form_unchanged_changes_nothing(client, login, app, two_tickets):
    water, _ = two_tickets
    login()
    before = counts(app)
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    answer = submit(client, water, page, status="belum_terverifikasi", note="  ", lapor_id="")
    assert answer.status_code == 200
    assert '<p class="flash info" role="status">Tidak ada perubahan.</p>' in answer.get_data(as_text=True)
    assert counts(app) == before, "no history row, no note, no audit entry"
    with app.sessions() as session:
        assert get_ticket(session, water).status == "belum_terverifikasi"


def test_a_note_alone_goes_into_the_history_and_the_audit_log_and_shows_on_the_page(client, login, app, two_tickets):
    water, _ = two_tickets
    login()
    with app.sessions() as session:
        entered = get_ticket(session, water).status_changed_at
    before = counts(app)
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    answer = submit(client, water, page, status="belum_terverifikasi", note="Pelapor ditelepon, alamat <b>jelas</b>")
    text = answer.get_data(as_text=True)
    assert f"Catatan ditambahkan ke {water}." in text
    history = text.split("Riwayat status dan catatan")[1]
    assert "Catatan (moderator1): Pelapor ditelepon, alamat &lt;b&gt;jelas&lt;/b&gt;" in history
    assert counts(app) == {**before, "TicketNote": 1, "AuditEntry": before["AuditEntry"] + 1}
    with app.sessions() as session:
        ticket = get_ticket(session, water)
        assert (ticket.status, ticket.status_changed_at) == ("belum_terverifikasi", entered), "the clocks stay"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "ticket.note")).one()
        assert (entry.actor, entry.entity_id, entry.after["note"]) == (
            "moderator1",
            str(ticket.id),
            ticket.notes[0].note,
        )


def test_setting_a_ticket_aside_needs_a_reason_and_keeps_what_was_typed(client, login, app, two_tickets):
    water, _ = two_tickets
    login()
    before = counts(app)
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    refused = submit(client, water, page, status="bukan_wewenang", lapor_id="#7654321", note=" ")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "<h1>" in text, "the page again, not an error page"
    form = text.split('class="status-form"')[1].split("</form>")[0]
    assert 'class="invalid"' in form and "Tuliskan alasannya: catatan wajib untuk Bukan Wewenang." in form
    assert ("bukan_wewenang", True, True) in options(text) and 'value="#7654321"' in form
    assert counts(app) == before
    moved = submit(client, water, text, status="bukan_wewenang", lapor_id="#7654321", note="urusan PLN")
    assert f"Status {water} menjadi Bukan Wewenang." in moved.get_data(as_text=True)
    with app.sessions() as session:
        ticket = get_ticket(session, water)
        assert (ticket.status, ticket.lapor_id, ticket.history[-1].note) == ("bukan_wewenang", "7654321", "urusan PLN")


def test_lapor_id_problems_are_shown_with_the_form(client, login, app, two_tickets):
    water, road = two_tickets
    move(app, road, Status.TERVERIFIKASI)
    with app.sessions.begin() as session:
        get_ticket(session, road).lapor_id = "1111111"
    login()
    before = counts(app)
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    refused = submit(client, water, page, status="belum_terverifikasi", lapor_id="7654321", note="sudah dientri")
    assert refused.status_code == 400 and "dicatat bersama perubahan status" in refused.get_data(as_text=True)
    bad = submit(client, water, page, status="dihapus", lapor_id="abc").get_data(as_text=True)
    assert "bukan nomor pelacakan LAPOR!" in bad and "catatan wajib untuk Dihapus" in bad, "every error at once"
    taken = submit(client, water, page, status="terverifikasi", lapor_id="#1111111", note="sudah dientri")
    text = taken.get_data(as_text=True)
    assert taken.status_code == 409 and f"LAPOR! #1111111 sudah dipakai tiket {road}" in text
    assert "sudah dientri" in text, "the input is kept"
    assert counts(app) == before


def test_a_stale_page_adds_its_note_but_does_not_move_the_ticket_back(client, login, app, two_tickets):
    water, _ = two_tickets
    move(app, water, Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI)
    login()
    stale = client.get(f"/tiket/{water}").get_data(as_text=True)
    move(app, water, Status.DITANGGAPI)
    noted = submit(client, water, stale, status="ditindaklanjuti", note="warga membalas")
    assert "Catatan ditambahkan" in noted.get_data(as_text=True)
    refused = submit(client, water, stale, status="selesai", note="beres")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "sudah diubah menjadi Ditanggapi sejak halaman ini dibuka" in text
    assert "beres" in text and options(text)[0] == ("ditanggapi", True, False)
    with app.sessions() as session:
        ticket = get_ticket(session, water)
        assert ticket.status == "ditanggapi" and [note.note for note in ticket.notes] == ["warga membalas"]
    again = submit(client, water, text, status="selesai", note="beres")
    assert f"Status {water} menjadi Selesai." in again.get_data(as_text=True), "the form shown again is current"


def test_agency_liaisons_note_only_their_agencys_tickets(client, login, app, two_tickets):
    water, road = two_tickets
    login("liaison-pdam")
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    foreign = client.post(f"/tiket/{road}/status", data={"csrf_token": token(page), "status": "belum_terverifikasi"})
    assert foreign.status_code == 404
    assert "Catatan ditambahkan" in submit(
        client, water, page, status="belum_terverifikasi", note="dicek petugas"
    ).get_data(as_text=True)
    liaison = api_token(app, "liaison-pdam")
    assert client.post(f"/api/tickets/{road}/notes", json={"note": "x"}, headers=liaison).status_code == 404
    added = client.post(f"/api/tickets/{water}/notes", json={"note": "pipa diganti"}, headers=liaison)
    assert added.status_code == 201 and added.get_json()["actor"] == "liaison-pdam"
    assert client.post(f"/api/tickets/{water}/notes", json={"note": " "}, headers=liaison).status_code == 400
    detail = client.get(f"/api/tickets/{water}", headers=liaison).get_json()
    assert [note["note"] for note in detail["notes"]] == ["dicek petugas", "pipa diganti"]
    assert len(detail["history"]) == 1, "notes are not status changes"
    with app.sessions() as session:
        assert get_ticket(session, road).notes == []


def test_the_api_asks_why_before_setting_a_ticket_aside(client, app, two_tickets):
    water, _ = two_tickets
    moderator = api_token(app, "moderator1")
    path = f"/api/tickets/{water}/status"
    refused = client.post(path, json={"status": "bukan_wewenang"}, headers=moderator)
    assert refused.status_code == 400 and "catatan wajib untuk Bukan Wewenang" in refused.get_json()["error"]
    impossible = client.post(path, json={"status": "diarsipkan"}, headers=moderator)
    assert impossible.status_code == 409, "a step the lifecycle refuses says so first"
    moved = client.post(path, json={"status": "bukan_wewenang", "note": "urusan PLN"}, headers=moderator)
    assert moved.status_code == 200 and moved.get_json()["status"] == "bukan_wewenang"


def test_the_cli_adds_notes_and_asks_why_before_setting_a_ticket_aside(cli_run, app, two_tickets):
    water, _ = two_tickets
    noted = cli_run("tickets", "note", water.lower(), "ditelepon, pipa bocor di depan SD")
    assert noted.exit_code == 0 and f"Catatan ditambahkan ke {water}." in noted.stdout
    shown = cli_run("tickets", "show", water).stdout
    assert "Belum Terverifikasi (test)" in shown and "Catatan (tester) — ditelepon, pipa bocor di depan SD" in shown
    empty = cli_run("tickets", "note", water, "  ")
    assert empty.exit_code == 1 and "catatan kosong" in empty.stderr
    assert cli_run("tickets", "note", "TBN-1999-000001", "x").exit_code == 1
    refused = cli_run("tickets", "set-status", water, "bukan_wewenang")
    assert refused.exit_code == 2 and "catatan wajib untuk Bukan Wewenang" in refused.stderr
    assert cli_run("tickets", "set-status", water, "bukan_wewenang", "--note", "urusan PLN").exit_code == 0
    with app.sessions() as session:
        entries = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "tester")).all()
    assert entries == ["ticket.note", "ticket.status"]


def test_a_note_does_not_move_the_clocks_the_figures_read(app, two_tickets):
    water, _ = two_tickets
    later = datetime(2030, 1, 2, 3, tzinfo=UTC)
    with app.sessions.begin() as session:
        entered = get_ticket(session, water).status_changed_at
        add_note(session, water, "masih ditunggu", "test", now=later)
        with pytest.raises(TicketError, match="catatan kosong"):
            add_note(session, water, "\n", "test")
    with app.sessions() as session:
        then = tickets_at(later.replace(day=3))
        assert session.execute(select(then.c.status_changed_at).where(then.c.created_at == entered)).all() == [
            (entered,)
        ]
        assert session.scalar(select(TicketNote.noted_at)) == later
        assert session.scalar(select(Ticket.status_changed_at).where(Ticket.number == water)) == entered
