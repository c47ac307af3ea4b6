"""Tickets in the web app: the list and the LAPOR! entry, status changes, agency scope, clocks, CSV out and in."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from satukanal.models import Ticket, utcnow
from satukanal.replies.service import draft_resolutions
from satukanal.review.service import confirm
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import TicketChoices, set_status
from tests.factories import COMPLAINT, TICKET_PREFIX, add_posts, record
from tests.web_helpers import log_in, token


def test_moderators_list_search_and_open_tickets_with_the_lapor_entry(client, login, two_tickets):
    water, road = two_tickets
    login()
    listing = client.get("/tiket/").get_data(as_text=True)
    assert water in listing and road in listing
    found = client.get("/tiket/?q=BERLUBANG").get_data(as_text=True)
    assert road in found and water not in found
    assert water not in client.get("/tiket/?q=50%25").get_data(as_text=True), "% is matched literally"
    assert road in client.get("/tiket/?opd=pupr").get_data(as_text=True)
    page = client.get(f"/tiket/{road}").get_data(as_text=True)
    assert "Isian LAPOR!" in page and "Dinas PUPR PRKP" in page and "Kec. Jenu" in page and "Anonim" in page
    assert "081234567890" not in page.split("Unggahan terkait")[0], "the LAPOR! entry is redacted"


def test_the_ticket_page_shows_the_replies_to_the_citizen_and_where_to_approve_them(client, login, app, two_tickets):
    water, _ = two_tickets
    login()
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    section = page.split("Balasan untuk warga")[1].split("</section>")[0]
    assert "Ucapan terima kasih" in section and water in section and "Perumda Air Minum Tirta Lestari" in section
    assert "Draf, menunggu persetujuan moderator" in section and "Kabar selesai" not in section
    draft_link = re.search(r'href="(/publikasi/\d+)">Tinjau, ubah atau setujui', section)
    assert draft_link and water in client.get(draft_link.group(1)).get_data(as_text=True)
    with app.sessions.begin() as session:
        for status in (Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI, Status.SELESAI):
            set_status(session, water, status, "liaison")
        assert draft_resolutions(session, app.settings, "scheduler", utcnow()) == 1
    resolved = client.get(f"/tiket/{water}").get_data(as_text=True)
    assert "Kabar selesai" in resolved.split("Balasan untuk warga")[1].split("</section>")[0]


def test_a_status_change_records_the_lapor_id_and_refuses_impossible_steps(client, login, app, two_tickets):
    water, _ = two_tickets
    login()
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    moved = client.post(
        f"/tiket/{water}/status",
        data={"csrf_token": token(page), "status": "terverifikasi", "lapor_id": "#7654321", "note": "sudah masuk"},
        follow_redirects=True,
    )
    text = moved.get_data(as_text=True)
    assert f"Status {water} menjadi Terverifikasi." in text and "#7654321" in text and "sudah masuk" in text
    refused = client.post(f"/tiket/{water}/status", data={"csrf_token": token(text), "status": "selesai"})
    assert refused.status_code == 400, "only the lifecycle's next steps are offered and accepted"
    assert client.post(f"/tiket/{water}/status", data={"status": "terdisposisi"}).status_code == 400
    with app.sessions() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == water)).one()
        assert (ticket.status, ticket.lapor_id) == ("terverifikasi", "7654321")


def test_an_agency_liaison_sees_and_moves_only_their_agencys_tickets(client, login, two_tickets):
    water, road = two_tickets
    assert login("liaison-pdam").headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/tiket/"
    listing = client.get("/tiket/?opd=pupr").get_data(as_text=True)
    assert water in listing and road not in listing
    assert client.get(f"/tiket/{road}").status_code == 404
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    assert (
        client.post(f"/tiket/{road}/status", data={"csrf_token": token(page), "status": "dihapus"}).status_code == 404
    )
    assert client.get("/antrean/").status_code == 403
    moved = client.post(f"/tiket/{water}/status", data={"csrf_token": token(page), "status": "tertunda"})
    assert moved.status_code == 302


def test_a_viewer_cannot_open_tickets(client, login, two_tickets):
    login("pengamat")
    assert client.get("/tiket/").status_code == 403
    assert client.get(f"/tiket/{two_tickets[0]}").status_code == 403


def test_overdue_and_due_soon_views_follow_the_working_day_clocks(client, login, app):
    old, fresh = add_posts(app, record(id="1", text=COMPLAINT), record(id="2", text=COMPLAINT + " lagi"))
    with app.sessions.begin() as session:
        late = confirm(session, app.settings, old, "test", now=datetime(2026, 1, 5, 9, tzinfo=UTC)).ticket.number
        recent = confirm(session, app.settings, fresh, "test").ticket.number
    login()
    overdue = client.get("/tiket/?tenggat=lewat").get_data(as_text=True)
    assert late in overdue and recent not in overdue
    assert 'class="clock lewat">Verifikasi: 08-01-2026' in overdue
    everything = client.get("/tiket/").get_data(as_text=True)
    assert late in everything and recent in everything
    page = client.get(f"/tiket/{late}").get_data(as_text=True)
    assert "Batas Ombudsman: 06-03-2026 (lewat tenggat)" in page
    assert client.get("/tiket/?tenggat=kemarin").status_code == 400


def test_the_csv_export_has_the_lapor_columns_and_defuses_formulas(web, client, login, app, two_tickets):
    (formula,) = add_posts(app, record(id="9", text='=HYPERLINK("http://evil") jalan rusak di widang'))
    with app.sessions.begin() as session:
        confirm(session, app.settings, formula, "test", TicketChoices(title="=1+1 jalan rusak"))
    login()
    response = client.get("/tiket/ekspor.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert {row["nomor"] for row in rows} == {*two_tickets, f"{TICKET_PREFIX}000003"}
    water = next(row for row in rows if row["nomor"] == two_tickets[0])
    assert water["instansi"] == "Perumda Air Minum Tirta Lestari" and water["anonim"] == "ya"
    assert "081234567890" not in response.get_data(as_text=True) and "3523012345678901" not in water["isi"]
    tricky = next(row for row in rows if row["nomor"] == f"{TICKET_PREFIX}000003")
    assert tricky["judul"].startswith("'=") and tricky["isi"].startswith("'=")

    liaison = web.test_client()
    log_in(liaison, "liaison-pdam")
    scoped = list(csv.DictReader(io.StringIO(liaison.get("/tiket/ekspor.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["nomor"] for row in scoped] == [two_tickets[0]]


def upload(client, content: bytes):
    page = client.get("/tiket/impor").get_data(as_text=True)
    data = {"csrf_token": token(page), "file": (io.BytesIO(content), "status.csv")}
    return client.post("/tiket/impor", data=data, content_type="multipart/form-data")


def test_status_updates_import_from_csv_row_by_row_with_a_report(client, login, app, two_tickets):
    water, road = two_tickets
    with app.sessions.begin() as session:
        set_status(session, water, Status.TERVERIFIKASI, "test", lapor_id="1111111")
        set_status(session, road, Status.TERVERIFIKASI, "test", lapor_id="2222222")
    content = (
        "\ufeffnomor_lapor;status;tanggal;catatan\n"
        "#1111111;Terdisposisi;;diteruskan ke PDAM\n"
        "2222222;selesai;;\n"
        "2222222;terdisposisi;2026-01-02;\n"
        "3333333;terdisposisi;;\n"
        "1111111;entah;;\n"
        "2222222;terdisposisi;01-01-2030;\n"
        "2222222;terdisposisi;kemarin;\n"
    ).encode()
    login()
    page = upload(client, content).get_data(as_text=True)
    assert "1 dari 7 baris diterapkan." in page
    for message in (
        "menjadi Terdisposisi",
        "tidak bisa dari Terverifikasi ke Selesai",
        "tidak ada tiket dengan LAPOR! #3333333",
        "tanggal lebih awal dari perubahan terakhir",
        "status &#39;entah&#39; tidak dikenal",
        "ada di masa depan",
        "tanggal &#39;kemarin&#39; tidak dikenali",
    ):
        assert message in page, message
    with app.sessions() as session:
        statuses = dict(session.execute(select(Ticket.number, Ticket.status)).all())
    assert statuses == {water: "terdisposisi", road: "terverifikasi"}


@pytest.mark.parametrize(
    "content, message",
    [(b"\xff\xfe\x00bukan teks", "berkas bukan teks UTF-8"), (b"id,keadaan\n1,selesai\n", "kolom wajib tidak ada")],
)
def test_an_unreadable_status_file_is_refused_whole(web, client, login, two_tickets, content, message):
    login()
    assert message in upload(client, content).get_data(as_text=True)
    liaison = web.test_client()
    log_in(liaison, "liaison-pdam")
    assert liaison.get("/tiket/impor").status_code == 403
