"""The publication ledger: every recap with its status, a preview of exactly what was stored, and two admin actions.

The preview shows the stored item, not a fresh render, because that is what
goes (or went) out. The actions only move a row to *approved*: the request
never calls X or Instagram, since publishing can take minutes with retries;
the scheduler's check for approved publications sends it.
"""

from __future__ import annotations

import json
import mimetypes
import re

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from satukanal.models import Publication
from satukanal.publishing.claims import is_stalled
from satukanal.publishing.ledger import (
    APPROVED,
    FAILED,
    STALLED_LABEL,
    STATUS_LABELS,
    PublishingError,
    approve,
    requeue,
    stored_item,
)
from satukanal.web.paging import PAGE_PARAMETER, paged, requested_page
from satukanal.web.users import core, requires

blueprint = Blueprint("publishing", __name__, url_prefix="/publikasi")
PAGE_SIZE = 50
QUERY_KEYS = ("status", PAGE_PARAMETER)
KIND_LABELS = {"weekly": "Rekap pekanan", "monthly": "Rekap bulanan"}
SENT_SOON = "akan diterbitkan oleh penjadwal dalam beberapa menit."
CHANNEL_LABELS = {"outbox": "Outbox (folder)", "x": "X", "instagram": "Instagram"}
THREAD_FILE = "x-thread.json"
CAPTION_FILE = "instagram-caption.txt"


@blueprint.get("/")
@requires("moderator")
def index():
    status = request.args.get("status", "")
    if status and status not in STATUS_LABELS:
        abort(400)
    settings = core().settings
    page = requested_page(PAGE_SIZE)
    statement = select(Publication).order_by(Publication.created_at.desc(), Publication.id.desc())
    if status:
        statement = statement.where(Publication.status == status)
    with core().sessions() as session:
        found = paged(page, session.scalars(statement.offset(page.offset).limit(page.fetch)).all(), QUERY_KEYS)
        by_status = dict(session.execute(select(Publication.status, func.count()).group_by(Publication.status)).all())
        rows = [
            {
                **_summary(entry),
                "created_at": entry.created_at.astimezone(settings.timezone),
                "published_at": entry.published_at.astimezone(settings.timezone) if entry.published_at else None,
            }
            for entry in found.items
        ]
    return render_template(
        "publications.html",
        rows=rows,
        pager=found,
        total=by_status.get(status, 0) if status else sum(by_status.values()),
        everything=sum(by_status.values()) if status else None,
        statuses=STATUS_LABELS,
        status=status,
        failed=by_status.get(FAILED, 0),
    )


@blueprint.get("/<id:publication_id>")
@requires("moderator")
def show(publication_id: int):
    settings = core().settings
    with core().sessions() as session:
        entry = _entry(session, publication_id)
        summary = _summary(entry)
        files = stored_item(entry).files
        times = {
            "Dibuat": entry.created_at,
            "Disetujui": entry.approved_at,
            "Terbit": entry.published_at,
        }
        remote_ids = list(entry.remote_ids)
    images = sorted((name for name, content in files.items() if isinstance(content, bytes)), key=_natural_order)
    return render_template(
        "publication.html",
        publication=summary,
        times={label: at.astimezone(settings.timezone) for label, at in times.items() if at is not None},
        remote_ids=remote_ids,
        tweets=json.loads(files[THREAD_FILE]) if THREAD_FILE in files else [],
        caption=files.get(CAPTION_FILE),
        images=images,
        waiting=summary["status"] == APPROVED,
    )


@blueprint.get("/<id:publication_id>/<filename>")
@requires("moderator")
def stored_file(publication_id: int, filename: str):
    """One stored file as it was rendered; only names the publication holds exist."""
    with core().sessions() as session:
        content = stored_item(_entry(session, publication_id)).files.get(filename)
    if content is None:
        abort(404)
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = Response(content, mimetype=mimetype)
    response.headers["Cache-Control"] = "private"  # behind a login: no shared cache may keep a copy
    return response


@blueprint.post("/<id:publication_id>/setujui")
@requires("admin")
def approve_draft(publication_id: int):
    app = core()
    with app.sessions() as session:
        _entry(session, publication_id)  # a 404 like any missing page, not ``approve``'s message
    try:
        approve(app.sessions, publication_id, current_user.username)
    except PublishingError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Disetujui; {SENT_SOON}")
    return redirect(url_for("publishing.show", publication_id=publication_id))


@blueprint.post("/<id:publication_id>/coba-lagi")
@requires("admin")
def retry(publication_id: int):
    try:
        requeue(core().sessions, publication_id, current_user.username)
    except PublishingError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Akan dicoba lagi; {SENT_SOON}")
    return redirect(url_for("publishing.show", publication_id=publication_id))


def _entry(session: Session, publication_id: int) -> Publication:
    entry = session.get(Publication, publication_id)
    if entry is None:
        abort(404)
    return entry


def _summary(entry: Publication) -> dict:
    stalled = is_stalled(entry)
    return {
        "id": entry.id,
        "period": entry.period,
        "kind": KIND_LABELS.get(entry.kind, entry.kind),
        "channel": CHANNEL_LABELS.get(entry.channel, entry.channel),
        "status": entry.status,
        "stalled": stalled,
        "status_label": STALLED_LABEL if stalled else STATUS_LABELS.get(entry.status, entry.status),
        "attempts": entry.attempts,
        "approved_by": entry.approved_by,
        "error": entry.error,
    }


def _natural_order(name: str) -> list:
    """card-2.png before card-10.png, whatever order the database returns the keys in."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
