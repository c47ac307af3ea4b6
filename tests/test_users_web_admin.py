"""Accounts in the web app: an admin adds users, changes roles, unlocks and resets passwords; each user changes
their own password. All audited, none of it open to other roles."""

import re

import pytest
from sqlalchemy import select

from satukanal.models import AuditEntry, utcnow
from satukanal.users.service import MAX_FAILED_LOGINS, add_user, authenticate, get_user
from tests.web_helpers import PASSWORD, log_in, signed_in, token


@pytest.fixture
def admin(app, web, client, login):
    with app.sessions.begin() as session:
        add_user(session, app.settings, "kepala", "admin", PASSWORD, "test")
    assert login("kepala").status_code == 302
    return client


def shown_password(page: str) -> str:
    return re.search(r'class="one-time-password"><code>([^<]+)</code>', page).group(1)


def actions(app) -> list[str]:
    with app.sessions() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_only_admins_see_the_accounts(client, login):
    login()
    assert client.get("/pengguna").status_code == 403
    assert client.post("/pengguna/pengamat/sandi-baru").status_code in (400, 403)


def test_an_admin_adds_a_liaison_who_logs_in_with_the_password_shown_once(app, web, admin):
    page = admin.get("/pengguna").get_data(as_text=True)
    assert "Petugas OPD" in page and "moderator1" in page and "Pemantau" in page
    answer = admin.post(
        "/pengguna",
        data={"username": "Petugas.PDAM", "role": "agency", "agency": "pdam", "csrf_token": token(page)},
    )
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    password = shown_password(answer.get_data(as_text=True))
    liaison = web.test_client()
    assert log_in(liaison, "petugas.pdam", password).status_code == 302
    assert "user.create" in actions(app) and password not in str(actions(app))


def test_a_refused_new_user_says_why(app, admin):
    page = admin.get("/pengguna").get_data(as_text=True)
    answer = admin.post(
        "/pengguna",
        data={"username": "ab", "role": "agency", "agency": "", "csrf_token": token(page)},
        follow_redirects=True,
    )
    assert "Pengguna tidak dibuat: nama pengguna" in answer.get_data(as_text=True)


def test_an_admin_unlocks_and_resets_a_locked_user_who_then_logs_in(app, web, admin):
    now = utcnow()
    with app.sessions.begin() as session:
        for _ in range(MAX_FAILED_LOGINS):
            authenticate(session, "moderator1", "salah-salah-salah", now=now)
    page = admin.get("/pengguna").get_data(as_text=True)
    assert "Terkunci sementara" in page and "Buka kunci" in page
    answer = admin.post("/pengguna/moderator1/buka-kunci", data={"csrf_token": token(page)}, follow_redirects=True)
    assert "Kunci moderator1 dibuka." in answer.get_data(as_text=True)
    assert log_in(web.test_client(), "moderator1").status_code == 302

    reset = admin.post("/pengguna/moderator1/sandi-baru", data={"csrf_token": token(page)})
    password = shown_password(reset.get_data(as_text=True))
    assert log_in(web.test_client(), "moderator1").status_code == 401, "the old password stops working"
    assert log_in(web.test_client(), "moderator1", password).status_code == 302
    assert actions(app)[-3:] == ["user.lock", "user.unlock", "user.password_reset"]
    assert admin.post("/pengguna/tidak-ada/sandi-baru", data={"csrf_token": token(page)}).status_code == 404


def test_a_new_role_ends_the_users_sessions(app, web, admin):
    viewer = signed_in(web, "pengamat")
    assert viewer.get("/dasbor/").status_code == 200
    page = admin.get("/pengguna").get_data(as_text=True)
    answer = admin.post(
        "/pengguna/pengamat/peran",
        data={"role": "agency", "agency": "pdam", "csrf_token": token(page)},
        follow_redirects=True,
    )
    assert "Peran pengamat diubah." in answer.get_data(as_text=True)
    assert viewer.get("/dasbor/").status_code == 302, "the old session ends"
    with app.sessions() as session:
        user = get_user(session, "pengamat")
        assert (user.role, user.agency) == ("agency", "pdam")


def test_an_admin_cannot_disable_themselves_but_can_disable_others(app, admin):
    page = admin.get("/pengguna").get_data(as_text=True)
    own = admin.post("/pengguna/kepala/status", data={"aktif": "0", "csrf_token": token(page)}, follow_redirects=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in own.get_data(as_text=True)
    other = admin.post(
        "/pengguna/pengamat/status", data={"aktif": "0", "csrf_token": token(page)}, follow_redirects=True
    )
    assert "pengamat dinonaktifkan." in other.get_data(as_text=True)
    with app.sessions() as session:
        assert get_user(session, "pengamat").is_active is False


def test_a_user_changes_their_own_password_after_giving_the_current_one(app, web, client, login):
    login()
    other_browser = signed_in(web, "moderator1")
    page = client.get("/akun/kata-sandi").get_data(as_text=True)
    wrong = client.post(
        "/akun/kata-sandi",
        data={
            "current": "salah-salah-salah",
            "new": "sandi-baru-panjang",
            "repeat": "sandi-baru-panjang",
            "csrf_token": token(page),
        },
    )
    assert wrong.status_code == 400 and "Kata sandi sekarang salah." in wrong.get_data(as_text=True)
    short = client.post(
        "/akun/kata-sandi", data={"current": PASSWORD, "new": "pendek", "repeat": "pendek", "csrf_token": token(page)}
    )
    assert "Minimal 10 karakter." in short.get_data(as_text=True)
    done = client.post(
        "/akun/kata-sandi",
        data={
            "current": PASSWORD,
            "new": "sandi-baru-panjang",
            "repeat": "sandi-baru-panjang",
            "csrf_token": token(page),
        },
    )
    assert done.status_code == 302
    assert client.get("/tiket/").status_code == 200, "this browser stays logged in"
    assert other_browser.get("/tiket/").status_code == 302, "the other sessions end"
    assert log_in(web.test_client(), "moderator1", "sandi-baru-panjang").status_code == 302
    assert "user.password_change" in actions(app)
