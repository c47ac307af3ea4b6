"""The team's dashboard figures for a chosen period (dates inclusive, office time zone)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from satukanal.clocks import WorkingCalendar, ticket_clocks
from satukanal.config import Settings
from satukanal.lifecycle import CLOSED, Status
from satukanal.models import Classification, Post, ReviewDecision, Ticket
from satukanal.tuban import category_label


@dataclass(frozen=True)
class Dashboard:
    since: date
    until: date
    posts_per_day: list[tuple[date, int]]
    by_platform: list[tuple[str, int]]
    posts: int
    flagged: int
    confirmed: int
    rejected: int
    by_status: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_agency: list[tuple[str, int]]
    median_hours_to_confirm: float | None
    median_days_to_resolve: float | None
    overdue: int


def dashboard(
    session: Session, settings: Settings, since: date, until: date, now: datetime, calendar: WorkingCalendar
) -> Dashboard:
    zone = settings.timezone
    start = datetime.combine(since, time(), zone)
    end = datetime.combine(until + timedelta(days=1), time(), zone)
    received = (Post.is_own.is_(False), Post.created_at >= start, Post.created_at < end)
    posts = session.execute(select(Post.created_at, Post.platform).where(*received)).all()
    per_day = Counter(created.astimezone(zone).date() for created, _ in posts)
    flagged = session.scalar(
        select(func.count()).select_from(Post).join(Post.classification).where(*received, Classification.flagged)
    )
    decisions = Counter(
        session.scalars(
            select(ReviewDecision.decision).where(ReviewDecision.decided_at >= start, ReviewDecision.decided_at < end)
        )
    )
    opened = list(session.scalars(select(Ticket).where(Ticket.created_at >= start, Ticket.created_at < end)))
    confirm_hours = [
        (decided - created).total_seconds() / 3600
        for decided, created in session.execute(
            select(ReviewDecision.decided_at, Post.created_at)
            .join(Post, Post.id == ReviewDecision.post_id)
            .where(
                ReviewDecision.decision == "confirm",
                ReviewDecision.decided_at >= start,
                ReviewDecision.decided_at < end,
            )
        )
    ]
    resolved_days = [
        (resolved - created).total_seconds() / 86400
        for resolved, created in session.execute(
            select(Ticket.resolved_at, Ticket.created_at).where(Ticket.resolved_at >= start, Ticket.resolved_at < end)
        )
    ]
    open_tickets = session.scalars(select(Ticket).where(Ticket.status.not_in([status.value for status in CLOSED])))
    overdue = sum(
        any(clock.overdue for clock in ticket_clocks(ticket, now, zone, settings.clocks, calendar))
        for ticket in open_tickets
    )
    statuses = Counter(Status(ticket.status) for ticket in opened)
    return Dashboard(
        since=since,
        until=until,
        posts_per_day=[
            (since + timedelta(days=n), per_day[since + timedelta(days=n)]) for n in range((until - since).days + 1)
        ],
        by_platform=Counter(platform for _, platform in posts).most_common(),
        posts=len(posts),
        flagged=flagged or 0,
        confirmed=decisions["confirm"],
        rejected=decisions["reject"],
        by_status=[(status.label, statuses[status]) for status in Status if statuses[status]],
        by_category=Counter(category_label(ticket.category) for ticket in opened).most_common(),
        by_agency=Counter(settings.agency_name(ticket.agency) for ticket in opened).most_common(),
        median_hours_to_confirm=round(median(confirm_hours), 1) if confirm_hours else None,
        median_days_to_resolve=round(median(resolved_days), 1) if resolved_days else None,
        overdue=overdue,
    )
