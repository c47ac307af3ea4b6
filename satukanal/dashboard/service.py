"""The team's dashboard figures for a chosen period (dates inclusive, office time zone).

The period's figures are ``satukanal.dashboard.figures.period_figures``, the same the
weekly and monthly recaps publish for those days (the definitions are
there). Only the figure the page labels "saat ini" is read at ``now``
whatever the period: open tickets past a LAPOR! deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from publisher import Count
from satukanal.config.settings import Settings
from satukanal.dashboard.figures import period_figures
from satukanal.models import Ticket
from satukanal.tickets.clocks import WorkingCalendar, ticket_clocks
from satukanal.tickets.lifecycle import CLOSED


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
        overdue=overdue_now(session, settings, now, calendar, agency),
    )


def overdue_now(
    session: Session, settings: Settings, now: datetime, calendar: WorkingCalendar, agency: str | None = None
) -> int:
    """Open tickets (of ``agency`` if given) past a LAPOR! deadline at ``now``."""
    conditions = [Ticket.status.not_in([status.value for status in CLOSED])]
    if agency is not None:
        conditions.append(Ticket.agency == agency)
    open_tickets = session.scalars(select(Ticket).where(*conditions))
    return sum(
        any(clock.overdue for clock in ticket_clocks(ticket, now, settings.timezone, settings.clocks, calendar))
        for ticket in open_tickets
    )


def _rows(counts: list[Count]) -> list[tuple[str, int]]:
    return [(count.label, count.count) for count in counts]
