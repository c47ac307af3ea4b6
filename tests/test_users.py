"""Staff accounts in the service: creation rules, login with lock-out, API tokens, disabling."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from satukanal.models import User
from satukanal.users import service
from satukanal.users.service import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    UserError,
    add_user,
    get_user,
    issue_api_token,
    set_active,
    user_for_token,
)
from tests.users_helpers import PASSWORD, T0, add, audit_entries, audit_text, login, stored


@pytest.fixture
def password_checks(monkeypatch) -> list[str]:
    """The hashes every password check in the service ran against."""
    checked: list[str] = []
    real = service.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        checked.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(service, "check_password_hash", counting)
    return checked


def test_a_new_user_has_a_hashed_password_and_an_audit_entry_without_it(app):
    user = add(app, "Siti.Rahma", "agency", agency="pdam")
    assert (user.username, user.role, user.agency, user.is_active, user.failed_logins) == (
        "siti.rahma",
        "agency",
        "pdam",
        True,
        0,
    )
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
    (entry,) = audit_entries(app)
    assert (entry.action, entry.actor, entry.entity_type, entry.entity_id) == (
        "user.create",
        "admin-cli",
        "users",
        str(user.id),
    )
    assert entry.before is None
    assert entry.after == {"username": "siti.rahma", "role": "agency", "agency": "pdam"}
    assert PASSWORD not in audit_text(app) and user.password_hash not in audit_text(app)


@pytest.mark.parametrize(
    "username, role, password, agency, message",
    [
        ("bu", "viewer", PASSWORD, None, "nama pengguna 'bu' tidak sah"),
        ("-budi", "viewer", PASSWORD, None, "nama pengguna '-budi' tidak sah"),
        ("budi hartono", "viewer", PASSWORD, None, "tidak sah"),
        ("budi\n", "viewer", PASSWORD, None, "tidak sah"),
        ("b" * 65, "viewer", PASSWORD, None, "tidak sah"),
        ("büdi", "viewer", PASSWORD, None, "tidak sah"),
        ("budi", "superuser", PASSWORD, None, "peran 'superuser' tidak dikenal (pilihan: admin, moderator, agency"),
        ("budi", "agency", PASSWORD, None, "peran agency wajib disertai OPD (pilihan: pupr, dlhp"),
        ("budi", "agency", PASSWORD, "pemadam", "OPD 'pemadam' tidak dikenal"),
        ("budi", "moderator", PASSWORD, "pdam", "OPD hanya untuk peran agency, bukan moderator"),
        ("budi", "viewer", "123456789", None, "kata sandi minimal 10 karakter"),
    ],
)
def test_invalid_users_are_refused_and_nothing_is_written(app, username, role, password, agency, message):
    with pytest.raises(UserError, match=re.escape(message)) as caught:
        add(app, username, role, password, agency)
    assert "\n" not in str(caught.value)
    with app.sessions() as session:
        assert session.scalars(select(User)).all() == []
    assert audit_entries(app) == []


def test_a_username_is_taken_whatever_its_case(app):
    add(app, "budi")
    with pytest.raises(UserError, match="^pengguna budi sudah ada$"):
        add(app, "BUDI", "viewer")
    assert [entry.action for entry in audit_entries(app)] == ["user.create"]


def test_the_right_password_logs_in_and_clears_earlier_failures(app):
    add(app)
    assert login(app, password="salah-salah-salah").user is None
    assert stored(app).failed_logins == 1
    result = login(app, "BUDI")
    assert result.user is not None and result.user.username == "budi" and result.locked_until is None
    assert stored(app).failed_logins == 0


def test_unknown_and_disabled_users_cost_a_password_check_all_the_same(app, password_checks):
    add(app)
    assert login(app, "siapa") == service.LoginResult(None, None)
    with app.sessions.begin() as session:
        set_active(session, "budi", False, "admin-cli")
    assert login(app) == service.LoginResult(None, None), "a disabled user cannot log in with the right password"
    assert len(password_checks) == 2
    assert all(pwhash.startswith("scrypt:") for pwhash in password_checks)
    assert password_checks[0] == password_checks[1] != stored(app).password_hash
    assert stored(app).failed_logins == 0


def test_five_failures_lock_the_account_until_the_lockout_has_passed(app, password_checks):
    add(app)
    for attempt in range(1, MAX_FAILED_LOGINS):
        assert login(app, password=f"tebakan-ke-{attempt}", now=T0 + timedelta(seconds=attempt)).user is None
        assert stored(app).failed_logins == attempt and stored(app).locked_until is None
    last_failure = T0 + timedelta(seconds=MAX_FAILED_LOGINS)
    locked = login(app, password="tebakan-terakhir", now=last_failure)
    assert locked.user is None and locked.locked_until == last_failure + LOCKOUT
    assert stored(app).failed_logins == 0 and stored(app).locked_until == last_failure + LOCKOUT
    lock_entry = audit_entries(app)[-1]
    assert (lock_entry.action, lock_entry.actor) == ("user.lock", "login")
    assert lock_entry.after == {"username": "budi", "locked_until": (last_failure + LOCKOUT).isoformat()}

    checks_before = len(password_checks)
    for now in (last_failure + timedelta(minutes=1), last_failure + LOCKOUT - timedelta(seconds=1)):
        refused = login(app, now=now)
        assert refused.user is None and refused.locked_until == last_failure + LOCKOUT
    assert login(app, password="salah-lagi", now=last_failure + timedelta(minutes=2)).user is None
    assert len(password_checks) == checks_before, "a locked account's password is not checked"
    assert stored(app).failed_logins == 0, "attempts while locked do not count"

    accepted = login(app, now=last_failure + LOCKOUT)
    assert accepted.user is not None and accepted.locked_until is None
    assert stored(app).locked_until is None and stored(app).failed_logins == 0
    assert [entry.action for entry in audit_entries(app)] == ["user.create", "user.lock"]


def test_failures_after_a_lockout_count_from_zero(app):
    add(app)
    for attempt in range(MAX_FAILED_LOGINS):
        login(app, password="salah-salah", now=T0 + timedelta(seconds=attempt))
    after = T0 + LOCKOUT + timedelta(minutes=1)
    assert login(app, password="salah-salah", now=after) == service.LoginResult(None, None)
    assert stored(app).failed_logins == 1


def test_api_tokens_round_trip_replace_each_other_and_die_with_a_disabled_user(app):
    add(app, "bot-lapor", "viewer")
    with app.sessions.begin() as session:
        first = issue_api_token(session, get_user(session, "bot-lapor"), "admin-cli")
    with app.sessions.begin() as session:
        second = issue_api_token(session, get_user(session, "bot-lapor"), "admin-cli")
    assert len(second) >= 43 and first != second
    digest = hashlib.sha256(second.encode()).hexdigest()
    assert stored(app, "bot-lapor").api_token_hash == digest

    with app.sessions() as session:
        assert user_for_token(session, second).username == "bot-lapor"
        assert user_for_token(session, first) is None, "a new token replaces the old one"
        assert user_for_token(session, "") is None and user_for_token(session, digest) is None

    with app.sessions.begin() as session:
        assert set_active(session, "bot-lapor", False, "admin-cli") is True
        assert set_active(session, "bot-lapor", False, "admin-cli") is False
    with app.sessions() as session:
        assert user_for_token(session, second) is None
    with app.sessions.begin() as session:
        assert set_active(session, "bot-lapor", True, "admin-cli") is True
    with app.sessions() as session:
        assert user_for_token(session, second).username == "bot-lapor"

    entries = audit_entries(app)
    assert [entry.action for entry in entries] == [
        "user.create",
        "user.token",
        "user.token",
        "user.disable",
        "user.enable",
    ]
    assert entries[1].before == {"username": "bot-lapor", "has_api_token": False}
    assert entries[2].before == {"username": "bot-lapor", "has_api_token": True}
    assert entries[3].after == {"username": "bot-lapor", "is_active": False}
    text = audit_text(app)
    for secret in (first, second, digest, hashlib.sha256(first.encode()).hexdigest(), PASSWORD):
        assert secret not in text


def test_unknown_users_cannot_be_disabled(app):
    with pytest.raises(UserError, match="^pengguna siapa tidak ada$"):
        with app.sessions.begin() as session:
            set_active(session, "siapa", False, "admin-cli")


def test_a_duplicate_that_slips_past_the_check_is_still_a_user_error(app, monkeypatch):
    """Two admins adding the same name at once: the unique constraint decides, the session stays usable."""
    add(app, "budi")
    monkeypatch.setattr(service, "_find", lambda session, username: None)
    with app.sessions.begin() as session:
        with pytest.raises(UserError, match="^pengguna budi sudah ada$"):
            add_user(session, app.settings, "budi", "viewer", PASSWORD, "admin-cli")
        assert session.scalars(select(User.username)).all() == ["budi"]
    assert [entry.action for entry in audit_entries(app)] == ["user.create"]
