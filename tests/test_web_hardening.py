"""Hardening of the web app: sessions that end, redirects that stay home, answers that leak nothing, JSON errors."""

import re
from urllib.parse import quote, urljoin, urlsplit

import pytest
from sqlalchemy import select

from satukanal.models import Post
from satukanal.users.service import MAX_FAILED_LOGINS, add_user, set_active
from satukanal.web import create_app
from satukanal.web.security import ERRORS
from satukanal.web.ticket_status import LAPOR_ID_LIMIT, NOTE_LIMIT
from satukanal.web.users import LOGIN_REFUSED
from tests.factories import add_posts, record
from tests.web_helpers import PASSWORD, api_token, log_in, token


def flashes(response) -> list[str]:
    return re.findall(r'<p class="flash[^"]*" role="status">([^<]*)</p>', response.get_data(as_text=True))


def log_out(client) -> None:
    page = client.get("/masuk").get_data(as_text=True)
    assert client.post("/keluar", data={"csrf_token": token(page)}).status_code == 302


def sent_to_login(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/masuk")


def test_a_session_cookie_kept_from_before_logout_no_longer_works(web, client, login):
    login()
    kept = client.get_cookie("session").value
    assert client.get("/antrean/").status_code == 200
    log_out(client)
    replayed = web.test_client()
    replayed.set_cookie("session", kept)
    assert sent_to_login(replayed.get("/antrean/"))


def test_logging_out_on_one_browser_ends_the_users_sessions_on_every_other(web):
    office, phone = web.test_client(), web.test_client()
    log_in(office)
    log_in(phone)
    log_out(office)
    assert sent_to_login(phone.get("/antrean/"))


def test_the_undo_stack_does_not_pass_to_the_next_user_of_the_browser(client, login, app):
    (spam,) = add_posts(app, record(id="1", text="slot gacor maxwin"))
    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator2", "moderator", PASSWORD, "test")
    login()
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    assert client.post(f"/antrean/{spam}/tolak", data={"csrf_token": token(page), "reason": "spam"}).status_code == 302
    log_out(client)
    login("moderator2")
    page = client.get("/antrean/").get_data(as_text=True)
    undone = client.post("/antrean/batal", data={"csrf_token": token(page)}, follow_redirects=True)
    assert "Tidak ada keputusan yang bisa dibatalkan di sesi ini." in undone.get_data(as_text=True)
    with app.sessions() as session:
        assert session.scalar(select(Post.review_status).where(Post.id == spam)) == "rejected"


def test_disabling_a_user_ends_their_sessions_even_once_enabled_again(client, login, app):
    login()
    with app.sessions.begin() as session:
        set_active(session, "moderator1", False, "admin-cli")
        set_active(session, "moderator1", True, "admin-cli")
    assert sent_to_login(client.get("/antrean/"))
    login()
    assert client.get("/antrean/").status_code == 200, "a fresh login works again"


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "\t//evil.example",
        " //evil.example",
        "//evil.example ",
        "/\\evil.example",
        "\\\\evil.example",
        "//evil.example",
        "///evil.example",
        "/\\/evil.example",
        "%2F%2Fevil.example",
        "/%2F/evil.example",
        "/%2f%2fevil.example",
        "/%5Cevil.example",
        "/%09/evil.example",
        "/%252F/evil.example",
        "https://evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "/\u3000/evil.example",
    ],
)
def test_login_never_redirects_off_the_site(login, target):
    response = login(next_page=quote(target, safe=""))
    location = response.headers["Location"]
    assert response.status_code == 302
    assert urlsplit(urljoin("http://localhost/masuk", location)).netloc == "localhost" and location == "/"


def test_login_still_returns_to_a_page_of_the_site(login):
    response = login(next_page=quote("/tiket/?status=baru", safe=""))
    assert response.status_code == 302 and response.headers["Location"] == "/tiket/?status=baru"


def test_a_refused_login_reads_the_same_for_unknown_and_locked_usernames(web):
    def attempts(username: str) -> list[tuple[int, list[str]]]:
        client = web.test_client()
        answers = [log_in(client, username, "salah") for _ in range(MAX_FAILED_LOGINS + 1)]
        answers.append(log_in(client, username, PASSWORD))
        return [(answer.status_code, flashes(answer)) for answer in answers]

    known = attempts("moderator1")
    assert known == attempts("tidak-ada")
    assert all(answer == (401, [LOGIN_REFUSED]) for answer in known), "even the right password, once locked"


def test_error_pages_are_plain_and_in_indonesian(client, login):
    login()
    response = client.get("/tidak-ada")
    assert response.status_code == 404 and "Halaman tidak ditemukan." in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_server_error_shows_a_plain_page_without_the_trace_or_the_key(app):
    web = create_app(app, "kunci-rahasia-sekali")
    web.add_url_rule("/meledak", "boom", lambda: 1 / 0)
    response = web.test_client().get("/meledak")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "Terjadi kesalahan pada server." in page
    assert "ZeroDivisionError" not in page and "Traceback" not in page and "kunci-rahasia-sekali" not in page


@pytest.mark.parametrize(
    ("method", "path", "who", "code"),
    [
        ("get", "/api/tidak-ada", "moderator1", 404),
        ("get", "/api/tidak-ada", None, 404),
        ("delete", "/api/tickets", "moderator1", 405),
        ("get", "/api/tickets", None, 401),
        ("get", "/api/tickets", "pengamat", 403),
        ("get", "/api/tickets?status=hilang", "moderator1", 400),
    ],
)
def test_every_api_error_is_json(client, app, method, path, who, code):
    headers = api_token(app, who) if who else {}
    response = getattr(client, method)(path, headers=headers)
    assert response.status_code == code and response.is_json
    assert set(response.get_json()) == {"error"} and response.get_json()["error"]


def test_a_method_an_address_does_not_take_is_a_405_that_says_which_it_does(client, app, web):
    api = client.delete("/api/tickets", headers=api_token(app, "moderator1"))
    assert api.status_code == 405 and set(api.headers["Allow"].split(", ")) >= {"GET"}
    page = web.test_client().put("/masuk")
    assert page.status_code == 405 and "POST" in page.headers["Allow"] and page.mimetype == "text/html"


def test_an_api_request_too_large_is_a_json_413(web, client, app, two_tickets):
    water, _ = two_tickets
    huge = {"status": "terverifikasi", "note": "x" * (web.config["MAX_CONTENT_LENGTH"] + 1)}
    response = client.post(f"/api/tickets/{water}/status", json=huge, headers=api_token(app, "moderator1"))
    assert response.status_code == 413 and response.get_json() == {"error": ERRORS[413]}


def test_an_api_server_error_is_json_without_the_trace(app):
    untested = create_app(app, "kunci-rahasia-sekali")  # not in testing mode, so the error is not re-raised
    untested.add_url_rule("/api/meledak", "boom", lambda: 1 / 0)
    response = untested.test_client().get("/api/meledak")
    assert response.status_code == 500 and response.get_json() == {"error": ERRORS[500]}


def test_the_api_bounds_the_note_and_the_lapor_id_as_the_ticket_page_does(client, app, two_tickets):
    water, _ = two_tickets
    moderator = api_token(app, "moderator1")
    path = f"/api/tickets/{water}/status"
    long_note = client.post(path, json={"status": "terverifikasi", "note": "x" * (NOTE_LIMIT + 1)}, headers=moderator)
    assert long_note.status_code == 400 and long_note.get_json() == {
        "error": f"note paling panjang {NOTE_LIMIT} karakter"
    }
    long_id = client.post(
        path, json={"status": "terverifikasi", "lapor_id": "1" * (LAPOR_ID_LIMIT + 1)}, headers=moderator
    )
    assert long_id.status_code == 400 and "lapor_id paling panjang" in long_id.get_json()["error"]
    fitting = client.post(path, json={"status": "terverifikasi", "note": "x" * NOTE_LIMIT}, headers=moderator)
    assert fitting.status_code == 200 and fitting.get_json()["status"] == "terverifikasi"


def test_deeply_nested_json_is_a_400_not_a_crash(client, app, two_tickets):
    water, _ = two_tickets
    response = client.post(
        f"/api/tickets/{water}/status",
        data="[" * 100_000,
        content_type="application/json",
        headers=api_token(app, "moderator1"),
    )
    assert response.status_code == 400 and "error" in response.get_json()


@pytest.mark.parametrize("page", ["/antrean/", "/dasbor/", "/audit/"])
@pytest.mark.parametrize(("query", "field"), [("dari=0001-01-01", "dari"), ("sampai=9999-12-31", "sampai")])
def test_a_date_out_of_range_shows_the_page_with_a_message_beside_the_field(client, login, app, page, query, field):
    with app.sessions.begin() as session:
        add_user(session, app.settings, "admin1", "admin", PASSWORD, "test")
    login("admin1")
    response = client.get(f"{page}?{query}")
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "<h1>" in text and 'class="filters"' in text, "the page, not an error page"
    assert f'<span class="field-error" id="{field}-error">' in text and 'aria-invalid="true"' in text
    assert "harus antara 01-01-2000 dan 31-12-2100." in text


def test_an_id_too_long_for_the_database_is_a_404(client, login, app):
    with app.sessions.begin() as session:
        add_user(session, app.settings, "admin1", "admin", PASSWORD, "test")
    login("admin1")
    page = client.get("/antrean/").get_data(as_text=True)
    huge = "9" * 20
    assert client.get(f"/publikasi/{huge}").status_code == 404
    assert client.post(f"/antrean/{huge}/tolak", data={"csrf_token": token(page), "reason": "spam"}).status_code == 404
    bulk = client.post(
        "/antrean/massal",
        data={"csrf_token": token(page), "aksi": "tolak", "pilih": huge},
        follow_redirects=True,
    )
    assert bulk.status_code == 200 and f"unggahan {huge} tidak ada" in bulk.get_data(as_text=True)


def test_exports_and_api_answers_are_never_stored_by_a_cache(client, login, app, two_tickets):
    login()
    assert client.get("/tiket/ekspor.csv").headers["Cache-Control"] == "no-store"
    assert client.get("/api/tickets", headers=api_token(app, "moderator1")).headers["Cache-Control"] == "no-store"
    assert client.get("/api/tickets").headers["Cache-Control"] == "no-store", "errors too"
