"""Each user's way of being told outside the app: an e-mail address and ``each`` / ``digest`` / ``off``."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from satukanal import audit
from satukanal.models import User, utcnow

MODES = {
    "each": "Setiap ada kejadian",
    "digest": "Ringkasan harian",
    "off": "Hanya di aplikasi",
}
EMAIL_LIMIT = 254
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class PreferenceError(ValueError):
    """A preference that cannot be saved; the message says why, in Indonesian."""


def check_email(email: str) -> str:
    """``email`` trimmed, or ``PreferenceError``; an empty one means "no e-mail"."""
    email = email.strip()
    if email and (len(email) > EMAIL_LIMIT or not _EMAIL.match(email)):
        raise PreferenceError("alamat e-mail tidak valid (contoh: nama@tubankab.go.id)")
    return email


def set_preferences(
    session: Session, user: User, email: str | None, mode: str | None, actor: str, now: datetime | None = None
) -> bool:
    """Set what is given (None leaves it); whether anything changed. Audited as ``user.notify``."""
    if mode is not None and mode not in MODES:
        raise PreferenceError(f"cara pemberitahuan tidak dikenal: {mode!r} (pilih {', '.join(MODES)})")
    before = {"email": user.email, "notify_mode": user.notify_mode}
    if email is not None:
        user.email = check_email(email) or None
    if mode is not None:
        user.notify_mode = mode
    after = {"email": user.email, "notify_mode": user.notify_mode}
    if before == after:
        return False
    audit.record(session, actor, "user.notify", user, before, after, now or utcnow())
    return True
