"""Staff in the web app: every page asks for a login, sessions are protected, wrong passwords lock the account."""

import stat
from dataclasses import replace

from satukanal.users.service import MAX_FAILED_LOGINS
from satukanal.web.security import session_secret
from satukanal.web.users import LOGIN_REFUSED
from tests.web_helpers import log_in, token


def test_every_page_sends_an_unauthenticated_user_to_the_login(client):
    for path in ("/antrean/", "/antrean/?urutan=uncertain&status=semua"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/masuk?next=")
    assert "<h1>Masuk</h1>" in client.get("/", follow_redirects=True).get_data(as_text=True)
    page = client.get("/masuk").get_data(as_text=True)
    refused = client.post("/antrean/1/tolak", data={"csrf_token": token(page), "reason": "spam"})
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/masuk")


def test_login_sets_a_protected_session_cookie_and_logout_ends_it(client, login):
    response = login()
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/antrean/").get_data(as_text=True)
    assert "moderator1 · Moderator" in page, "the user and their role, in Indonesian"
    assert client.post("/keluar", data={"csrf_token": token(page)}).status_code == 302
    assert client.get("/antrean/").status_code == 302


def test_wrong_passwords_lock_the_account(login):
    wrong = login(password="salah")
    assert wrong.status_code == 401 and LOGIN_REFUSED in wrong.get_data(as_text=True)
    for _ in range(MAX_FAILED_LOGINS - 1):
        login(password="salah")
    locked = login()
    assert locked.status_code == 401 and LOGIN_REFUSED in locked.get_data(as_text=True)


def test_login_never_redirects_to_another_site(web):
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        assert log_in(web.test_client(), next_page=target).headers["Location"] == "/"
    assert log_in(web.test_client(), next_page="/antrean/?urutan=uncertain").headers["Location"].endswith("uncertain")


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
