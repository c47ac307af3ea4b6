"""The dashboard: the whole picture for a chosen period, as SVG bar charts (drawn here) and tables."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, render_template, request

from satukanal.dashboard import dashboard
from satukanal.models import utcnow
from satukanal.web.auth import core, requires
from satukanal.web.tickets import CALENDAR

blueprint = Blueprint("dashboard", __name__, url_prefix="/dasbor")
DEFAULT_DAYS = 30
MAX_DAYS = 366


@blueprint.get("/")
@requires("moderator", "agency", "viewer")
def index():
    settings = core().settings
    now = utcnow()
    today = now.astimezone(settings.timezone).date()
    try:
        until = date.fromisoformat(request.args["sampai"]) if request.args.get("sampai") else today
        since = (
            date.fromisoformat(request.args["dari"])
            if request.args.get("dari")
            else until - timedelta(DEFAULT_DAYS - 1)
        )
    except ValueError:
        abort(400)
    if since > until or (until - since).days >= MAX_DAYS:
        abort(400)
    with core().sessions() as session:
        figures = dashboard(session, settings, since, until, now, CALENDAR)
    return render_template("dashboard.html", figures=figures)
