"""A recap's figures, computed from the database for the publisher's templates and cards.

A week runs Monday 00:00 to Sunday 24:00 in the configured time zone; a
month from its first day to its last. The figures are the period's figures
of ``satukanal.dashboard.figures`` (where their definitions are), the same the
dashboard shows for those days: counts of posts, decisions and tickets are
for events inside the period; ticket statuses, and the LAPOR! clocks that
make a ticket overdue, are as they stood at the end of the period, read
from the status history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from publisher import Highlight, Month, Week, WeeklyFigures
from satukanal.config.settings import Settings
from satukanal.dashboard.figures import activity_counts, period_bounds, period_figures
from satukanal.models import Ticket
from satukanal.tickets.clocks import WorkingCalendar
from satukanal.tuban import category_label

CALENDAR = WorkingCalendar()


def recap_figures(session: Session, settings: Settings, period: Week | Month) -> WeeklyFigures:
    """The figures of a week's (or a month's) recap, with the period before it for comparison."""
    first, last = _days(period)
    figures = period_figures(session, settings, first, last, CALENDAR)
    return WeeklyFigures(
        week=period,
        posts_received=figures.posts_received,
        flagged=figures.flagged,
        confirmed=figures.confirmed,
        rejected=figures.rejected,
        tickets_opened=figures.tickets_opened,
        tickets_resolved=figures.tickets_resolved,
        in_progress=figures.in_progress,
        overdue=figures.overdue,
        median_days_to_resolve=figures.median_days_to_resolve,
        by_platform=figures.by_platform,
        by_status=figures.by_status,
        by_agency=figures.by_agency,
        by_category=figures.by_category,
        highlights=_highlights(session, settings, *period_bounds(settings, first, last)),
        previous=activity_counts(session, settings, *_days(period.shifted(-1))),
    )


def _days(period: Week | Month) -> tuple[date, date]:
    """The first and last day of a week or a month."""
    return (period.monday, period.sunday) if isinstance(period, Week) else (period.first, period.last)


def _highlights(session: Session, settings: Settings, start: datetime, end: datetime) -> list[Highlight]:
    """Up to ``settings.publish.highlights`` tickets resolved in the period, each telling something different:
    of the tickets with the same summary, the first opened. The database groups the period's resolved tickets
    by what the summary is made of; only the tickets chosen are loaded."""
    kinds = session.execute(
        select(Ticket.category, Ticket.kecamatan, func.min(Ticket.id))
        .where(Ticket.resolved_at >= start, Ticket.resolved_at < end)
        .group_by(Ticket.category, Ticket.kecamatan)
    )
    first_of: dict[str, int] = {}
    for category, kecamatan, ticket_id in kinds:
        summary = _summary(category, kecamatan)
        first_of[summary] = min(ticket_id, first_of.get(summary, ticket_id))
    chosen = sorted(first_of.values())[: settings.publish.highlights]
    return [
        _highlight(settings, ticket)
        for ticket in session.scalars(select(Ticket).where(Ticket.id.in_(chosen)).order_by(Ticket.id))
    ]


def _summary(category: str | None, kecamatan: str | None) -> str:
    label = category_label(category)
    return f"{label} di Kec. {kecamatan}" if kecamatan else label


def _highlight(settings: Settings, ticket: Ticket) -> Highlight:
    """What the public reads about a resolved ticket: what kind of problem, where, who fixed it.

    The citizen's own words stay out of public posts; the title is only used
    by moderators and in LAPOR!.
    """
    days = (ticket.resolved_at - ticket.created_at).total_seconds() / 86400
    return Highlight(
        number=ticket.number,
        category=category_label(ticket.category),
        agency=settings.agency_name(ticket.agency),
        summary=_summary(ticket.category, ticket.kecamatan),
        days_to_resolve=round(days, 1),
    )
