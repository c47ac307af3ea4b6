"""Logging in to Instagram: the saved session, its file, and advice when Instagram says no."""

import json
import logging
import stat

import pytest

from satukanal.config.settings import INSTAGRAM_PASSWORD_ENV, INSTAGRAM_SESSIONID_ENV
from satukanal.platforms.instagram import InstagramLoginError, instagram_client
from tests import instagram_fakes as fake
from tests.instagram_fakes import NEW_SESSIONID, PASSWORD, SESSIONID, USER_ID, USERNAME


@pytest.fixture
def session_file(tmp_path):
    return tmp_path / "rahasia" / "instagram-session.json"


def start(session_file, **credentials):
    return instagram_client(session_file, USERNAME, delay_seconds=(0, 0), **credentials)


def saved_sessionid(session_file) -> str:
    return json.loads(session_file.read_text(encoding="utf-8"))["authorization_data"]["sessionid"]


def test_a_password_login_is_saved_privately_and_the_next_start_reuses_it(instagram, session_file, caplog):
    caplog.set_level(logging.DEBUG)
    instagram.password_login()

    client = start(session_file, password=PASSWORD)

    assert client.user_id == int(USER_ID)
    assert stat.S_IMODE(session_file.stat().st_mode) == 0o600
    assert saved_sessionid(session_file) == NEW_SESSIONID
    assert list(session_file.parent.iterdir()) == [session_file], "no temporary file is left behind"
    assert PASSWORD not in session_file.read_text(encoding="utf-8")
    assert PASSWORD not in caplog.text

    instagram.session_accepted()
    again = start(session_file)

    assert again.user_id == int(USER_ID)
    assert again.username == USERNAME
    assert len(instagram.calls("accounts/login/")) == 1, "the second start logs in with the saved session"
    assert len(instagram.calls("accounts/current_user/")) == 1
    assert stat.S_IMODE(session_file.stat().st_mode) == 0o600


def test_a_refused_saved_session_is_replaced_by_a_password_login(instagram, session_file):
    session_file.parent.mkdir()
    fake.write_saved_session(session_file)
    instagram.reply("GET", "accounts/current_user/", fake.LOGIN_REQUIRED, status=403)
    instagram.password_login()

    client = start(session_file, password=PASSWORD)

    assert client.user_id == int(USER_ID)
    assert len(instagram.calls("accounts/login/")) == 1
    assert saved_sessionid(session_file) == NEW_SESSIONID
    assert stat.S_IMODE(session_file.stat().st_mode) == 0o600


def test_a_refused_saved_session_without_credentials_says_how_to_log_in_again(instagram, session_file):
    session_file.parent.mkdir()
    fake.write_saved_session(session_file)
    instagram.reply("GET", "accounts/current_user/", fake.LOGIN_REQUIRED, status=403)

    with pytest.raises(InstagramLoginError) as refused:
        start(session_file)

    assert str(session_file) in str(refused.value)
    assert INSTAGRAM_PASSWORD_ENV in str(refused.value) and INSTAGRAM_SESSIONID_ENV in str(refused.value)
    assert not instagram.calls("accounts/login/")


def test_a_browser_sessionid_logs_in_without_the_password(instagram, session_file):
    instagram.user_info()

    client = start(session_file, sessionid=SESSIONID)

    assert client.user_id == int(USER_ID)
    assert client.username == USERNAME
    assert saved_sessionid(session_file) == SESSIONID
    assert stat.S_IMODE(session_file.stat().st_mode) == 0o600
    assert not instagram.calls("accounts/login/")


def test_a_refused_sessionid_says_to_copy_a_fresh_one(instagram, session_file):
    instagram.sessionid_refused()

    with pytest.raises(InstagramLoginError) as refused:
        start(session_file, sessionid=SESSIONID)

    assert f"Instagram menolak sesi akun {USERNAME}: isi {INSTAGRAM_SESSIONID_ENV}" in str(refused.value)
    assert SESSIONID not in str(refused.value)
    assert not session_file.exists()


def test_a_sessionid_of_another_account_is_not_used(instagram, session_file):
    instagram.user_info(username="akun.pribadi")

    with pytest.raises(InstagramLoginError) as wrong:
        start(session_file, sessionid=SESSIONID)

    assert "akun.pribadi" in str(wrong.value) and USERNAME in str(wrong.value)
    assert SESSIONID not in str(wrong.value)
    assert not session_file.exists()


def test_without_a_saved_session_or_credentials_the_error_says_what_to_set(instagram, session_file):
    with pytest.raises(InstagramLoginError) as missing:
        start(session_file)

    assert str(session_file) in str(missing.value)
    assert INSTAGRAM_PASSWORD_ENV in str(missing.value) and INSTAGRAM_SESSIONID_ENV in str(missing.value)
    assert not instagram.mock.calls


TWO_FACTOR = {
    "message": "",
    "two_factor_required": True,
    "two_factor_info": {"username": USERNAME, "two_factor_identifier": "dummy-identifier", "totp_two_factor_on": True},
    "status": "fail",
    "error_type": "two_factor_required",
}
BAD_PASSWORD = {
    "message": "The password you entered is incorrect. Please try again.",
    "invalid_credentials": True,
    "error_title": "Incorrect Password",
    "status": "fail",
    "error_type": "bad_password",
}


@pytest.mark.parametrize(
    ("reply", "advice"),
    [
        pytest.param(fake.challenge(), "buka aplikasi Instagram", id="challenge"),
        pytest.param(TWO_FACTOR, "verifikasi dua langkah", id="two-factor"),
        pytest.param(BAD_PASSWORD, f"periksa {INSTAGRAM_PASSWORD_ENV}", id="bad-password"),
    ],
)
def test_a_refused_password_login_says_what_to_do_without_the_password(instagram, session_file, reply, advice):
    instagram.password_login(reply, status=400)

    with pytest.raises(InstagramLoginError) as refused:
        start(session_file, password=PASSWORD)

    assert advice in str(refused.value)
    assert PASSWORD not in str(refused.value)
    assert not session_file.exists()
    assert not instagram.challenge_calls()


def test_a_challenge_on_the_saved_session_is_not_answered_here(instagram, session_file):
    session_file.parent.mkdir()
    fake.write_saved_session(session_file)
    instagram.reply("GET", "accounts/current_user/", fake.challenge(), status=400)

    with pytest.raises(InstagramLoginError) as challenged:
        start(session_file, password=PASSWORD)

    assert "buka aplikasi Instagram" in str(challenged.value)
    assert not instagram.calls("accounts/login/")
    assert not instagram.challenge_calls()
