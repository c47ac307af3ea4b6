"""The publication ledger: every recap with its status, a preview of exactly what was stored, and the admin's
actions on it: approve, edit or reject a draft, and try a failed one again.

The preview shows the stored item, not a fresh render, because that is what
goes (or went) out, and an edit changes that stored item. Approving only
moves a row to *approved*: the request never calls X or Instagram, since
publishing can take minutes with retries; the scheduler's check for approved
publications sends it. A rejected draft is never sent (see ``drafts``).
"""

from __future__ import annotations

import json
import mimetypes
import re

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from publisher.channels import Item, ReplyTarget
from satukanal.models import Publication, utcnow
from satukanal.publishing import drafts
from satukanal.publishing.claims import is_stalled
from satukanal.publishing.ledger import (
    APPROVED,
    DRAFT,
    FAILED,
    REJECTED,
    STALLED_LABEL,
    STATUS_LABELS,
    PublishingError,
    approve,
    requeue,
    stored_item,
)
from satukanal.replies.service import REPLY_KINDS
from satukanal.web.labels import channel_label
from satukanal.web.paging import PAGE_PARAMETER, paged, requested_page
from satukanal.web.replies import REPLY_LABELS, TARGET_LABELS
from satukanal.web.users import core, requires

blueprint = Blueprint("publishing", __name__, url_prefix="/publikasi")
PAGE_SIZE = 50
QUERY_KEYS = ("status", "jenis", PAGE_PARAMETER)
KINDS = {"rekap": ("weekly", "monthly"), "balasan": REPLY_KINDS}
"""``jenis=``: the recaps, or the replies to citizens."""
KIND_LABELS = {"weekly": "Rekap pekanan", "monthly": "Rekap bulanan", **REPLY_LABELS}
SENT_SOON = "akan diterbitkan oleh penjadwal dalam beberapa menit."
THREAD_FILE, CAPTION_FILE = drafts.THREAD_FILE, drafts.CAPTION_FILE


@blueprint.get("/")
@requires("moderator")
def index():
    status, kind = request.args.get("status", ""), request.args.get("jenis", "")
    if (status and status not in STATUS_LABELS) or (kind and kind not in KINDS):
        abort(400)
    settings = core().settings
    page = requested_page(PAGE_SIZE)
    of_kind = [Publication.kind.in_(KINDS[kind])] if kind else []
    statement = select(Publication).where(*of_kind).order_by(Publication.created_at.desc(), Publication.id.desc())
    if status:
        statement = statement.where(Publication.status == status)
    with core().sessions() as session:
        found = paged(page, session.scalars(statement.offset(page.offset).limit(page.fetch)).all(), QUERY_KEYS)
        counted = select(Publication.status, func.count()).where(*of_kind).group_by(Publication.status)
        by_status = dict(session.execute(counted).all())
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
        kind=kind,
        failed=by_status.get(FAILED, 0),
    )


@blueprint.get("/<id:publication_id>")
@requires("moderator")
def show(publication_id: int):
    return _page(publication_id)


@blueprint.get("/<id:publication_id>/ubah")
@requires("moderator")
def edit_form(publication_id: int):
    with core().sessions() as session:
        _decidable(session, publication_id)
    return _page(publication_id, editing=True)


def _page(publication_id: int, editing: bool = False, errors: dict | None = None, typed: dict | None = None):
    """The publication page; ``editing`` puts the draft's texts in fields, ``typed`` keeps what was sent back."""
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
        rejection = drafts.rejection(session, publication_id) if entry.status == REJECTED else None
    target = ReplyTarget.of(Item(f"publikasi {publication_id}", files))
    images = sorted((name for name, content in files.items() if isinstance(content, bytes)), key=_natural_order)
    tweets = json.loads(files[THREAD_FILE]) if THREAD_FILE in files else []
    caption = files.get(CAPTION_FILE)
    typed = typed or {}
    return render_template(
        "publication.html",
        publication=summary,
        times={label: at.astimezone(settings.timezone) for label, at in times.items() if at is not None},
        remote_ids=remote_ids,
        tweets=typed.get("tweets", tweets),
        caption=typed.get("caption", caption),
        images=images,
        waiting=summary["status"] == APPROVED,
        editing=editing and summary["status"] == DRAFT,
        rejection=rejection,
        reason=typed.get("reason", ""),
        errors=errors or {},
        zone=settings.timezone,
        answers=TARGET_LABELS.get(target.kind) if target else None,
        window_ends=target.window_ends.astimezone(settings.timezone) if target and target.window_ends else None,
        window_closed=bool(target and target.window_closed(utcnow())),
    ), (400 if errors else 200)


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
@requires("moderator")
def approve_draft(publication_id: int):
    app = core()
    with app.sessions() as session:
        _decidable(session, publication_id)  # a 404 like any missing page, not ``approve``'s message
    try:
        approve(app.sessions, publication_id, current_user.username)
    except PublishingError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Disetujui; {SENT_SOON}")
    return redirect(url_for("publishing.show", publication_id=publication_id))


@blueprint.post("/<id:publication_id>/ubah")
@requires("moderator")
def edit_draft(publication_id: int):
    with core().sessions() as session:
        _decidable(session, publication_id)
    tweets = [tweet for tweet in request.form.getlist("cuitan") if tweet.strip()]
    caption = request.form.get("keterangan")
    try:
        changed = drafts.edit(core().sessions, publication_id, current_user.username, tweets, caption)
    except drafts.DraftError as exc:
        return _page(publication_id, editing=True, errors=exc.problems, typed={"tweets": tweets, "caption": caption})
    except PublishingError as exc:
        flash(str(exc), "error")
    else:
        flash("Draf diubah; periksa lagi sebelum menyetujuinya." if changed else "Tidak ada yang berubah.")
    return redirect(url_for("publishing.show", publication_id=publication_id))


@blueprint.post("/<id:publication_id>/tolak")
@requires("moderator")
def reject_draft(publication_id: int):
    with core().sessions() as session:
        _decidable(session, publication_id)
    reason = request.form.get("alasan", "")
    if not reason.strip():
        errors = {"alasan": "Tulis alasan penolakan: tim lain membacanya di log audit."}
        return _page(publication_id, errors=errors, typed={"reason": reason})
    try:
        drafts.reject(core().sessions, publication_id, current_user.username, reason)
    except PublishingError as exc:
        flash(str(exc), "error")
    else:
        flash("Draf ditolak; publikasi ini tidak akan diterbitkan.")
    return redirect(url_for("publishing.show", publication_id=publication_id))


@blueprint.post("/<id:publication_id>/coba-lagi")
@requires("moderator")
def retry(publication_id: int):
    with core().sessions() as session:
        _decidable(session, publication_id)
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


def _decidable(session: Session, publication_id: int) -> Publication:
    """The publication if the user may approve, edit, reject or resend it: an admin any, a moderator the replies
    to citizens (the recaps speak for the office and wait for an admin); 403 otherwise."""
    entry = _entry(session, publication_id)
    if not _may_decide(entry):
        abort(403)
    return entry


def _may_decide(entry: Publication) -> bool:
    return current_user.role == "admin" or entry.kind in REPLY_KINDS


def _summary(entry: Publication) -> dict:
    stalled = is_stalled(entry)
    return {
        "id": entry.id,
        "period": entry.period,
        "kind": KIND_LABELS.get(entry.kind, entry.kind),
        "channel": channel_label(entry.channel),
        "status": entry.status,
        "stalled": stalled,
        "status_label": STALLED_LABEL if stalled else STATUS_LABELS.get(entry.status, entry.status),
        "attempts": entry.attempts,
        "approved_by": entry.approved_by,
        "decidable": _may_decide(entry),
        "error": entry.error,
    }


def _natural_order(name: str) -> list:
    """card-2.png before card-10.png, whatever order the database returns the keys in."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
