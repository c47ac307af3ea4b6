"""The audit log page (admins): every action with who, when, what, before and after."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from satukanal.models import AuditEntry
from satukanal.web.auth import core, requires

blueprint = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 200


@blueprint.get("/")
@requires("admin")
def index():
    settings = core().settings
    actor = request.args.get("aktor", "").strip()[:100]
    action = request.args.get("aksi", "").strip()[:64]
    entity = request.args.get("objek", "").strip()[:64]
    try:
        since = date.fromisoformat(request.args["dari"]) if request.args.get("dari") else None
        until = date.fromisoformat(request.args["sampai"]) if request.args.get("sampai") else None
    except ValueError:
        abort(400)
    statement = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(PAGE_SIZE)
    if actor:
        statement = statement.where(AuditEntry.actor == actor)
    if action:
        statement = statement.where(AuditEntry.action.startswith(action, autoescape=True))
    if entity:
        statement = statement.where(AuditEntry.entity_id == entity)
    if since:
        statement = statement.where(AuditEntry.at >= datetime.combine(since, time(), settings.timezone))
    if until:
        statement = statement.where(
            AuditEntry.at < datetime.combine(until + timedelta(days=1), time(), settings.timezone)
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
    return render_template("audit.html", entries=entries, filters=request.args)


def _shown(state: dict | None) -> str:
    return json.dumps(state, ensure_ascii=False, sort_keys=True) if state else "–"
