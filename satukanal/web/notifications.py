"""The bell: a user's notifications (``/pemberitahuan``), reading them, and how they want to be told outside the app."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from satukanal.models import User, utcnow
from satukanal.notifications import service
from satukanal.notifications.models import Notification
from satukanal.notifications.preferences import EMAIL_LIMIT, MODES, PreferenceError, set_preferences
from satukanal.web.badges import unread_notifications
from satukanal.web.paging import paged, requested_page
from satukanal.web.users import core

blueprint = Blueprint("notifications", __name__, url_prefix="/pemberitahuan")
PAGE_SIZE = 30


class PreferencesForm(FlaskForm):
    email = EmailField("E-mail", validators=[Optional(), Length(max=EMAIL_LIMIT)])
    mode = SelectField("Kirim ke luar aplikasi", choices=[SelectChoice(key, label) for key, label in MODES.items()])


@blueprint.get("/")
@login_required
def index():
    page = requested_page(PAGE_SIZE)
    with core().sessions() as session:
        user = session.get(User, current_user.id)
        form = PreferencesForm(data={"email": user.email or "", "mode": user.notify_mode})
        return _page(session, form, page)


def _page(session, form: PreferencesForm, page, code: int = 200):
    found = service.recent(session, current_user.id, page.fetch, page.offset)
    pager = paged(page, found, ())
    zone = core().settings.timezone
    rows = [
        {
            "id": item.id,
            "kind": service.KIND_LABELS.get(item.kind, item.kind),
            "text": item.text,
            "at": item.created_at.astimezone(zone),
            "unread": item.read_at is None,
            "link": item.link,
        }
        for item in pager.items
    ]
    unread = unread_notifications()  # the bell's count, read once per request for the page and the navigation
    reachable = bool(core().settings.smtp_url)
    return render_template(
        "notifications.html", rows=rows, pager=pager, unread=unread, form=form, mail_configured=reachable
    ), code


@blueprint.get("/<id:notification_id>")
@login_required
def open_one(notification_id: int):
    """Open what a notification is about, marking it read."""
    with core().sessions.begin() as session:
        item = session.get(Notification, notification_id)
        if item is None or item.user_id != current_user.id:
            abort(404)
        service.mark_read(session, current_user.id, [item.id])
        link = item.link if item.link and item.link.startswith("/") and not item.link.startswith("//") else None
    return redirect(link or url_for("notifications.index"))


@blueprint.post("/baca-semua")
@login_required
def read_all():
    with core().sessions.begin() as session:
        count = service.mark_read(session, current_user.id, now=utcnow())
    flash(f"{count} pemberitahuan ditandai sudah dibaca." if count else "Tidak ada pemberitahuan yang belum dibaca.")
    return redirect(url_for("notifications.index"))


@blueprint.post("/cara")
@login_required
def preferences():
    form = PreferencesForm()
    with core().sessions.begin() as session:
        user = session.get(User, current_user.id)
        if form.validate():
            try:
                changed = set_preferences(session, user, form.email.data or "", form.mode.data, current_user.username)
            except PreferenceError as exc:
                form.email.errors = [str(exc)]
            else:
                flash(
                    "Cara pemberitahuan disimpan." if changed else "Tidak ada perubahan.",
                    "message" if changed else "info",
                )
                return redirect(url_for("notifications.index"))
        if "csrf_token" in form.errors:
            abort(400)
        return _page(session, form, requested_page(PAGE_SIZE), 400)
