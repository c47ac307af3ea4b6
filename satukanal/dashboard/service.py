"""The team's dashboard figures for a chosen period (dates inclusive, office time zone).

The period's figures are ``satukanal.dashboard.figures.period_figures``, the same the
weekly and monthly recaps publish for those days (the definitions are
there), beside the same figures of the period before (``trends``). Only
what the page labels "saat ini" is read at ``now`` whatever the period: the
open tickets per agency and those past a LAPOR! deadline, by the condition
the ticket list filters "lewat tenggat" with, so each bar and its list agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from publisher import Count
from satukanal.config.settings import Settings
from satukanal.dashboard.figures import PeriodFigures, period_figures
from satukanal.dashboard.trends import Change, WeekMedians, previous_period, weekly_medians
from satukanal.models import Ticket
from satukanal.tickets.clocks import OVERDUE, WorkingCalendar
from satukanal.tickets.listing import ClockRules, running_late, still_open

COMPARED = (
    "posts_received",
    "flagged",
    "confirmed",
    "rejected",
    "tickets_opened",
    "tickets_resolved",
    "median_hours_to_confirm",
    "median_days_to_resolve",
)
"""The figures (``PeriodFigures`` fields) the dashboard compares with the period before."""


@dataclass(frozen=True)
class AgencyLoad:
    """An agency's open tickets now, and how many of them are past a LAPOR! deadline."""

    agency: str | None
    """The agency's key (``opd=`` of the ticket list); None for the tickets not routed yet."""
    name: str
    open: int
    overdue: int

    @property
    def within_deadline(self) -> int:
        """The open tickets not past a deadline: the rest of the bar."""
        return self.open - self.overdue


@dataclass(frozen=True)
class Dashboard:
    since: date
    until: date
    agency: str | None
    """The agency's name when the ticket figures are its alone (a liaison's dashboard); None for the district."""
    posts_per_day: list[tuple[date, int]]
    by_platform: list[tuple[str, int]]
    posts: int
    flagged: int
    confirmed: int
    rejected: int
    tickets_opened: int
    tickets_resolved: int
    by_status: list[tuple[str, int]]
    """Every ticket by its status at the end of the period (or now, while the period runs)."""
    by_category: list[tuple[str, int]]
    by_agency: list[tuple[str, int]]
    median_hours_to_confirm: float | None
    median_days_to_resolve: float | None
    overdue: int
    """Open tickets past a LAPOR! deadline now, whatever the period ("saat ini")."""
    previous_since: date
    previous_until: date
    changes: dict[str, Change]
    """Each figure of ``COMPARED``, by its name, beside the same figure of the period before."""
    open_by_agency: list[AgencyLoad]
    """Now, whatever the period: the agencies with open tickets, the most first."""
    weeks: list[WeekMedians]
    """The medians week by week, up to the week holding ``until``."""


def dashboard(
    session: Session,
    settings: Settings,
    since: date,
    until: date,
    now: datetime,
    calendar: WorkingCalendar,
    agency: str | None = None,
) -> Dashboard:
    """The dashboard of the whole district, or of ``agency``'s tickets only (what its liaisons see)."""
    figures = period_figures(session, settings, since, until, calendar, now, agency)
    previous_since, previous_until = previous_period(since, until)
    before = period_figures(session, settings, previous_since, previous_until, calendar, now, agency)
    loads = open_by_agency(session, settings, now, calendar, agency)
    return Dashboard(
        since=since,
        until=until,
        agency=settings.agency_name(agency) if agency is not None else None,
        posts_per_day=figures.posts_per_day,
        by_platform=_rows(figures.by_platform),
        posts=figures.posts_received,
        flagged=figures.flagged,
        confirmed=figures.confirmed,
        rejected=figures.rejected,
        tickets_opened=figures.tickets_opened,
        tickets_resolved=figures.tickets_resolved,
        by_status=_rows(figures.by_status),
        by_category=_rows(figures.by_category),
        by_agency=_rows(figures.by_agency),
        median_hours_to_confirm=figures.median_hours_to_confirm,
        median_days_to_resolve=figures.median_days_to_resolve,
        overdue=sum(load.overdue for load in loads),
        previous_since=previous_since,
        previous_until=previous_until,
        changes=_changes(figures, before),
        open_by_agency=loads,
        weeks=weekly_medians(session, settings, until, agency),
    )


def open_by_agency(
    session: Session, settings: Settings, now: datetime, calendar: WorkingCalendar, agency: str | None = None
) -> list[AgencyLoad]:
    """Open tickets (of ``agency`` if given) per agency at ``now``, and those past a LAPOR! deadline
    (``listing.running_late``, as the ticket list's ``tenggat=lewat``)."""
    ours = [Ticket.agency == agency] if agency is not None else []
    late = running_late(OVERDUE, ClockRules(now, settings.timezone, settings.clocks, calendar))
    rows = session.execute(
        select(Ticket.agency, func.count(), func.count(case((late, 1))))
        .where(still_open(), *ours)
        .group_by(Ticket.agency)
    )
    loads = [AgencyLoad(key, settings.agency_name(key), count, overdue) for key, count, overdue in rows]
    return sorted(loads, key=lambda load: (-load.open, load.name))


def _changes(figures: PeriodFigures, before: PeriodFigures) -> dict[str, Change]:
    return {name: Change(getattr(figures, name), getattr(before, name)) for name in COMPARED}


def _rows(counts: list[Count]) -> list[tuple[str, int]]:
    return [(count.label, count.count) for count in counts]
