"""The moderation queue: flagged posts as cards, confirm or reject each, with the keyboard.

What a card shows, its confirm and reject forms and their selects' choices are in ``review_cards``.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, send_from_directory, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf

from satukanal.intake.thumbnails import thumbnails_dir
from satukanal.models import utcnow
from satukanal.review import service
from satukanal.review.context import queue_context
from satukanal.tickets.service import TITLE_LIMIT, TicketChoices
from satukanal.tuban import KECAMATAN, category_label
from satukanal.web.badges import waiting_posts
from satukanal.web.dates import Period, requested_period
from satukanal.web.paging import PAGE_PARAMETER, kept_arguments, paged, requested_page
from satukanal.web.review_cards import REJECT_REASONS, ConfirmForm, RejectForm, card, card_options, with_choices
from satukanal.web.users import core, requires

blueprint = Blueprint("review", __name__, url_prefix="/antrean")
THUMBNAIL_NAME = re.compile(r"[0-9a-f]{32}\.jpg")
PAGE_SIZE = 25
UNDO_KEY, UNDO_DEPTH = "undo", 20
BULK_LIMIT = PAGE_SIZE
FLAG_STATUSES = {
    "ditandai": ("Ditandai model", True),
    "tidak_ditandai": ("Tidak ditandai (cari yang terlewat)", False),
    "semua": ("Semua", None),
}
"""The queue's status filter: label, and which posts by the model's flag."""


@blueprint.get("/")
@requires("moderator")
def index():
    order = request.args.get("urutan", "newest")
    flag_status = request.args.get("status", "ditandai")
    if order not in service.QUEUE_ORDERS or flag_status not in FLAG_STATUSES:
        abort(400)
    period = requested_period(request.args)
    filters = _filters(period)
    page = requested_page(PAGE_SIZE)
    with core().sessions() as session:
        posts = paged(
            page,
            service.queue(
                session,
                page.fetch,
                flagged=FLAG_STATUSES[flag_status][1],
                order=order,
                filters=filters,
                offset=page.offset,
            ),
            QUERY_KEYS,
        )
        contexts = queue_context(session, posts.items, utcnow())
        cards = [card(post, contexts[post.id]) for post in posts.items]
        narrowed = filters != service.QueueFilters()
        default_view = flag_status == "ditandai" and not narrowed
        shown = None if default_view else service.queue_count(session, FLAG_STATUSES[flag_status][1], filters)
    waiting = waiting_posts()  # the navigation badge's count: the default view's total
    settings = core().settings
    status = 400 if period.errors else 200  # the page with the message beside the date field
    return render_template(
        "queue.html",
        cards=cards,
        pager=posts,
        total={"waiting": waiting, "shown": waiting if shown is None else shown, "filtered": narrowed},
        order=order,
        flag_status=flag_status,
        flag_statuses=FLAG_STATUSES,
        args=request.args,
        query=_query(),
        token=generate_csrf(),
        options=card_options(),
        queue_base=url_for("review.index"),
        ticket_base=url_for("tickets.index"),
        title_limit=TITLE_LIMIT,
        platforms=("x", "instagram"),
        categories=[(name, category_label(name)) for name in settings.categories],
        agencies=settings.agencies,
        kecamatan=KECAMATAN,
        date_errors=period.errors,
    ), status


@blueprint.post("/<id:post_id>/konfirmasi")
@requires("moderator")
def confirm(post_id: int):
    form = with_choices(ConfirmForm())
    if not form.validate_on_submit():
        abort(400)
    app = core()
    with app.sessions.begin() as session:
        try:
            result = service.confirm(
                session,
                app.settings,
                post_id,
                current_user.username,
                TicketChoices(
                    category=form.category.data or None,
                    agency=form.agency.data or None,
                    kecamatan=form.kecamatan.data or None,
                    title=form.title.data or None,
                    anonymous=form.anonymous.data,
                    confidential=form.confidential.data,
                ),
            )
            number = result.ticket.number
        except service.ReviewError as exc:
            flash(str(exc), "error")
            return _back()
    _remember(post_id)
    flash(f"Unggahan dikonfirmasi: tiket {number}." if result.created else f"Sudah menjadi tiket {number}.")
    return _back()


@blueprint.post("/<id:post_id>/tolak")
@requires("moderator")
def reject(post_id: int):
    form = with_choices(RejectForm())
    if not form.validate_on_submit():
        abort(400)
    note = (form.note.data or "").strip()
    with core().sessions.begin() as db:
        try:
            if form.reason.data == "duplikat":
                ticket = service.link_duplicate(db, post_id, note, current_user.username)
                message = f"Unggahan digabung ke tiket {ticket.number} sebagai duplikat."
            else:
                reason = REJECT_REASONS[form.reason.data] + (f": {note}" if note else "")
                service.reject(db, post_id, current_user.username, reason)
                message = "Unggahan ditolak."
        except service.ReviewError as exc:
            flash(str(exc), "error")
            return _back()
    _remember(post_id)
    flash(message)
    return _back()


@blueprint.post("/massal")
@requires("moderator")
def bulk():
    """Reject (as not a complaint) or confirm (as the model suggests) every selected post."""
    form = FlaskForm()
    action = request.form.get("aksi")
    chosen = request.form.getlist("pilih", type=int)
    if not form.validate_on_submit() or action not in ("tolak", "konfirmasi") or not 0 < len(chosen) <= BULK_LIMIT:
        abort(400)
    app, done, failed = core(), 0, []
    for post_id in chosen:
        with app.sessions.begin() as db:
            try:
                if action == "tolak":
                    service.reject(db, post_id, current_user.username, REJECT_REASONS["bukan_keluhan"])
                else:
                    service.confirm(db, app.settings, post_id, current_user.username)
            except service.ReviewError as exc:
                failed.append(str(exc))
                continue
        _remember(post_id)
        done += 1
    verb = "ditolak" if action == "tolak" else "dikonfirmasi"
    flash(f"{done} unggahan {verb}.")
    for problem in failed:
        flash(problem, "error")
    return _back()


@blueprint.post("/batal")
@requires("moderator")
def undo():
    """Undo this session's latest decision (confirm or reject), most recent first."""
    recent = session.get(UNDO_KEY, [])
    if not recent:
        flash("Tidak ada keputusan yang bisa dibatalkan di sesi ini.", "error")
        return _back()
    post_id = recent[-1]
    with core().sessions.begin() as db:
        try:
            undone = service.undo(db, post_id, current_user.username)
        except service.ReviewError as exc:
            flash(str(exc), "error")
            undone = None
    session[UNDO_KEY] = recent[:-1]
    if undone:
        flash(f"Dibatalkan: {undone}; unggahan kembali ke antrean.")
    return _back()


def _remember(post_id: int) -> None:
    session[UNDO_KEY] = [*session.get(UNDO_KEY, []), post_id][-UNDO_DEPTH:]


QUERY_KEYS = (
    "q",
    "urutan",
    "status",
    "platform",
    "akun",
    "skor_min",
    "skor_max",
    "dari",
    "sampai",
    "kategori",
    "opd",
    "kecamatan",
    PAGE_PARAMETER,
)


def _query() -> str:
    """The queue's own query parameters, for the forms to send back (anything else is dropped)."""
    kept = kept_arguments(QUERY_KEYS)
    return "?" + urlencode(kept) if kept else ""


def _back():
    """Back to the queue as the moderator was viewing it."""
    return redirect(url_for("review.index", **kept_arguments(QUERY_KEYS)))


def _filters(period: Period) -> service.QueueFilters:
    """The queue's filters from the query string and ``period``; anything malformed but the period is a 400."""
    args, settings = request.args, core().settings
    zone = settings.timezone
    try:
        low = float(args["skor_min"]) if args.get("skor_min") else None
        high = float(args["skor_max"]) if args.get("skor_max") else None
    except ValueError:
        abort(400)
    if any(not 0 <= bound <= 1 for bound in (low, high) if bound is not None):
        abort(400)
    checks = {
        "platform": ("x", "instagram"),
        "kategori": settings.categories,
        "opd": settings.agencies,
        "kecamatan": KECAMATAN,
    }
    if any(args.get(key) and args[key] not in allowed for key, allowed in checks.items()):
        abort(400)
    return service.QueueFilters(
        platform=args.get("platform") or None,
        account=(args.get("akun") or "").strip()[:64] or None,
        min_score=low,
        max_score=high,
        since=datetime.combine(period.since, time(), zone) if period.since else None,
        until=datetime.combine(period.until + timedelta(days=1), time(), zone) if period.until else None,
        category=args.get("kategori") or None,
        agency=args.get("opd") or None,
        kecamatan=args.get("kecamatan") or None,
        search=(args.get("q") or "").strip()[:100] or None,
    )


@blueprint.get("/pratinjau/<name>")
@requires("moderator")
def thumbnail(name: str):
    """A preview downloaded for a post's media (``collect.thumbnails``); only our own file names are served."""
    if not THUMBNAIL_NAME.fullmatch(name):
        abort(404)
    return send_from_directory(thumbnails_dir(core().settings), name, mimetype="image/jpeg", max_age=7 * 24 * 3600)
