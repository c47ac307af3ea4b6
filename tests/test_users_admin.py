"""Account administration: unlocking, resetting a password, changing a role; service and command line, audited."""

import pytest

from satukanal.models import utcnow
from satukanal.users.admin import reset_password, set_role, temporary_password, unlock
from satukanal.users.service import MAX_FAILED_LOGINS, UserError
from tests.users_helpers import PASSWORD, add, audit_entries, audit_text, login, stored


def lock_out(app, username="budi"):
    now = utcnow()
    for _ in range(MAX_FAILED_LOGINS):
        login(app, username, "salah-salah-salah", now=now)
    assert login(app, username, now=now).locked_until is not None


def test_unlock_lets_a_locked_user_in_at_once_and_is_audited(app):
    add(app)
    lock_out(app)
    with app.sessions.begin() as session:
        assert unlock(session, "Budi", "admin") is True
        assert unlock(session, "budi", "admin") is False, "unlocking an unlocked user changes nothing"
    assert login(app, now=utcnow()).user is not None
    assert [entry.action for entry in audit_entries(app)][-1] == "user.unlock"


def test_a_reset_password_works_once_handed_over_ends_sessions_and_lifts_the_lock(app):
    add(app)
    lock_out(app)
    generation = stored(app).session_generation
    with app.sessions.begin() as session:
        password = reset_password(session, "budi", "admin")
    assert login(app, now=utcnow()).user is None, "the old password stops working"
    assert login(app, password=password, now=utcnow()).user is not None
    assert stored(app).session_generation == generation + 1
    assert password not in audit_text(app)
    assert [entry.action for entry in audit_entries(app)] == ["user.create", "user.lock", "user.password_reset"]


def test_temporary_passwords_are_long_random_and_readable():
    made = {temporary_password() for _ in range(50)}
    assert len(made) == 50
    for password in made:
        assert len(password.replace("-", "")) == 14 and not set(password) & set("0O1lI")


def test_a_chosen_password_must_be_long_enough(app):
    add(app)
    with app.sessions.begin() as session, pytest.raises(UserError, match="minimal 10 karakter"):
        reset_password(session, "budi", "admin", password="pendek")
    assert login(app).user is not None


def test_a_new_role_applies_from_the_next_login_and_an_agency_goes_with_the_liaison_role(app):
    add(app)
    generation = stored(app).session_generation
    with app.sessions.begin() as session:
        assert set_role(session, app.settings, "budi", "agency", "admin", agency="pdam") is True
        assert set_role(session, app.settings, "budi", "agency", "admin", agency="pdam") is False
        with pytest.raises(UserError, match="peran agency wajib disertai OPD"):
            set_role(session, app.settings, "budi", "agency", "admin")
        with pytest.raises(UserError, match="OPD hanya untuk peran agency"):
            set_role(session, app.settings, "budi", "viewer", "admin", agency="pdam")
    user = stored(app)
    assert (user.role, user.agency, user.session_generation) == ("agency", "pdam", generation + 1)
    entry = audit_entries(app)[-1]
    assert entry.action == "user.role" and entry.before["role"] == "moderator" and entry.after["agency"] == "pdam"


def test_the_commands_unlock_reset_and_change_roles(cli_run, env, app, monkeypatch):
    monkeypatch.delenv("SATUKANAL_PASSWORD", raising=False)
    add(app)
    lock_out(app)
    assert cli_run("users", "unlock", "budi").stdout == "Kunci budi dibuka.\n"
    assert cli_run("users", "unlock", "budi").stdout == "Pengguna budi tidak terkunci; tidak ada yang berubah.\n"

    reset = cli_run("users", "reset-password", "budi")
    assert reset.exit_code == 0 and "hanya ditampilkan sekali" in reset.stderr
    assert login(app, password=reset.stdout.strip(), now=utcnow()).user is not None

    env["SATUKANAL_PASSWORD"] = PASSWORD
    assert cli_run("users", "reset-password", "budi").stdout == ""
    assert login(app, now=utcnow()).user is not None

    role = cli_run("users", "set-role", "budi", "--role", "agency", "--agency", "pdam")
    assert role.stdout == "Peran budi kini agency, pdam.\n"
    refused = cli_run("users", "set-role", "budi", "--role", "raja")
    assert refused.exit_code == 1 and "peran 'raja' tidak dikenal" in refused.stderr


def test_enable_on_an_active_but_locked_user_lifts_the_lock(cli_run, app):
    add(app)
    lock_out(app)
    result = cli_run("users", "enable", "budi")
    assert result.stdout == "Pengguna budi sudah aktif; kuncinya dibuka.\n"
    assert login(app, now=utcnow()).user is not None
