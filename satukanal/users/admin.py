"""Account administration by an admin: unlocking, resetting a password, changing a role.

Each works in the caller's transaction and is audited with the user's name,
role and agency, never a password or a hash. A reset password is returned
once, for the admin to hand over; only its hash is stored, and the user's
web sessions end, so whoever held the old password is logged out.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from satukanal import audit
from satukanal.config.settings import Settings
from satukanal.models import utcnow
from satukanal.users.service import (
    check_password,
    check_role,
    end_sessions,
    get_user,
    user_state,
)

# Letters and digits that cannot be mistaken for one another when read aloud or copied from a screen.
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_PASSWORD_CHARS = 14


def temporary_password() -> str:
    """A random password to hand over once: 14 readable characters in groups (``abcd-efgh-jkmn-pq``)."""
    raw = "".join(secrets.choice(_READABLE) for _ in range(TEMPORARY_PASSWORD_CHARS))
    return "-".join(raw[start : start + 4] for start in range(0, len(raw), 4))


def unlock(session: Session, username: str, actor: str, now: datetime | None = None) -> bool:
    """Lift a lock-out after too many failed logins; False when the user was not locked."""
    now = now or utcnow()
    user = get_user(session, username)
    if user.locked_until is None or user.locked_until <= now:
        return False
    before = {"username": user.username, "locked_until": user.locked_until.isoformat()}
    user.locked_until = None
    user.failed_logins = 0
    audit.record(session, actor, "user.unlock", user, before, {"username": user.username, "locked_until": None}, now)
    return True


def reset_password(
    session: Session, username: str, actor: str, password: str | None = None, now: datetime | None = None
) -> str:
    """Set a new password (a ``temporary_password`` unless given) and return it; the lock and sessions end."""
    password = password if password is not None else temporary_password()
    check_password(password)
    user = get_user(session, username)
    user.password_hash = generate_password_hash(password)
    user.locked_until = None
    user.failed_logins = 0
    end_sessions(user)
    audit.record(session, actor, "user.password_reset", user, None, {"username": user.username}, now)
    return password


def set_role(
    session: Session,
    settings: Settings,
    username: str,
    role: str,
    actor: str,
    agency: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Give ``username`` another role (and agency, for liaisons); False when nothing changes.

    The user's web sessions end, so the new role applies from the next login on every device.
    """
    check_role(settings, role, agency)
    user = get_user(session, username)
    if (user.role, user.agency) == (role, agency):
        return False
    before = user_state(user)
    user.role, user.agency = role, agency
    end_sessions(user)
    audit.record(session, actor, "user.role", user, before, user_state(user), now)
    return True
