"""The web app through Flask's test client: login, roles, CSRF, the queue, hostile post text."""

import csv
import io
import re
import stat
import threading
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from satukanal.models import Post, ReviewDecision, Ticket
from satukanal.review.service import confirm, reject
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import TicketChoices, set_status
from satukanal.users.service import MAX_FAILED_LOGINS, add_user
from satukanal.web import create_app
from satukanal.web import review as review_page
from satukanal.web import tickets as tickets_page
from satukanal.web.security import session_secret
from satukanal.web.users import LOGIN_REFUSED
from tests.factories import COMPLAINT, TICKET_PREFIX, add_posts, record
from tests.web_helpers import HOSTILE, PASSWORD, api_token, login, token


def test_every_page_sends_an_unauthenticated_user_to_the_login(web):
    client = web.test_client()
    for path in ("/antrean/", "/antrean/?urutan=uncertain&status=semua"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/masuk?next=")
    assert "<h1>Masuk</h1>" in client.get("/", follow_redirects=True).get_data(as_text=True)
    page = client.get("/masuk").get_data(as_text=True)
    refused = client.post("/antrean/1/tolak", data={"csrf_token": token(page), "reason": "spam"})
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/masuk")


def test_login_sets_a_protected_session_cookie_and_logout_ends_it(web):
    client = web.test_client()
    response = login(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/antrean/").get_data(as_text=True)
    assert "moderator1 (moderator)" in page
    assert client.post("/keluar", data={"csrf_token": token(page)}).status_code == 302
    assert client.get("/antrean/").status_code == 302


def test_wrong_passwords_lock_the_account(web):
    client = web.test_client()
    wrong = login(client, password="salah")
    assert wrong.status_code == 401 and LOGIN_REFUSED in wrong.get_data(as_text=True)
    for _ in range(MAX_FAILED_LOGINS - 1):
        login(client, password="salah")
    locked = login(client)
    assert locked.status_code == 401 and LOGIN_REFUSED in locked.get_data(as_text=True)


def test_login_never_redirects_to_another_site(web):
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        assert login(web.test_client(), next_page=target).headers["Location"] == "/"
    assert login(web.test_client(), next_page="/antrean/?urutan=uncertain").headers["Location"].endswith("uncertain")


def test_hostile_post_text_is_shown_escaped_under_a_strict_policy(web, app):
    add_posts(app, record(id="1", text=HOSTILE))
    client = web.test_client()
    login(client)
    response = client.get("/antrean/?status=semua")
    page = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert '<script>alert("x")' not in page and "<img src=x" not in page
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/queue.js">'], "our one script, nothing else"


def test_confirm_creates_a_ticket_and_reject_records_the_reason(web, app):
    complaint, spam = add_posts(
        app, record(id="1", text=COMPLAINT), record(id="2", text="slot gacor maxwin deposit 10rb")
    )
    client = web.test_client()
    login(client)
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    assert f'id="post-{complaint}"' in page and "Air bersih PDAM" in page

    confirmed = client.post(
        f"/antrean/{complaint}/konfirmasi?status=semua",
        data={"csrf_token": token(page), "category": "", "agency": "", "kecamatan": "", "anonymous": "y"},
        follow_redirects=True,
    )
    assert f"Unggahan dikonfirmasi: tiket {TICKET_PREFIX}000001." in confirmed.get_data(as_text=True)
    rejected = client.post(
        f"/antrean/{spam}/tolak", data={"csrf_token": token(page), "reason": "spam"}, follow_redirects=True
    )
    assert "Unggahan ditolak." in rejected.get_data(as_text=True)
    with app.sessions() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert (ticket.category, ticket.agency, ticket.is_anonymous) == ("air_minum", "pdam", True)
        decision = session.scalars(select(ReviewDecision).where(ReviewDecision.post_id == spam)).one()
        assert decision.reason == "Spam atau promosi" and decision.actor == "moderator1"


def test_state_changing_requests_without_a_valid_csrf_token_are_refused(web, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    client = web.test_client()
    login(client)
    for data in ({}, {"csrf_token": "palsu"}):
        response = client.post(f"/antrean/{post_id}/konfirmasi", data=data)
        assert response.status_code == 400 and "Formulir kedaluwarsa" in response.get_data(as_text=True)
        assert client.post(f"/antrean/{post_id}/tolak", data={**data, "reason": "spam"}).status_code == 400
        assert client.post("/keluar", data=data).status_code == 400
    with app.sessions() as session:
        assert session.get(Post, post_id).review_status == "pending"


def test_a_viewer_cannot_open_or_act_on_the_queue(web, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    client = web.test_client()
    login(client, "pengamat")
    assert client.get("/antrean/").status_code == 403
    page = client.get("/masuk").get_data(as_text=True)
    response = client.post(f"/antrean/{post_id}/konfirmasi", data={"csrf_token": token(page)})
    assert response.status_code == 403 and "Anda tidak berhak" in response.get_data(as_text=True)


def test_error_pages_are_plain_and_in_indonesian(web):
    client = web.test_client()
    login(client)
    response = client.get("/tidak-ada")
    assert response.status_code == 404 and "Halaman tidak ditemukan." in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_the_session_key_comes_from_the_environment_or_a_private_file(settings, tmp_path):
    assert session_secret(replace(settings, secret_key="dari-lingkungan")) == "dari-lingkungan"
    keyed = replace(
        settings,
        secret_key=None,
        web=settings.web.model_copy(update={"secret_key_file": tmp_path / "rahasia" / "kunci"}),
    )
    first = session_secret(keyed)
    assert len(first) >= 40 and session_secret(keyed) == first
    assert stat.S_IMODE((tmp_path / "rahasia" / "kunci").stat().st_mode) == 0o600


def test_moderators_list_search_and_open_tickets_with_the_lapor_entry(web, two_tickets):
    water, road = two_tickets
    client = web.test_client()
    login(client)
    listing = client.get("/tiket/").get_data(as_text=True)
    assert water in listing and road in listing
    found = client.get("/tiket/?q=BERLUBANG").get_data(as_text=True)
    assert road in found and water not in found
    assert water not in client.get("/tiket/?q=50%25").get_data(as_text=True), "% is matched literally"
    assert road in client.get("/tiket/?opd=pupr").get_data(as_text=True)
    page = client.get(f"/tiket/{road}").get_data(as_text=True)
    assert "Isian LAPOR!" in page and "Dinas PUPR PRKP" in page and "Kec. Jenu" in page and "Anonim" in page
    assert "081234567890" not in page.split("Unggahan terkait")[0], "the LAPOR! entry is redacted"


def test_the_ticket_page_offers_the_replies_to_the_citizen(web, app, two_tickets):
    water, _ = two_tickets
    client = web.test_client()
    login(client)
    page = client.get(f"/tiket/{water}").get_data(as_text=True)
    section = page.split("Balasan untuk warga")[1].split("</section>")[0]
    assert "Ucapan terima kasih" in section and water in section and "Perumda Air Minum Tirta Lestari" in section
    assert "Kabar selesai" not in section
    with app.sessions.begin() as session:
        for status in (Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI, Status.SELESAI):
            set_status(session, water, status, "liaison")
    resolved = client.get(f"/tiket/{water}").get_data(as_text=True)
    assert "Kabar selesai" in resolved.split("Balasan untuk warga")[1].split("</section>")[0]


def test_a_status_change_records_the_lapor_id_and_refuses_impossible_steps(web, app, two_tickets):
    water, _ = two_tickets
    client = web.test_client()
    login(client)
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


def test_an_agency_liaison_sees_and_moves_only_their_agencys_tickets(web, two_tickets):
    water, road = two_tickets
    client = web.test_client()
    assert login(client, "liaison-pdam").headers["Location"] == "/"
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


def test_a_viewer_cannot_open_tickets(web, two_tickets):
    client = web.test_client()
    login(client, "pengamat")
    assert client.get("/tiket/").status_code == 403
    assert client.get(f"/tiket/{two_tickets[0]}").status_code == 403


def test_overdue_and_due_soon_views_follow_the_working_day_clocks(web, app):
    old, fresh = add_posts(app, record(id="1", text=COMPLAINT), record(id="2", text=COMPLAINT + " lagi"))
    with app.sessions.begin() as session:
        late = confirm(session, app.settings, old, "test", now=datetime(2026, 1, 5, 9, tzinfo=UTC)).ticket.number
        recent = confirm(session, app.settings, fresh, "test").ticket.number
    client = web.test_client()
    login(client)
    overdue = client.get("/tiket/?tenggat=lewat").get_data(as_text=True)
    assert late in overdue and recent not in overdue
    assert 'class="clock lewat">Verifikasi: 08-01-2026' in overdue
    everything = client.get("/tiket/").get_data(as_text=True)
    assert late in everything and recent in everything
    page = client.get(f"/tiket/{late}").get_data(as_text=True)
    assert "Batas Ombudsman: 06-03-2026 (lewat tenggat)" in page
    assert client.get("/tiket/?tenggat=kemarin").status_code == 400


def test_the_csv_export_has_the_lapor_columns_and_defuses_formulas(web, app, two_tickets):
    (formula,) = add_posts(app, record(id="9", text='=HYPERLINK("http://evil") jalan rusak di widang'))
    with app.sessions.begin() as session:
        confirm(session, app.settings, formula, "test", TicketChoices(title="=1+1 jalan rusak"))
    client = web.test_client()
    login(client)
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
    login(liaison, "liaison-pdam")
    scoped = list(csv.DictReader(io.StringIO(liaison.get("/tiket/ekspor.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["nomor"] for row in scoped] == [two_tickets[0]]


def test_admins_read_the_audit_log_filtered_and_nobody_else_does(web, app, two_tickets):
    with app.sessions.begin() as session:
        add_user(session, app.settings, "admin1", "admin", PASSWORD, "test")
    client = web.test_client()
    login(client)
    assert client.get("/audit/").status_code == 403
    admin = web.test_client()
    login(admin, "admin1")
    page = admin.get("/audit/").get_data(as_text=True)
    assert "ticket.create" in page and "user.create" in page and PASSWORD not in page
    assert "pbkdf2" not in page and "scrypt" not in page, "no password hash in the log"
    tickets_only = admin.get("/audit/?aksi=ticket.").get_data(as_text=True)
    assert "ticket.create" in tickets_only and "user.create" not in tickets_only
    first_ticket = admin.get("/audit/?aksi=ticket.&objek=1").get_data(as_text=True)
    assert first_ticket.count("<tr>") == 2 and "tickets 1" in first_ticket, "header and the first ticket's entry"
    assert "Tidak ada catatan." in admin.get("/audit/?aktor=tidak-ada").get_data(as_text=True)
    assert "Tidak ada catatan." in admin.get("/audit/?dari=2030-01-01").get_data(as_text=True)
    assert admin.get("/audit/?dari=kemarin").status_code == 400


def test_the_json_api_needs_a_token_and_respects_agency_scope(web, app, two_tickets):
    water, road = two_tickets
    client = web.test_client()
    assert client.get("/api/tickets").status_code == 401
    assert client.get("/api/tickets", headers={"Authorization": "Bearer palsu"}).get_json() == {
        "error": "token tidak ada atau tidak berlaku"
    }
    moderator, liaison, viewer = (api_token(app, name) for name in ("moderator1", "liaison-pdam", "pengamat"))
    assert {ticket["number"] for ticket in client.get("/api/tickets", headers=moderator).get_json()["tickets"]} == {
        water,
        road,
    }
    assert [ticket["number"] for ticket in client.get("/api/tickets", headers=liaison).get_json()["tickets"]] == [water]
    assert client.get(f"/api/tickets/{road}", headers=liaison).status_code == 404
    assert client.get("/api/tickets", headers=viewer).status_code == 403
    detail = client.get(f"/api/tickets/{water}", headers=liaison).get_json()
    assert detail["agency"] == "pdam" and detail["history"][0]["status"] == "belum_terverifikasi"
    assert "3523012345678901" not in detail["body"]


def test_the_api_moves_a_ticket_without_a_csrf_token_but_only_along_the_lifecycle(web, app, two_tickets):
    water, road = two_tickets
    client = web.test_client()
    liaison = api_token(app, "liaison-pdam")
    moved = client.post(
        f"/api/tickets/{water}/status", json={"status": "Terverifikasi", "lapor_id": "#5550001"}, headers=liaison
    )
    assert moved.status_code == 200 and moved.get_json()["lapor_id"] == "5550001"
    refused = client.post(f"/api/tickets/{water}/status", json={"status": "selesai"}, headers=liaison)
    assert refused.status_code == 409 and "tidak bisa dari Terverifikasi ke Selesai" in refused.get_json()["error"]
    assert client.post(f"/api/tickets/{water}/status", data="x", headers=liaison).status_code == 400
    assert client.post(f"/api/tickets/{road}/status", json={"status": "dihapus"}, headers=liaison).status_code == 404
    (waiting,) = add_posts(app, record(id="7", text="halo min, selamat pagi"))
    posts = client.get("/api/posts?all=1", headers=api_token(app, "moderator1")).get_json()["posts"]
    assert [post["id"] for post in posts] == [waiting], "decided posts have left the queue"
    assert posts[0]["text"] == "halo min, selamat pagi" and 0 <= posts[0]["score"] <= 1
    assert client.get("/api/posts", headers=liaison).status_code == 403


def test_the_dashboard_shows_the_periods_figures_as_svg_and_tables_to_every_role(web, app):
    complaint, spam, other = add_posts(
        app,
        record(id="1", text=COMPLAINT, created_at="2026-11-16T08:00:00+07:00"),
        record(id="2", text="slot gacor maxwin", created_at="2026-11-16T09:00:00+07:00"),
        record(id="3", text="halo min", platform="instagram", created_at="2026-11-18T09:00:00+07:00"),
    )
    with app.sessions.begin() as session:
        confirm(session, app.settings, complaint, "test", now=datetime(2026, 11, 16, 3, 30, tzinfo=UTC))
        reject(session, spam, "test", "spam", now=datetime(2026, 11, 16, 4, tzinfo=UTC))
    client = web.test_client()
    login(client, "pengamat")
    assert client.get("/").headers["Location"] == "/dasbor/"
    page = client.get("/dasbor/?dari=2026-11-16&sampai=2026-11-22").get_data(as_text=True)
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert figures["Unggahan masuk"] == "3" and figures["Dikonfirmasi"] == "1" and figures["Ditolak"] == "1"
    assert figures["Median jam sampai konfirmasi"] == "2.5", "posted 08:00 WIB, confirmed 10:30 WIB"
    assert figures["Tiket lewat tenggat (saat ini)"] == "1", "verification was due on 19 November"
    assert '<svg class="bars" role="img" aria-label="Unggahan per platform"' in page
    assert "<td>16-11-2026</td><td>2</td>" in page and "<td>18-11-2026</td><td>1</td>" in page
    assert "Air bersih PDAM" in page and "Perumda Air Minum Tirta Lestari" in page
    for bad in ("dari=kemarin", "dari=2026-11-20&sampai=2026-11-01", "dari=2020-01-01&sampai=2026-11-01"):
        assert client.get(f"/dasbor/?{bad}").status_code == 400


def upload(client, content: bytes):
    page = client.get("/tiket/impor").get_data(as_text=True)
    data = {"csrf_token": token(page), "file": (io.BytesIO(content), "status.csv")}
    return client.post("/tiket/impor", data=data, content_type="multipart/form-data")


def test_status_updates_import_from_csv_row_by_row_with_a_report(web, app, two_tickets):
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
    client = web.test_client()
    login(client)
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
def test_an_unreadable_status_file_is_refused_whole(web, two_tickets, content, message):
    client = web.test_client()
    login(client)
    assert message in upload(client, content).get_data(as_text=True)
    liaison = web.test_client()
    login(liaison, "liaison-pdam")
    assert liaison.get("/tiket/impor").status_code == 403


def test_the_queue_filters_by_platform_account_score_date_category_and_kecamatan(web, app):
    water, road, insta = add_posts(
        app,
        record(id="1", text=COMPLAINT, created_at="2026-11-16T08:00:00+07:00"),
        record(
            id="2", text="jalan di kerek rusak parah, banyak lubang, tolong", created_at="2026-11-18T08:00:00+07:00"
        ),
        record(
            id="3",
            text="sampah numpuk di pasar tambakboyo",
            platform="instagram",
            account="laportuban",
            created_at="2026-11-20T08:00:00+07:00",
        ),
    )
    client = web.test_client()
    login(client)

    def shown(query: str, status: str = "semua") -> set[int]:
        page = client.get(f"/antrean/?status={status}&{query}").get_data(as_text=True)
        return {int(found) for found in re.findall(r'data-post="(\d+)"', page)}

    assert shown("") == {water, road, insta}
    flagged = {post.id for post in _posts(app) if post.classification.flagged}
    assert shown("", "ditandai") == flagged and shown("", "tidak_ditandai") == {water, road, insta} - flagged
    assert shown("") == shown("", "ditandai") | shown("", "tidak_ditandai")
    assert shown("platform=instagram") == {insta}
    assert shown("akun=@LaporTuban") == {water, road, insta}
    assert shown("dari=2026-11-17&sampai=2026-11-18") == {road}
    assert shown("kecamatan=Jenu") == {water}
    assert shown("kategori=air_minum") == {water} and shown("opd=pdam") == {water}
    scores = {post.id: post.classification.score for post in _posts(app)}
    assert shown(f"skor_min={min(scores.values()) + 0.0001:.4f}") == set(scores) - {min(scores, key=scores.get)}
    for bad in (
        "skor_min=2",
        "dari=kemarin",
        "platform=tiktok",
        "kategori=jalan_tol",
        "kecamatan=Atlantis",
        "status=x",
    ):
        assert client.get(f"/antrean/?{bad}").status_code == 400
    page = client.get("/antrean/?status=semua&platform=x&kecamatan=Kerek").get_data(as_text=True)
    moved = client.post(
        f"/antrean/{road}/tolak?status=semua&platform=x&kecamatan=Kerek&evil=1",
        data={"csrf_token": token(page), "reason": "bukan_keluhan"},
    )
    assert moved.headers["Location"] == "/antrean/?status=semua&platform=x&kecamatan=Kerek"


def test_the_queue_and_the_ticket_list_page_through_long_lists_keeping_their_filters(web, app, monkeypatch):
    monkeypatch.setattr(review_page, "PAGE_SIZE", 5)
    monkeypatch.setattr(tickets_page, "PAGE_SIZE", 3)
    posts = add_posts(
        app,
        *(record(id=str(n), text=f"{COMPLAINT} #{n}", created_at=f"2026-11-0{n + 1}T08:00:00+07:00") for n in range(7)),
    )
    client = web.test_client()
    login(client)

    def cards(query: str) -> list[int]:
        page = client.get(f"/antrean/{query}").get_data(as_text=True)
        return [int(found) for found in re.findall(r'data-post="(\d+)"', page)]

    first, second = cards("?status=semua&platform=x"), cards("?status=semua&platform=x&halaman=2")
    assert first == posts[::-1][:5] and second == posts[::-1][5:], "newest first, every post on exactly one page"
    page = client.get("/antrean/?status=semua&platform=x&_external=1&_scheme=javascript").get_data(as_text=True)
    assert 'href="/antrean/?status=semua&amp;platform=x&amp;halaman=2" rel="next"' in page
    assert "javascript" not in page and 'rel="prev"' not in page
    previous = client.get("/antrean/?status=semua&platform=x&halaman=2").get_data(as_text=True)
    assert 'href="/antrean/?status=semua&amp;platform=x" rel="prev"' in previous and 'rel="next"' not in previous
    assert cards("?status=semua&halaman=3") == []
    for bad in ("0", "-1", "dua", "99999999"):
        assert client.get(f"/antrean/?halaman={bad}").status_code == 400
        assert client.get(f"/tiket/?halaman={bad}").status_code == 400

    with app.sessions.begin() as session:
        for post in posts:
            confirm(session, app.settings, post, "test")

    def numbers(query: str) -> list[str]:
        return re.findall(r'<td><a href="/tiket/([^"]+)">', client.get(f"/tiket/{query}").get_data(as_text=True))

    pages = [numbers(f"?opd=pdam&halaman={n}") for n in (1, 2, 3)]
    assert [len(listed) for listed in pages] == [3, 3, 1]
    assert len({number for listed in pages for number in listed}) == len(posts)
    assert 'href="/tiket/ekspor.csv?opd=pdam"' in client.get("/tiket/?opd=pdam&halaman=2").get_data(as_text=True)


def _posts(app) -> list[Post]:
    with app.sessions() as session:
        return list(session.scalars(select(Post).options(joinedload(Post.classification))))


def test_undo_takes_back_this_sessions_decisions_latest_first(web, app):
    water, spam, third = add_posts(
        app, record(id="1", text=COMPLAINT), record(id="2", text="slot gacor"), record(id="3", text=COMPLAINT + " 2")
    )
    client = web.test_client()
    login(client)
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    csrf = {"csrf_token": token(page)}
    as_suggested = {**csrf, "category": "", "agency": "", "kecamatan": "", "anonymous": "y"}
    assert client.post(f"/antrean/{water}/konfirmasi", data=as_suggested).status_code == 302
    assert client.post(f"/antrean/{spam}/tolak", data={**csrf, "reason": "spam"}).status_code == 302
    assert client.post(f"/antrean/{third}/konfirmasi", data=as_suggested).status_code == 302
    with app.sessions.begin() as session:
        set_status(session, f"{TICKET_PREFIX}000002", Status.TERVERIFIKASI, "test")

    refused = client.post("/antrean/batal", data=csrf, follow_redirects=True).get_data(as_text=True)
    assert f"tiket {TICKET_PREFIX}000002 sudah diproses" in refused
    lifted = client.post("/antrean/batal", data=csrf, follow_redirects=True).get_data(as_text=True)
    assert "Dibatalkan: penolakan; unggahan kembali ke antrean." in lifted
    released = client.post("/antrean/batal", data=csrf, follow_redirects=True).get_data(as_text=True)
    assert f"Dibatalkan: konfirmasi (tiket {TICKET_PREFIX}000001 dihapus)" in released
    empty = client.post("/antrean/batal", data=csrf, follow_redirects=True).get_data(as_text=True)
    assert "Tidak ada keputusan yang bisa dibatalkan di sesi ini." in empty
    with app.sessions() as session:
        statuses = {post.id: post.review_status for post in session.scalars(select(Post))}
        first = session.scalars(select(Ticket).where(Ticket.number == f"{TICKET_PREFIX}000001")).one()
        assert first.status == "dihapus" and first.posts == []
    assert statuses == {water: "pending", spam: "pending", third: "confirmed"}
    assert client.post("/antrean/batal").status_code == 400, "undo needs the CSRF token too"


def test_a_server_error_shows_a_plain_page_without_the_trace_or_the_key(app):
    web = create_app(app, "kunci-rahasia-sekali")
    web.add_url_rule("/meledak", "boom", lambda: 1 / 0)
    response = web.test_client().get("/meledak")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "Terjadi kesalahan pada server." in page
    assert "ZeroDivisionError" not in page and "Traceback" not in page and "kunci-rahasia-sekali" not in page


def test_search_duplicates_and_bulk_actions(web, app):
    water, again, spam, chatter = add_posts(
        app,
        record(id="1", text=COMPLAINT),
        record(id="2", text="banyu PDAM nang Sugihwaras isih mati, podo karo wingi"),
        record(id="3", text="slot gacor 100% maxwin"),
        record(id="4", text="halo min selamat pagi", author="warga_senori"),
    )
    client = web.test_client()
    login(client)
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    csrf = {"csrf_token": token(page)}
    assert {
        int(i)
        for i in re.findall(r'data-post="(\d+)"', client.get("/antrean/?status=semua&q=100%25").get_data(as_text=True))
    } == {spam}
    assert f'data-post="{chatter}"' in client.get("/antrean/?status=semua&q=WARGA_SENORI").get_data(as_text=True)

    as_suggested = {**csrf, "category": "", "agency": "", "kecamatan": "", "anonymous": "y"}
    client.post(f"/antrean/{water}/konfirmasi", data=as_suggested)
    joined = client.post(
        f"/antrean/{again}/tolak", data={**csrf, "reason": "duplikat", "note": "tbn-2026-000001"}, follow_redirects=True
    )
    assert f"Unggahan digabung ke tiket {TICKET_PREFIX}000001 sebagai duplikat." in joined.get_data(as_text=True)
    unknown = client.post(
        f"/antrean/{spam}/tolak", data={**csrf, "reason": "duplikat", "note": "TBN-2026-999999"}, follow_redirects=True
    )
    assert "tiket &#39;TBN-2026-999999&#39; tidak ada" in unknown.get_data(as_text=True)

    bulk = client.post(
        "/antrean/massal",
        data={**csrf, "aksi": "tolak", "pilih": [str(spam), str(chatter), str(water)]},
        follow_redirects=True,
    )
    text = bulk.get_data(as_text=True)
    assert "2 unggahan ditolak." in text and f"sudah menjadi tiket {TICKET_PREFIX}000001" in text
    assert client.post("/antrean/massal", data={**csrf, "aksi": "hapus", "pilih": [str(spam)]}).status_code == 400
    assert client.post("/antrean/massal", data={"aksi": "tolak", "pilih": [str(spam)]}).status_code == 400
    with app.sessions() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert sorted(link.post_id for link in ticket.posts) == [water, again]
        statuses = {post.id: post.review_status for post in session.scalars(select(Post))}
    assert statuses == {water: "confirmed", again: "confirmed", spam: "rejected", chatter: "rejected"}
    client.post("/antrean/batal", data=csrf)
    client.post("/antrean/batal", data=csrf)
    left = client.post("/antrean/batal", data=csrf, follow_redirects=True).get_data(as_text=True)
    assert f"Dibatalkan: penggabungan ke tiket {TICKET_PREFIX}000001" in left
    with app.sessions() as session:
        assert [link.post_id for link in session.scalars(select(Ticket)).one().posts] == [water]
        assert session.get(Post, again).review_status == "pending"


def test_cards_show_the_thread_and_open_tickets_the_post_may_duplicate(web, app):
    (first,) = add_posts(app, record(id="100", text=COMPLAINT))
    with app.sessions.begin() as session:
        number = confirm(session, app.settings, first, "test").ticket.number
    (_, _, reply, rubbish) = add_posts(
        app,
        record(id="200", text="<b>sopo</b> sing ngurus PDAM iki?", author="tetangga"),
        record(id="201", text="wes 3 dino lur", author="warga_a", in_reply_to="200"),
        record(id="202", text="banyu PDAM nang Jenu ora mili, podo", author="warga_b", in_reply_to="201"),
        record(id="203", text="sampah numpuk di pasar tambakboyo, bau sekali"),
    )
    client = web.test_client()
    login(client)
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    card = page[page.index(f'id="post-{reply}"') :].split("</li>")[0]
    assert card.index("membalas @tetangga: &lt;b&gt;sopo&lt;/b&gt;") < card.index("membalas @warga_a: wes 3 dino lur")
    assert f'Mungkin duplikat:\n      <a href="/tiket/{number}">{number}</a>' in card
    other = page[page.index(f'id="post-{rubbish}"') :].split("</li>")[0]
    assert "Mungkin duplikat" not in other and "membalas" not in other


def test_two_moderators_confirming_the_same_post_at_once_make_one_ticket(web, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator2", "moderator", PASSWORD, "test")
    clients = [web.test_client(), web.test_client()]
    forms = []
    for client, name in zip(clients, ("moderator1", "moderator2"), strict=True):
        login(client, name)
        page = client.get("/antrean/?status=semua").get_data(as_text=True)
        forms.append({"csrf_token": token(page), "category": "", "agency": "", "kecamatan": "", "anonymous": "y"})
    start = threading.Barrier(2)
    answers = []

    def confirm_as(client, form):
        start.wait()
        answers.append(client.post(f"/antrean/{post_id}/konfirmasi", data=form, follow_redirects=True))

    workers = [threading.Thread(target=confirm_as, args=pair) for pair in zip(clients, forms, strict=True)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    texts = sorted(answer.get_data(as_text=True) for answer in answers)
    assert all(answer.status_code == 200 for answer in answers)
    assert sum(f"Unggahan dikonfirmasi: tiket {TICKET_PREFIX}000001." in text for text in texts) == 1
    assert sum(f"Sudah menjadi tiket {TICKET_PREFIX}000001." in text for text in texts) == 1
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
