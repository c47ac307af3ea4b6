"""Taking and handing over posts and tickets, audited, with the new owner told.

A post waiting in the queue may be owned by a moderator or an admin, so two
people do not decide it at once. A ticket may be owned by a moderator, an
admin, or a liaison of the agency it is routed to. Taking over what another
person owns is allowed (people are away); the audit log keeps who had it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from satukanal import audit
from satukanal.models import Post, Ticket, User, utcnow
from satukanal.notifications.service import ticket_assigned

STAFF = ("admin", "moderator")


class OwnershipError(ValueError):
    """An owner that cannot be set; the message says why."""


def may_own(user: User, item: Post | Ticket) -> bool:
    """Whether ``user`` may own ``item``."""
    if not user.is_active:
        return False
    if user.role in STAFF:
        return True
    return isinstance(item, Ticket) and user.role == "agency" and user.agency == item.agency


def candidates(session: Session, item: Post | Ticket) -> list[User]:
    """The active users ``item`` may be handed to, by username."""
    users = session.scalars(select(User).where(User.is_active).order_by(User.username))
    return [user for user in users if may_own(user, item)]


def set_owner(
    session: Session, item: Post | Ticket, owner: User | None, actor: str, now: datetime | None = None
) -> str:
    """Make ``owner`` (None: nobody) own ``item``; the message to show. Unchanged owners change nothing."""
    now = now or utcnow()
    name = _name(item)
    if isinstance(item, Post) and item.review_status != "pending":
        raise OwnershipError(f"{name} sudah diputuskan; tidak perlu diambil lagi.")
    if owner is not None and not may_own(owner, item):
        raise OwnershipError(f"{owner.username} tidak dapat memegang {name}.")
    before = item.owner.username if item.owner is not None else None
    after = owner.username if owner is not None else None
    if before == after:
        return f"{name} sudah dipegang {after}." if after else f"{name} memang belum dipegang siapa pun."
    item.owner = owner
    kind = "ticket" if isinstance(item, Ticket) else "post"
    audit.record(session, actor, f"{kind}.assign", item, {"owner": before}, {"owner": after}, now)
    if isinstance(item, Ticket) and owner is not None:
        ticket_assigned(session, item, owner, actor, now)
    if after is None:
        return f"{name} dilepas."
    return f"{name} sekarang dipegang Anda." if after == actor else f"{name} diserahkan kepada {after}."


def _name(item: Post | Ticket) -> str:
    return f"Tiket {item.number}" if isinstance(item, Ticket) else f"Unggahan #{item.id}"
