"""Staff accounts for the users tests: added and logged in through the service at a fixed time, and the audit log."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select

from satukanal.models import AuditEntry, User
from satukanal.users.service import add_user, authenticate, get_user

PASSWORD = "tuban-bumi-wali-2026"
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def add(app, username="budi", role="moderator", password=PASSWORD, agency=None):
    with app.sessions.begin() as session:
        return add_user(session, app.settings, username, role, password, "admin-cli", agency=agency, now=T0)


def login(app, username="budi", password=PASSWORD, now=T0):
    with app.sessions.begin() as session:
        return authenticate(session, username, password, now=now)


def stored(app, username="budi") -> User:
    with app.sessions() as session:
        return get_user(session, username)


def audit_entries(app) -> list[AuditEntry]:
    with app.sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def audit_text(app) -> str:
    return json.dumps([[entry.before, entry.after] for entry in audit_entries(app)])
