"""The dashboard: the chosen period's figures as tiles, each beside the period before and linked to the list it
counts, and as charts whose geometry ``satukanal.dashboard.charts`` computes.

A tile's link opens the list that holds exactly what it counts, with the same
days: posts in the queue (``keputusan=`` lets it list decided posts too),
tickets in the ticket list (``dibuat_dari``, ``selesai_dari`` ...). A user
whose role cannot open that list (a viewer) sees the tile without a link.

At a million posts a dashboard is hundreds of milliseconds of work, and a
desk opens the same one many times a minute: each server process keeps what
it rendered below the form for ``web.dashboard_cache_seconds``
(``KeptDashboards``), per period, agency and role (the role decides the
links), and the page says when its figures were computed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from threading import Lock
from time import monotonic

from babel.dates import format_date
from cachetools import TTLCache
from flask import Blueprint, Flask, current_app, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from publisher.periods import LOCALE
from satukanal.dashboard.charts import bar_list, column_chart, stacked_bar
from satukanal.dashboard.service import Dashboard, dashboard
from satukanal.dashboard.trends import Change
from satukanal.models import utcnow
from satukanal.web.badges import QUEUE_ROLES, TICKET_ROLES
from satukanal.web.dates import requested_period
from satukanal.web.labels import platform_label
from satukanal.web.tickets import CALENDAR
from satukanal.web.users import core, requires

blueprint = Blueprint("dashboard", __name__, url_prefix="/dasbor")
DEFAULT_DAYS = 30
MAX_DAYS = 366
DASHBOARDS_KEPT = 64
"""Dashboards a server process keeps at most (periods × agencies × roles); a year's is about 100 KB."""


@dataclass(frozen=True)
class Rendered:
    """A dashboard's figures and their HTML below the form."""

    figures: Dashboard
    html: Markup


class KeptDashboards:
    """The dashboards this server process rendered in the last ``seconds``, by what they depend on; with
    ``seconds`` 0 it keeps none. Threads of one process share it (``web.threads``)."""

    def __init__(self, seconds: int) -> None:
        self._kept = TTLCache(DASHBOARDS_KEPT, seconds, timer=monotonic) if seconds else None
        self._lock = Lock()

    def get(self, key: Hashable, render: Callable[[], Rendered]) -> Rendered:
        """The dashboard kept under ``key``, or ``render()``'s, kept from now on."""
        if self._kept is None:
            return render()
        with self._lock:
            kept = self._kept.get(key)
        if kept is None:
            kept = render()
            with self._lock:
                self._kept[key] = kept
        return kept


def init_app(web: Flask, seconds: int) -> None:
    web.extensions["dashboards"] = KeptDashboards(seconds)


@dataclass(frozen=True)
class Tile:
    label: str
    value: float | None
    change: Change | None
    """Beside the period before; None for what is read now rather than over the period."""
    link: str | None
    """The list behind the figure; None when the user's role cannot open it."""
    places: int | None = None
    """Decimals to show, for a median; None for a count."""


@blueprint.app_template_filter("short_date")
def short_date(day: date, with_year: bool = False) -> str:
    """``16 Nov`` (or ``16 Nov 2026``), as the charts' axes and tooltips write a day."""
    return format_date(day, "d MMM y" if with_year else "d MMM", locale=LOCALE)


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
    scope, role = current_user.agency_scope, current_user.role
    shown = current_app.extensions["dashboards"].get(
        (since, until, scope, role), lambda: render_figures(since, until, scope, now)
    )
    return render_template(
        "dashboard.html", figures=shown.figures, figures_html=shown.html, args=request.args, date_errors=errors
    ), 400 if errors else 200


def render_figures(since: date, until: date, agency: str | None, now: datetime) -> Rendered:
    """The dashboard of ``since`` to ``until`` (of ``agency``'s tickets, for a liaison) as of ``now``, and its
    HTML for the current user's role."""
    settings = core().settings
    with core().sessions() as session:
        figures = dashboard(session, settings, since, until, now, CALENDAR, agency)
    html = render_template(
        "_dashboard_figures.html",
        figures=figures,
        tiles=tiles(figures),
        charts=charts(figures),
        loads=agency_loads(figures),
        computed_at=clock_time(now.astimezone(settings.timezone)),
    )
    return Rendered(figures, Markup(html))


def clock_time(moment: datetime) -> str:
    """``14.05``, as Indonesian writes the time of day."""
    return moment.strftime("%H.%M")


def tiles(figures: Dashboard) -> list[Tile]:
    """The figures on top of the page, each linked to its list: the posts' to the queue (not on a liaison's
    dashboard, which counts their agency's tickets only), the tickets' to the ticket list; a median to the list
    of what it is the median of."""
    days = {"dari": figures.since.isoformat(), "sampai": figures.until.isoformat()}
    decided = {f"diputuskan_{end}": value for end, value in days.items()}

    def queue(**arguments) -> str | None:
        return url_for("review.index", **arguments) if current_user.role in QUEUE_ROLES else None

    def tickets(**arguments) -> str | None:
        return url_for("tickets.index", **arguments) if current_user.role in TICKET_ROLES else None

    def compared(label: str, name: str, link: str | None, places: int | None = None) -> Tile:
        """The tile of the figure ``name`` (of ``COMPARED``), beside the period before."""
        change = figures.changes[name]
        return Tile(label, change.current, change, link, places)

    confirmed = queue(status="semua", keputusan="dikonfirmasi", **decided)
    resolved = tickets(**{f"selesai_{end}": value for end, value in days.items()})
    district = figures.agency is None
    posts = [
        compared("Unggahan masuk", "posts_received", queue(status="semua", keputusan="semua", **days)),
        compared("Ditandai model", "flagged", queue(status="ditandai", keputusan="semua", **days)),
        compared("Dikonfirmasi", "confirmed", confirmed),
        compared("Ditolak", "rejected", queue(status="semua", keputusan="ditolak", **decided)),
    ]
    return [
        *(posts if district else []),
        compared("Tiket baru", "tickets_opened", tickets(**{f"dibuat_{end}": value for end, value in days.items()})),
        compared("Tiket selesai", "tickets_resolved", resolved),
        *([compared("Median jam sampai konfirmasi", "median_hours_to_confirm", confirmed, 1)] if district else []),
        compared("Median hari sampai selesai", "median_days_to_resolve", resolved, 1),
        Tile("Tiket lewat tenggat (saat ini)", figures.overdue, None, tickets(tenggat="lewat")),
    ]


def charts(figures: Dashboard) -> dict:
    """Each chart's geometry, by the name the template draws it under."""
    return {
        "per_day": column_chart(figures.posts_per_day),
        "hours_to_confirm": column_chart([(week.monday, week.hours_to_confirm) for week in figures.weeks], False),
        "days_to_resolve": column_chart([(week.monday, week.days_to_resolve) for week in figures.weeks], False),
        "by_platform": bar_list([(platform_label(code), count) for code, count in figures.by_platform]),
        "by_status": bar_list(figures.by_status),
        "by_category": bar_list(figures.by_category),
        "by_agency": bar_list(figures.by_agency),
    }


def agency_loads(figures: Dashboard) -> list[dict]:
    """The open tickets per agency as stacked bars, each part linked to its agency's tickets (the overdue part
    to those past a deadline) when the user may open the ticket list and the tickets have an agency."""
    longest = max((load.open for load in figures.open_by_agency), default=0)
    linked = current_user.role in TICKET_ROLES
    return [
        {
            "load": load,
            "bar": stacked_bar(load.open, load.overdue, longest),
            "link": url_for("tickets.index", opd=load.agency, status="terbuka") if linked and load.agency else None,
            "overdue_link": url_for("tickets.index", opd=load.agency, tenggat="lewat")
            if linked and load.agency
            else None,
        }
        for load in figures.open_by_agency
    ]
