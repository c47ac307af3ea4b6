"""A recap's figures, computed from the database for the publisher's templates and cards.

A week runs Monday 00:00 to Sunday 24:00 in the configured time zone; a
month from its first day to its last. Counts
of posts and decisions are for events inside the week; ticket statuses, and
the LAPOR! clocks that make a ticket overdue, are as they stood at the end
of the week, read from the status history.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from publisher import Count, Highlight, Month, Week, WeeklyFigures
from satukanal.clocks import WorkingCalendar, ticket_clocks
from satukanal.config import Settings
from satukanal.lifecycle import CLOSED, Status
from satukanal.models import Classification, Post, ReviewDecision, Ticket
from satukanal.tuban import category_label

CALENDAR = WorkingCalendar()


def recap_figures(session: Session, settings: Settings, period: Week | Month) -> WeeklyFigures:
    """The figures of a week's (or a month's) recap, with the period before it for comparison."""
    current = _counts(session, settings, period)
    start, end = period.bounds(settings.timezone)
    tickets = list(
        session.scalars(
            select(Ticket).options(selectinload(Ticket.history)).where(Ticket.created_at < end).order_by(Ticket.id)
        )
    )
    state_at_end = {ticket.id: _state_at(ticket, end) for ticket in tickets}
    status_at_end = {key: state.status for key, state in state_at_end.items()}
    opened = [ticket for ticket in tickets if ticket.created_at >= start]
    resolved = [ticket for ticket in tickets if ticket.resolved_at and start <= ticket.resolved_at < end]
    resolution_days = [(t.resolved_at - t.created_at).total_seconds() / 86400 for t in resolved]
    statuses = Counter(status_at_end.values())
    return WeeklyFigures(
        week=period,
        **current,
        tickets_opened=len(opened),
        tickets_resolved=len(resolved),
        in_progress=sum(1 for status in status_at_end.values() if status not in CLOSED),
        overdue=sum(
            any(clock.overdue for clock in ticket_clocks(state, end, settings.timezone, settings.clocks, CALENDAR))
            for state in state_at_end.values()
        ),
        median_days_to_resolve=round(median(resolution_days), 1) if resolution_days else None,
        by_platform=_ranked(_platform_counts(session, start, end)),
        by_status=[Count(status.label, statuses[status]) for status in Status if statuses[status]],
        by_agency=_ranked(Counter(settings.agency_name(t.agency) for t in opened)),
        by_category=_ranked(Counter(category_label(t.category) for t in opened)),
        highlights=_highlights(settings, resolved),
        previous=_counts(session, settings, period.shifted(-1)),
    )


def _counts(session: Session, settings: Settings, period: Week | Month) -> dict[str, int]:
    start, end = period.bounds(settings.timezone)
    received = (Post.is_own.is_(False), Post.created_at >= start, Post.created_at < end)
    decided = (ReviewDecision.decided_at >= start, ReviewDecision.decided_at < end)
    return {
        "posts_received": session.scalar(select(func.count()).select_from(Post).where(*received)) or 0,
        "flagged": session.scalar(
            select(func.count()).select_from(Post).join(Post.classification).where(*received, Classification.flagged)
        )
        or 0,
        "confirmed": session.scalar(
            select(func.count()).select_from(ReviewDecision).where(*decided, ReviewDecision.decision == "confirm")
        )
        or 0,
        "rejected": session.scalar(
            select(func.count()).select_from(ReviewDecision).where(*decided, ReviewDecision.decision == "reject")
        )
        or 0,
    }


def _platform_counts(session: Session, start: datetime, end: datetime) -> Counter:
    rows = session.execute(
        select(Post.platform, func.count())
        .where(Post.is_own.is_(False), Post.created_at >= start, Post.created_at < end)
        .group_by(Post.platform)
    )
    return Counter(dict(rows.all()))


@dataclass(frozen=True)
class TicketAt:
    """A ticket as it stood at a moment, read from its status history: what the clocks need."""

    status: Status
    status_changed_at: datetime
    created_at: datetime


def _state_at(ticket: Ticket, moment: datetime) -> TicketAt:
    state = TicketAt(Status.BELUM_TERVERIFIKASI, ticket.created_at, ticket.created_at)
    for change in ticket.history:
        if change.changed_at < moment:
            state = TicketAt(Status(change.to_status), change.changed_at, ticket.created_at)
    return state


def _ranked(counter: Counter) -> list[Count]:
    return [Count(label, count) for label, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))]


def _highlights(settings: Settings, resolved: list[Ticket]) -> list[Highlight]:
    """Up to ``settings.highlights`` resolved tickets, each telling something different."""
    chosen: dict[str, Highlight] = {}
    for ticket in resolved:
        highlight = _highlight(settings, ticket)
        chosen.setdefault(highlight.summary, highlight)
    return list(chosen.values())[: settings.highlights]


def _highlight(settings: Settings, ticket: Ticket) -> Highlight:
    """What the public reads about a resolved ticket: what kind of problem, where, who fixed it.

    The citizen's own words stay out of public posts; the title is only used
    by moderators and in LAPOR!.
    """
    label = category_label(ticket.category)
    days = (ticket.resolved_at - ticket.created_at).total_seconds() / 86400 if ticket.resolved_at else None
    return Highlight(
        number=ticket.number,
        category=label,
        agency=settings.agency_name(ticket.agency),
        summary=f"{label} di Kec. {ticket.kecamatan}" if ticket.kecamatan else label,
        days_to_resolve=round(days, 1) if days is not None else None,
    )
