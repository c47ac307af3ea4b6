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
    return record_event(session, actor, action, type(entity).__tablename__, str(entity.id), before, after, at)


def record_event(
    session: Session,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Like ``record`` for things that are not rows, such as a model file."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
        at=at or utcnow(),
    )
    session.add(entry)
    return entry
