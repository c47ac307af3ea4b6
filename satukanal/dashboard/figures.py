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

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from publisher import Count
from satukanal.config.settings import Settings
from satukanal.dashboard.durations import days_to_resolve, hours_to_confirm
from satukanal.dashboard.hourly import runs
from satukanal.dashboard.models import DecisionHour
from satukanal.dashboard.received import received
from satukanal.dashboard.standing import standing
from satukanal.models import ReviewDecision, Ticket
from satukanal.tickets.clocks import WorkingCalendar
from satukanal.tickets.lifecycle import CLOSED, Status
from satukanal.tickets.listing import ClockRules
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
    median_days_to_resolve: float | None
    by_status: list[Count]
    in_progress: int
    overdue: int


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

    The definitions are in this module's docstring. The database counts, from the hourly counts where it
    can (``received``, ``_decision_counts``): what comes back is a row per day and platform, per decision,
    per category and agency, and per status; and, for the medians (``durations``), each confirmation's and
    resolution's moment and duration as two numbers.
    """
    start, end = period_bounds(settings, first, last)
    as_of = min(end, now) if now is not None else end
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    posts = received(session, [period_bounds(settings, day, day)[0] for day in days] + [end])
    decisions = _decision_counts(session, start, end)
    ours = [Ticket.agency == agency] if agency is not None else []
    categories, agencies = _opened(session, settings, start, end, ours)
    resolved = days_to_resolve(session, [start, end], ours)[0]
    statuses, overdue = standing(session, ClockRules(as_of, settings.timezone, settings.clocks, calendar), agency)
    return PeriodFigures(
        first=first,
        last=last,
        as_of=as_of,
        posts_received=posts.total,
        flagged=posts.flagged,
        confirmed=decisions["confirm"],
        rejected=decisions["reject"],
        posts_per_day=list(zip(days, posts.per_day, strict=True)),
        by_platform=ranked(posts.per_platform),
        median_hours_to_confirm=hours_to_confirm(session, [start, end])[0].median,
        tickets_opened=categories.total(),
        by_category=ranked(categories),
        by_agency=ranked(agencies),
        tickets_resolved=resolved.count,
        median_days_to_resolve=resolved.median,
        by_status=[Count(status.label, statuses[status]) for status in Status if statuses[status]],
        in_progress=sum(count for status, count in statuses.items() if status not in CLOSED),
        overdue=overdue,
    )


def activity_counts(session: Session, settings: Settings, first: date, last: date) -> dict[str, int]:
    """Posts received, flagged, confirmed and rejected in the days ``first`` to ``last``, by the same
    definitions as ``period_figures``, without its ticket and clock work (a recap's period before)."""
    start, end = period_bounds(settings, first, last)
    posts = received(session, [start, end])
    decisions = _decision_counts(session, start, end)
    return {
        "posts_received": posts.total,
        "flagged": posts.flagged,
        "confirmed": decisions["confirm"],
        "rejected": decisions["reject"],
    }


def medians(
    session: Session, settings: Settings, first: date, last: date, agency: str | None = None
) -> tuple[float | None, float | None]:
    """The median hours to confirm and days to resolve of the days ``first`` to ``last``, by the same definitions
    as ``period_figures``, without its other work."""
    return medians_per_period(session, settings, [first, last + timedelta(days=1)], agency)[0]


def medians_per_period(
    session: Session, settings: Settings, starts: list[date], agency: str | None = None
) -> list[tuple[float | None, float | None]]:
    """``medians`` of the days from each of ``starts`` to the day before the next, in two statements (the
    dashboard's week-by-week trend)."""
    bounds = [period_bounds(settings, day, day)[0] for day in starts]
    ours = [Ticket.agency == agency] if agency is not None else []
    confirmed, resolved = hours_to_confirm(session, bounds), days_to_resolve(session, bounds, ours)
    return [(hours.median, days.median) for hours, days in zip(confirmed, resolved, strict=True)]


def ranked(counter: Counter) -> list[Count]:
    """Largest first, ties in alphabetical order, so that a list reads the same wherever it is shown."""
    return [Count(label, count) for label, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))]


def _decision_counts(session: Session, start: datetime, end: datetime) -> Counter[str]:
    """Confirmations and rejections decided in the period: from the hourly counts when the period is a run of
    whole UTC hours (``satukanal.dashboard.hourly``)."""
    period = runs([start, end])
    if period is not None:
        hours = period[0]
        counted = select(DecisionHour.decision, func.sum(DecisionHour.decisions)).where(hours.holds(DecisionHour.hour))
        return +Counter(dict(session.execute(counted.group_by(DecisionHour.decision)).all()))
    return Counter(
        dict(
            session.execute(
                select(ReviewDecision.decision, func.count())
                .where(
                    ReviewDecision.decided_at >= start,
                    ReviewDecision.decided_at < end,
                    ReviewDecision.decision.in_(["confirm", "reject"]),
                )
                .group_by(ReviewDecision.decision)
            ).all()
        )
    )


def _opened(
    session: Session, settings: Settings, start: datetime, end: datetime, ours: list[ColumnElement[bool]]
) -> tuple[Counter[str], Counter[str]]:
    """The tickets opened in the period by category and by agency, as people read them."""
    rows = session.execute(
        select(Ticket.category, Ticket.agency, func.count())
        .where(Ticket.created_at >= start, Ticket.created_at < end, *ours)
        .group_by(Ticket.category, Ticket.agency)
    )
    categories, agencies = Counter(), Counter()
    for category, agency, count in rows:
        categories[category_label(category)] += count
        agencies[settings.agency_name(agency)] += count
    return categories, agencies
