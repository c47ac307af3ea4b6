"""The moderation queue: flagged posts as cards, confirm or reject each, with the keyboard."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from satukanal import review as moderation
from satukanal.models import Post
from satukanal.tuban import KECAMATAN, category_label
from satukanal.web.auth import core, requires

blueprint = Blueprint("queue", __name__, url_prefix="/antrean")
PAGE_SIZE = 50
UNDO_KEY, UNDO_DEPTH = "undo", 20
REJECT_REASONS = {
    "bukan_keluhan": "Bukan keluhan",
    "spam": "Spam atau promosi",
    "bukan_wewenang": "Di luar kewenangan Pemkab Tuban",
    "duplikat": "Duplikat tiket (isi nomornya)",
}
BULK_LIMIT = PAGE_SIZE


class ConfirmForm(FlaskForm):
    title = StringField("Judul", validators=[Optional(), Length(max=moderation.TITLE_LIMIT)])
    category = SelectField("Kategori", validate_choice=True)
    agency = SelectField("OPD", validate_choice=True)
    kecamatan = SelectField(
        "Kecamatan", choices=[SelectChoice("", "(dari teks)"), *(SelectChoice(name, name) for name in KECAMATAN)]
    )
    anonymous = BooleanField("Anonim", default=True)
    confidential = BooleanField("Rahasia")


class RejectForm(FlaskForm):
    reason = SelectField("Alasan", choices=[SelectChoice(key, label) for key, label in REJECT_REASONS.items()])
    note = StringField("Catatan atau nomor tiket", validators=[Optional(), Length(max=300)])


def confirm_form() -> ConfirmForm:
    settings = core().settings
    form = ConfirmForm()
    form.category.choices = [SelectChoice("", "(saran model)")] + [
        SelectChoice(name, category_label(name)) for name in settings.categories
    ]
    form.agency.choices = [SelectChoice("", "(sesuai kategori)")] + [
        SelectChoice(key, agency.name) for key, agency in settings.agencies.items()
    ]
    return form


@blueprint.get("/")
@requires("moderator")
def index():
    order = request.args.get("urutan", "newest")
    show_all = request.args.get("semua") == "1"
    if order not in moderation.QUEUE_ORDERS:
        abort(400)
    filters = _filters()
    with core().sessions() as session:
        posts = moderation.queue(session, limit=PAGE_SIZE, flagged_only=not show_all, order=order, filters=filters)
        cards = [_card(post) for post in posts]
    settings = core().settings
    return render_template(
        "queue.html",
        cards=cards,
        order=order,
        show_all=show_all,
        args=request.args,
        platforms=("x", "instagram"),
        categories=[(name, category_label(name)) for name in settings.categories],
        agencies=settings.agencies,
        kecamatan=KECAMATAN,
        confirm_form=confirm_form(),
        reject_form=RejectForm(),
    )


@blueprint.post("/<int:post_id>/konfirmasi")
@requires("moderator")
def confirm(post_id: int):
    form = confirm_form()
    if not form.validate_on_submit():
        abort(400)
    app = core()
    with app.sessions.begin() as session:
        try:
            result = moderation.confirm(
                session,
                app.settings,
                post_id,
                current_user.username,
                category=form.category.data or None,
                agency=form.agency.data or None,
                kecamatan=form.kecamatan.data or None,
                title=form.title.data or None,
                anonymous=form.anonymous.data,
                confidential=form.confidential.data,
            )
            number = result.ticket.number
        except moderation.ReviewError as exc:
            flash(str(exc), "error")
            return _back()
    _remember(post_id)
    flash(f"Unggahan dikonfirmasi: tiket {number}." if result.created else f"Sudah menjadi tiket {number}.")
    return _back()


@blueprint.post("/<int:post_id>/tolak")
@requires("moderator")
def reject(post_id: int):
    form = RejectForm()
    if not form.validate_on_submit():
        abort(400)
    note = (form.note.data or "").strip()
    with core().sessions.begin() as db:
        try:
            if form.reason.data == "duplikat":
                ticket = moderation.link_duplicate(db, post_id, note, current_user.username)
                message = f"Unggahan digabung ke tiket {ticket.number} sebagai duplikat."
            else:
                reason = REJECT_REASONS[form.reason.data] + (f": {note}" if note else "")
                moderation.reject(db, post_id, current_user.username, reason)
                message = "Unggahan ditolak."
        except moderation.ReviewError as exc:
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
                    moderation.reject(db, post_id, current_user.username, REJECT_REASONS["bukan_keluhan"])
                else:
                    moderation.confirm(db, app.settings, post_id, current_user.username)
            except moderation.ReviewError as exc:
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
            undone = moderation.undo(db, post_id, current_user.username)
        except moderation.ReviewError as exc:
            flash(str(exc), "error")
            undone = None
    session[UNDO_KEY] = recent[:-1]
    if undone:
        flash(f"Dibatalkan: {undone}; unggahan kembali ke antrean.")
    return _back()


def _remember(post_id: int) -> None:
    session[UNDO_KEY] = [*session.get(UNDO_KEY, []), post_id][-UNDO_DEPTH:]


QUERY_KEYS = (
    "urutan",
    "semua",
    "platform",
    "akun",
    "skor_min",
    "skor_max",
    "dari",
    "sampai",
    "kategori",
    "opd",
    "kecamatan",
)


def _back():
    """Back to the queue as the moderator was viewing it (only our own query parameters survive)."""
    kept = {key: request.args[key] for key in QUERY_KEYS if request.args.get(key)}
    return redirect(url_for("queue.index", **kept))


def _filters() -> moderation.QueueFilters:
    """The queue's filters from the query string; anything malformed is a 400."""
    args, settings = request.args, core().settings
    zone = settings.timezone
    try:
        since = date.fromisoformat(args["dari"]) if args.get("dari") else None
        until = date.fromisoformat(args["sampai"]) if args.get("sampai") else None
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
    return moderation.QueueFilters(
        platform=args.get("platform") or None,
        account=(args.get("akun") or "").strip()[:64] or None,
        min_score=low,
        max_score=high,
        since=datetime.combine(since, time(), zone) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(), zone) if until else None,
        category=args.get("kategori") or None,
        agency=args.get("opd") or None,
        kecamatan=args.get("kecamatan") or None,
        search=(args.get("q") or "").strip()[:100] or None,
    )


def _card(post: Post) -> dict:
    settings = core().settings
    verdict = post.classification
    return {
        "id": post.id,
        "platform": post.platform,
        "author": post.author,
        "url": post.url if post.url and post.url.startswith("https://") else None,
        "created_at": post.created_at.astimezone(settings.timezone),
        "text": post.text,
        "score": verdict.score if verdict else None,
        "flagged": bool(verdict and verdict.flagged),
        "suggestions": [
            (category_label(name), settings.agency_for_category(name), probability)
            for name, probability in (verdict.suggestions if verdict else [])
        ],
    }
