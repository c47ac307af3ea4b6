"""The audit log: every action by a person or a job, with the state before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from satukanal.models import AuditEntry, utcnow


def record(
    session: Session,
    actor: str,
    action: str,
    entity: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add an entry in the caller's transaction, so the action and its record commit together."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        entity_type=type(entity).__tablename__,
        entity_id=str(entity.id),
        before=before,
        after=after,
        at=at or utcnow(),
    )
    session.add(entry)
    return entry
