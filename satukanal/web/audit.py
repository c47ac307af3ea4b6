"""The audit log page (admins): every action with who, when, what, before and after."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import select

from satukanal.models import AuditEntry
from satukanal.web.dates import requested_period
from satukanal.web.users import core, requires

blueprint = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 200


@blueprint.get("/")
@requires("admin")
def index():
    settings = core().settings
    actor = request.args.get("aktor", "").strip()[:100]
    action = request.args.get("aksi", "").strip()[:64]
    entity = request.args.get("objek", "").strip()[:64]
    period = requested_period(request.args)
    statement = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(PAGE_SIZE)
    if actor:
        statement = statement.where(AuditEntry.actor == actor)
    if action:
        statement = statement.where(AuditEntry.action.startswith(action, autoescape=True))
    if entity:
        statement = statement.where(AuditEntry.entity_id == entity)
    if period.since:
        statement = statement.where(AuditEntry.at >= datetime.combine(period.since, time(), settings.timezone))
    if period.until:
        statement = statement.where(
            AuditEntry.at < datetime.combine(period.until + timedelta(days=1), time(), settings.timezone)
        )
    with core().sessions() as session:
        entries = [
            {
                "at": entry.at.astimezone(settings.timezone),
                "actor": entry.actor,
                "action": entry.action,
                "entity": f"{entry.entity_type} {entry.entity_id}",
                "before": _shown(entry.before),
                "after": _shown(entry.after),
            }
            for entry in session.scalars(statement)
        ]
    status = 400 if period.errors else 200
    return render_template("audit.html", entries=entries, filters=request.args, date_errors=period.errors), status


def _shown(state: dict | None) -> str:
    return json.dumps(state, ensure_ascii=False, sort_keys=True) if state else "–"
