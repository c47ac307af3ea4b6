"""The dashboard: the whole picture for a chosen period, as SVG bar charts (drawn here) and tables."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template, request
from flask_login import current_user

from satukanal.dashboard.service import dashboard
from satukanal.models import utcnow
from satukanal.web.dates import requested_period
from satukanal.web.tickets import CALENDAR
from satukanal.web.users import core, requires

blueprint = Blueprint("dashboard", __name__, url_prefix="/dasbor")
DEFAULT_DAYS = 30
MAX_DAYS = 366


@blueprint.get("/")
@requires("moderator", "agency", "viewer")
def index():
    settings = core().settings
    now = utcnow()
    today = now.astimezone(settings.timezone).date()
    period = requested_period(request.args)
    errors = dict(period.errors)
    until = period.until or today
    since = period.since or until - timedelta(DEFAULT_DAYS - 1)
    if not errors and since > until:
        errors["dari"] = "Tanggal dari tidak boleh setelah tanggal sampai."
    elif not errors and (until - since).days >= MAX_DAYS:
        errors["sampai"] = f"Periode paling panjang {MAX_DAYS} hari."
    if errors:  # the figures of the default period, under the message
        until, since = today, today - timedelta(DEFAULT_DAYS - 1)
    with core().sessions() as session:
        figures = dashboard(session, settings, since, until, now, CALENDAR, current_user.agency_scope)
    status = 400 if errors else 200
    return render_template("dashboard.html", figures=figures, args=request.args, date_errors=errors), status
