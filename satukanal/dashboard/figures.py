"""The figures of a period, computed in one place for the recap (week or month) and the dashboard.

A period is a range of days in the office time zone, first and last day
included: from 00:00 of the first day to 24:00 of the last. The weekly and
monthly recaps ask for their Monday–Sunday or calendar month, the dashboard
for the days chosen in its form; both read ``period_figures``, so the same
week shows the same numbers everywhere. The definitions:

- **Posts received**: posts created in the period, our own account's posts
  (``Post.is_own``) left out; unscored posts count. **By platform** and
  **per day** split the same posts.
- **Flagged**: of the posts received, those the model flagged, as the
  post's current classification says; an unscored post is not flagged.
- **Confirmed** and **rejected**: moderators' decisions made in the period,
  whenever the post came in (a duplicate joined to a ticket is neither).
  The **median hours to confirm** run from each confirmed post's creation
  to its confirmation.
- **Tickets opened**: tickets created in the period; **by category** and
  **by agency** count them.
- **Tickets resolved**: tickets that reached Selesai in the period; the
  **median days to resolve** run from creation to Selesai.
- **By status**, **in progress** (not closed) and **overdue** (past a
  LAPOR! deadline, working-day clocks): every ticket created before the
  period's end, as it stood at the end of the period, read from its status
  history. For a period that is not over yet, that moment is now.

What the dashboard shows "saat ini" (tickets overdue now, whatever the
period) is not a figure of the period and stays in ``satukanal.dashboard.service``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from publisher import Count
from satukanal.config.settings import Settings
from satukanal.models import Classification, Post, ReviewDecision, Ticket, TicketStatusChange
from satukanal.tickets.clocks import WorkingCalendar, ticket_clocks
from satukanal.tickets.lifecycle import CLOSED, INITIAL, Status
from satukanal.tuban import category_label


@dataclass(frozen=True)
class PeriodFigures:
    """What happened from ``first`` to ``last`` (inclusive), and the tickets as they stood at ``as_of``."""

    first: date
    last: date
    as_of: datetime
    """The end of the period, or now when the period is not over yet."""
    posts_received: int
    flagged: int
    confirmed: int
    rejected: int
    posts_per_day: list[tuple[date, int]]
    by_platform: list[Count]
    median_hours_to_confirm: float | None
    tickets_opened: int
    by_category: list[Count]
    by_agency: list[Count]
    tickets_resolved: int
    resolved: list[Ticket]
    """The resolved tickets themselves, in the order they were opened (the recap picks its highlights here)."""
    median_days_to_resolve: float | None
    by_status: list[Count]
    in_progress: int
    overdue: int


@dataclass(frozen=True)
class TicketAt:
    """A ticket as it stood at a moment, read from its status history: what the clocks need."""

    status: Status
    status_changed_at: datetime
    created_at: datetime


def period_bounds(settings: Settings, first: date, last: date) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of the days ``first`` to ``last`` in the office time zone."""
    zone = settings.timezone
    return datetime.combine(first, time(), zone), datetime.combine(last + timedelta(days=1), time(), zone)


def period_figures(
    session: Session,
    settings: Settings,
    first: date,
    last: date,
    calendar: WorkingCalendar,
    now: datetime | None = None,
    agency: str | None = None,
) -> PeriodFigures:
    """The figures of the days ``first`` to ``last``; ``now`` (if given) cuts a running period short;
    ``agency`` (if given) narrows the ticket figures to that agency's tickets.

    The definitions are in this module's docstring.
    """
    start, end = period_bounds(settings, first, last)
    as_of = min(end, now) if now is not None else end
    posts = session.execute(select(Post.created_at, Post.platform).where(*_received(start, end))).all()
    decisions = _decisions(session, start, end)
    ours = [Ticket.agency == agency] if agency is not None else []
    opened = session.execute(
        select(Ticket.category, Ticket.agency).where(Ticket.created_at >= start, Ticket.created_at < end, *ours)
    ).all()
    resolved = list(
        session.scalars(
            select(Ticket).where(Ticket.resolved_at >= start, Ticket.resolved_at < end, *ours).order_by(Ticket.id)
        )
    )
    states = tickets_at(session, as_of, agency)
    statuses = Counter(state.status for state in states)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    per_day = Counter(created.astimezone(settings.timezone).date() for created, _ in posts)
    return PeriodFigures(
        first=first,
        last=last,
        as_of=as_of,
        posts_received=len(posts),
        flagged=_flagged(session, start, end),
        confirmed=sum(1 for decision, _ in decisions if decision == "confirm"),
        rejected=sum(1 for decision, _ in decisions if decision == "reject"),
        posts_per_day=[(day, per_day[day]) for day in days],
        by_platform=ranked(Counter(platform for _, platform in posts)),
        median_hours_to_confirm=_median([hours for decision, hours in decisions if decision == "confirm"]),
        tickets_opened=len(opened),
        by_category=ranked(Counter(category_label(category) for category, _ in opened)),
        by_agency=ranked(Counter(settings.agency_name(agency) for _, agency in opened)),
        tickets_resolved=len(resolved),
        resolved=resolved,
        median_days_to_resolve=_median([_days(ticket.created_at, ticket.resolved_at) for ticket in resolved]),
        by_status=[Count(status.label, statuses[status]) for status in Status if statuses[status]],
        in_progress=sum(count for status, count in statuses.items() if status not in CLOSED),
        overdue=sum(
            any(clock.overdue for clock in ticket_clocks(state, as_of, settings.timezone, settings.clocks, calendar))
            for state in states
        ),
    )


def activity_counts(session: Session, settings: Settings, first: date, last: date) -> dict[str, int]:
    """Posts received, flagged, confirmed and rejected in the days ``first`` to ``last``, by the same
    definitions as ``period_figures``, without its ticket and clock work (a recap's period before)."""
    start, end = period_bounds(settings, first, last)
    decisions = [decision for decision, _ in _decisions(session, start, end)]
    return {
        "posts_received": session.scalar(select(func.count()).select_from(Post).where(*_received(start, end))) or 0,
        "flagged": _flagged(session, start, end),
        "confirmed": decisions.count("confirm"),
        "rejected": decisions.count("reject"),
    }


def medians(
    session: Session, settings: Settings, first: date, last: date, agency: str | None = None
) -> tuple[float | None, float | None]:
    """The median hours to confirm and days to resolve of the days ``first`` to ``last``, by the same definitions
    as ``period_figures``, without its other work (the dashboard's week-by-week trend)."""
    start, end = period_bounds(settings, first, last)
    hours = [hours for decision, hours in _decisions(session, start, end) if decision == "confirm"]
    ours = [Ticket.agency == agency] if agency is not None else []
    resolved = session.execute(
        select(Ticket.created_at, Ticket.resolved_at).where(
            Ticket.resolved_at >= start, Ticket.resolved_at < end, *ours
        )
    )
    return _median(hours), _median([_days(created, done) for created, done in resolved])


def tickets_at(session: Session, moment: datetime, agency: str | None = None) -> list[TicketAt]:
    """Every ticket created before ``moment`` (of ``agency`` if given), as it stood then: its latest status
    change before it."""
    latest = (
        select(TicketStatusChange.ticket_id, func.max(TicketStatusChange.id).label("change_id"))
        .where(TicketStatusChange.changed_at < moment)
        .group_by(TicketStatusChange.ticket_id)
        .subquery()
    )
    rows = session.execute(
        select(Ticket.created_at, TicketStatusChange.to_status, TicketStatusChange.changed_at)
        .select_from(Ticket)
        .outerjoin(latest, latest.c.ticket_id == Ticket.id)
        .outerjoin(TicketStatusChange, TicketStatusChange.id == latest.c.change_id)
        .where(Ticket.created_at < moment, *([Ticket.agency == agency] if agency is not None else []))
    )
    return [
        TicketAt(Status(status), changed_at, created_at) if status else TicketAt(INITIAL, created_at, created_at)
        for created_at, status, changed_at in rows
    ]


def ranked(counter: Counter) -> list[Count]:
    """Largest first, ties in alphabetical order, so that a list reads the same wherever it is shown."""
    return [Count(label, count) for label, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))]


def _received(start: datetime, end: datetime) -> tuple:
    return Post.is_own.is_(False), Post.created_at >= start, Post.created_at < end


def _flagged(session: Session, start: datetime, end: datetime) -> int:
    query = select(func.count()).select_from(Post).join(Post.classification)
    return session.scalar(query.where(*_received(start, end), Classification.flagged)) or 0


def _decisions(session: Session, start: datetime, end: datetime) -> list[tuple[str, float]]:
    """Each confirmation or rejection decided in the period, with the hours since its post was created."""
    rows = session.execute(
        select(ReviewDecision.decision, ReviewDecision.decided_at, Post.created_at)
        .join(Post, Post.id == ReviewDecision.post_id)
        .where(
            ReviewDecision.decision.in_(["confirm", "reject"]),
            ReviewDecision.decided_at >= start,
            ReviewDecision.decided_at < end,
        )
    )
    return [(decision, (decided - created).total_seconds() / 3600) for decision, decided, created in rows]


def _days(since: datetime, until: datetime) -> float:
    return (until - since).total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None
