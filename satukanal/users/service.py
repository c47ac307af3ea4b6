"""Staff accounts: creating them, logging in with lock-out, API tokens, disabling.

Only hashes are stored: the password as a Werkzeug (scrypt) hash, the API
token as its SHA-256 digest. Audit entries name the user, the role and the
agency, never a password, a token or a hash. Every function works in the
caller's transaction; ``authenticate`` changes the user on a failed login
too, so the caller commits whatever the result.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from satukanal import audit
from satukanal.config.settings import Settings
from satukanal.models import User, utcnow

ROLES = ("admin", "moderator", "agency", "viewer")
ROLE_LABELS = {"admin": "Admin", "moderator": "Moderator", "agency": "Petugas OPD", "viewer": "Pemantau"}
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_CHARS = 10
# Recorded as the actor of a lock-out, which no person decides.
LOGIN_ACTOR = "login"

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")


class UserError(ValueError):
    """An account action that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class LoginResult:
    """The user when the login succeeded; ``locked_until`` when the account is locked."""

    user: User | None
    locked_until: datetime | None = None


def user_state(user: User) -> dict:
    """The fields an audit entry records about a user: no password, token or hash."""
    return {"username": user.username, "role": user.role, "agency": user.agency}


def add_user(
    session: Session,
    settings: Settings,
    username: str,
    role: str,
    password: str,
    actor: str,
    agency: str | None = None,
    now: datetime | None = None,
) -> User:
    username = check_new_user(session, settings, username, role, agency)
    check_password(password)
    user = User(
        username=username,
        role=role,
        agency=agency,
        password_hash=generate_password_hash(password),
        is_active=True,
        failed_logins=0,
        created_at=now or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError:
        raise UserError(f"pengguna {username} sudah ada") from None
    audit.record(session, actor, "user.create", user, None, user_state(user), user.created_at)
    return user


def check_new_user(session: Session, settings: Settings, username: str, role: str, agency: str | None) -> str:
    """Check everything about a new user but the password; returns the username as stored.

    Lets the command line refuse a bad name or role before asking for a password.
    """
    username = username.lower()
    if not _USERNAME.fullmatch(username):
        raise UserError(
            f"nama pengguna {username!r} tidak sah: 3–64 huruf kecil, angka, titik, garis bawah "
            "atau tanda hubung, diawali huruf atau angka"
        )
    check_role(settings, role, agency)
    if _find(session, username) is not None:
        raise UserError(f"pengguna {username} sudah ada")
    return username


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise UserError(f"kata sandi minimal {MIN_PASSWORD_CHARS} karakter")


def check_role(settings: Settings, role: str, agency: str | None) -> None:
    """A role, and an agency exactly when the role is ``agency`` (a liaison of that agency)."""
    if role not in ROLES:
        raise UserError(f"peran {role!r} tidak dikenal (pilihan: {', '.join(ROLES)})")
    if role == "agency":
        if not agency:
            raise UserError(f"peran agency wajib disertai OPD (pilihan: {', '.join(settings.agencies)})")
        if agency not in settings.agencies:
            raise UserError(f"OPD {agency!r} tidak dikenal (pilihan: {', '.join(settings.agencies)})")
    elif agency is not None:
        raise UserError(f"OPD hanya untuk peran agency, bukan {role}")


def get_user(session: Session, username: str) -> User:
    user = _find(session, username.lower())
    if user is None:
        raise UserError(f"pengguna {username} tidak ada")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def authenticate(session: Session, username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check a login. Failures count towards a lock-out of ``LOCKOUT`` after ``MAX_FAILED_LOGINS``.

    An unknown or disabled user costs the same password check as a known one,
    so the answer's timing does not tell which usernames exist.
    """
    now = now or utcnow()
    user = _find(session, username.lower())
    if user is None or not user.is_active:
        check_password_hash(_dummy_hash(), password)
        return LoginResult(None)
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(None, user.locked_until)
    if user.password_hash is not None and check_password_hash(user.password_hash, password):
        user.failed_logins = 0
        user.locked_until = None
        return LoginResult(user)

    # Counted in the database, so concurrent attempts cannot overwrite each other's count.
    user.failed_logins = User.failed_logins + 1
    session.flush()
    if user.failed_logins < MAX_FAILED_LOGINS:
        return LoginResult(None)
    user.failed_logins = 0
    user.locked_until = now + LOCKOUT
    audit.record(
        session,
        LOGIN_ACTOR,
        "user.lock",
        user,
        {"username": user.username, "locked_until": None},
        {"username": user.username, "locked_until": user.locked_until.isoformat()},
        now,
    )
    return LoginResult(None, user.locked_until)


def change_password(session: Session, user_id: int, current: str, new: str, now: datetime | None = None) -> None:
    """A user's own password change: the current password first. Other sessions of theirs end."""
    user = session.get(User, user_id)
    if user is None or user.password_hash is None or not check_password_hash(user.password_hash, current):
        raise UserError("kata sandi sekarang salah")
    check_password(new)
    user.password_hash = generate_password_hash(new)
    end_sessions(user)
    audit.record(session, user.username, "user.password_change", user, None, {"username": user.username}, now)


def issue_api_token(session: Session, user: User, actor: str, now: datetime | None = None) -> str:
    """A new API token for ``user``, replacing any earlier one; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    before = {"username": user.username, "has_api_token": user.api_token_hash is not None}
    user.api_token_hash = _digest(token)
    audit.record(session, actor, "user.token", user, before, {"username": user.username, "has_api_token": True}, now)
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active user holding ``token``, or ``None``."""
    if not token:
        return None
    digest = _digest(token)
    user = session.scalar(select(User).where(User.api_token_hash == digest, User.is_active.is_(True)))
    if user is None or not hmac.compare_digest(user.api_token_hash, digest):
        return None
    return user


def set_active(session: Session, username: str, active: bool, actor: str, now: datetime | None = None) -> bool:
    """Enable or disable a user; returns False when the user already was in that state.

    Disabling also ends the user's web sessions, so enabling them again later
    does not bring back a session opened before.
    """
    user = get_user(session, username)
    if user.is_active == active:
        return False
    user.is_active = active
    if not active:
        end_sessions(user)
    action = "user.enable" if active else "user.disable"
    audit.record(
        session,
        actor,
        action,
        user,
        {"username": user.username, "is_active": not active},
        {"username": user.username, "is_active": active},
        now,
    )
    return True


def end_sessions(user: User) -> None:
    """Advance ``user``'s session generation: every web session opened before it stops working."""
    # Counted in the database, so two logouts at once cannot land on the same generation.
    user.session_generation = User.session_generation + 1


def _find(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@cache
def _dummy_hash() -> str:
    """A hash made like real ones (same method and cost) that no password matches."""
    return generate_password_hash(secrets.token_urlsafe(32))
