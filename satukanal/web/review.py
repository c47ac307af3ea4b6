"""The moderation queue: flagged posts as cards, confirm or reject each, with the keyboard.

What a card shows, its confirm and reject forms and their selects' choices are in ``review_cards``; the
filter bar's values and their errors in ``review_filters``. After a decision the queue opens at the card
that followed the decided one (``#post-N``, sent by the card as ``berikut``), so the keyboard and the eye
stay where the work is. A decision that fails comes back inside its card, with what was typed.
"""

from __future__ import annotations

import re
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
from satukanal.web.paging import kept_arguments, paged, requested_page
from satukanal.web.review_cards import (
    REJECT_REASONS,
    CardError,
    ConfirmForm,
    RejectForm,
    card,
    card_options,
    with_choices,
)
from satukanal.web.review_filters import FLAG_STATUSES, HOLDERS, ORDERS, PLATFORMS, QUERY_KEYS, requested_queue
from satukanal.web.tickets import owner_names
from satukanal.web.users import core, requires

blueprint = Blueprint("review", __name__, url_prefix="/antrean")
THUMBNAIL_NAME = re.compile(r"[0-9a-f]{32}\.jpg")
PAGE_SIZE = 25
UNDO_KEY, UNDO_DEPTH = "undo", 20
ERROR_KEY = "queue_error"
"""The session's last failed decision (``CardError``), shown on its card by the next view of the queue."""
BULK_LIMIT = PAGE_SIZE
NOTHING_CHOSEN = "Tidak ada unggahan yang dipilih: centang “pilih” pada kartu (atau tekan x), lalu pilih tindakan."


@blueprint.get("/")
@requires("moderator")
def index():
    settings = core().settings
    wanted = requested_queue(request.args, settings, current_user.id)
    page = requested_page(PAGE_SIZE)
    error = CardError.restored(session.pop(ERROR_KEY)) if ERROR_KEY in session else None
    with core().sessions() as db:
        posts = paged(
            page,
            service.queue(
                db, page.fetch, flagged=wanted.flagged, order=wanted.order, filters=wanted.filters, offset=page.offset
            ),
            QUERY_KEYS,
        )
        now = utcnow()
        contexts = queue_context(db, posts.items, now)
        owners = owner_names(db, posts.items)
        cards = [
            card(
                post,
                contexts[post.id],
                now,
                error if error and error.post_id == post.id else None,
                owners.get(post.owner_id),
            )
            for post in posts.items
        ]
        narrowed = wanted.filters != service.QueueFilters()
        default_view = wanted.flag_status == "ditandai" and not narrowed
        shown = None if default_view else service.queue_count(db, wanted.flagged, wanted.filters)
    if error and all(item.error is None for item in cards):
        flash(error.message, "error")  # its post has left this view of the queue: the message still shows
    waiting = waiting_posts()  # the navigation badge's count: the default view's total
    return render_template(
        "queue.html",
        cards=cards,
        pager=posts,
        total={"waiting": waiting, "shown": waiting if shown is None else shown, "filtered": narrowed},
        wanted=wanted,
        orders=ORDERS,
        flag_statuses=FLAG_STATUSES,
        args=request.args,
        query=_query(),
        token=generate_csrf(),
        options=card_options(),
        queue_base=url_for("review.index"),
        ticket_base=url_for("tickets.index"),
        title_limit=TITLE_LIMIT,
        platforms=PLATFORMS,
        categories=[(name, category_label(name)) for name in settings.categories],
        agencies=settings.agencies,
        kecamatan=KECAMATAN,
        holders=HOLDERS,
    ), 400 if wanted.errors else 200


@blueprint.post("/<id:post_id>/konfirmasi")
@requires("moderator")
def confirm(post_id: int):
    form = with_choices(ConfirmForm())
    if not form.validate_on_submit():
        problem = f"Judul paling panjang {TITLE_LIMIT} karakter." if form.title.errors else "Pilihan tidak sah."
        return _failed(post_id, problem, "confirm")
    app = core()
    with app.sessions.begin() as db:
        try:
            result = service.confirm(
                db,
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
            return _failed(post_id, str(exc), "confirm")
    return _decided(
        post_id, f"Unggahan dikonfirmasi: tiket {number}." if result.created else f"Sudah menjadi tiket {number}."
    )


@blueprint.post("/<id:post_id>/tolak")
@requires("moderator")
def reject(post_id: int):
    """Reject with a reason, or join the ticket the post duplicates (the card's "Gabung ke tiket" sends this too)."""
    form = with_choices(RejectForm())
    if not form.validate_on_submit():
        return _failed(
            post_id, "Catatan paling panjang 300 karakter." if form.note.errors else "Alasan tidak sah.", "reject"
        )
    note = (form.note.data or "").strip()
    if form.reason.data == "duplikat" and not note:
        return _failed(post_id, "Tulis nomor tiket yang sama masalahnya (TBN-…) di kolom catatan.", "reject")
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
            return _failed(post_id, str(exc), "reject")
    return _decided(post_id, message)


@blueprint.post("/massal")
@requires("moderator")
def bulk():
    """Reject (as not a complaint) or confirm (as the model suggests) every selected post; say what was done."""
    form = FlaskForm()
    action = request.form.get("aksi")
    if not form.validate_on_submit() or action not in ("tolak", "konfirmasi"):
        abort(400)
    chosen = request.form.getlist("pilih", type=int)
    if not chosen:
        flash(NOTHING_CHOSEN, "error")
        return _back()
    if len(chosen) > BULK_LIMIT:
        flash(f"{len(chosen)} unggahan dipilih; paling banyak {BULK_LIMIT} sekaligus. Tidak ada yang diubah.", "error")
        return _back()
    app, tickets, failed, done = core(), [], [], 0
    for post_id in chosen:
        with app.sessions.begin() as db:
            try:
                if action == "tolak":
                    service.reject(db, post_id, current_user.username, REJECT_REASONS["bukan_keluhan"])
                else:
                    tickets.append(service.confirm(db, app.settings, post_id, current_user.username).ticket.number)
            except service.ReviewError as exc:
                failed.append(str(exc))
                continue
        _remember(post_id)
        done += 1
    verb = "ditolak" if action == "tolak" else "dikonfirmasi"
    if done:
        flash(f"{done} unggahan {verb}" + (f": tiket {', '.join(tickets)}." if tickets else "."))
    for problem in failed:
        flash(f"Tidak {verb}: {problem}", "error")
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
    if not undone:
        return _back()
    flash(f"Dibatalkan: {undone}; unggahan kembali ke antrean.")
    return _back(f"post-{post_id}")


def _remember(post_id: int) -> None:
    session[UNDO_KEY] = [*session.get(UNDO_KEY, []), post_id][-UNDO_DEPTH:]


def _decided(post_id: int, message: str):
    """After a decision on ``post_id``: remember it for undo, say so, and go on at the card that followed it."""
    _remember(post_id)
    flash(message)
    following = request.form.get("berikut", "")
    return _back(f"post-{following}" if following.isdecimal() and len(following) < 20 else None)


def _failed(post_id: int, message: str, form: str):
    """Back to the card of ``post_id``, which shows ``message`` and keeps what the moderator sent."""
    session[ERROR_KEY] = CardError.of(post_id, message, request.form, form).stored()
    return _back(f"post-{post_id}")


def _query() -> str:
    """The queue's own query parameters, for the forms to send back (anything else is dropped)."""
    kept = kept_arguments(QUERY_KEYS)
    return "?" + urlencode(kept) if kept else ""


def _back(anchor: str | None = None):
    """Back to the queue as the moderator was viewing it, at the card ``anchor`` names."""
    return redirect(url_for("review.index", **kept_arguments(QUERY_KEYS), _anchor=anchor))


@blueprint.get("/pratinjau/<name>")
@requires("moderator")
def thumbnail(name: str):
    """A preview downloaded for a post's media (``collect.thumbnails``); only our own file names are served."""
    if not THUMBNAIL_NAME.fullmatch(name):
        abort(404)
    response = send_from_directory(thumbnails_dir(core().settings), name, mimetype="image/jpeg", max_age=7 * 24 * 3600)
    response.cache_control.private = True  # behind a login: a shared cache must not keep a citizen's picture
    response.cache_control.public = False
    return response
