"""Who is told what: the events that notify people, and each person's notifications in the app.

Events notify in the caller's transaction (a ticket routed or given to
someone) or from the periodic check (``check_deadlines``,
``check_drafts``), which may run any number of times: each event has a
``key`` unique per user, so a person hears of it once, and a deadline
reminder carries the office's date in its key, so it comes once per ticket
per day. Delivery outside the app is ``satukanal.notifications.delivery``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from satukanal.models import Publication, Ticket, User, utcnow
from satukanal.notifications.models import Notification
from satukanal.tickets.clocks import ticket_clocks
from satukanal.tickets.listing import ClockRules, deadline_before

ROUTED, ASSIGNED, DUE_TOMORROW, OVERDUE, DRAFT_WAITING = (
    "ticket_routed",
    "ticket_assigned",
    "due_tomorrow",
    "overdue",
    "draft_waiting",
)
KIND_LABELS = {
    ROUTED: "Tiket baru untuk OPD",
    ASSIGNED: "Tiket diserahkan",
    DUE_TOMORROW: "Tenggat besok",
    OVERDUE: "Lewat tenggat",
    DRAFT_WAITING: "Draf menunggu persetujuan",
}
TEXT_LIMIT = 500


def notify(
    session: Session,
    users: Iterable[User],
    kind: str,
    key: str,
    text: str,
    *,
    link: str | None = None,
    ticket_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Notify each active user in ``users`` of the event ``key`` unless they already were; how many were."""
    now = now or utcnow()
    added = 0
    for user in {user.id: user for user in users if user.is_active}.values():
        if session.scalar(select(Notification.id).where(Notification.user_id == user.id, Notification.key == key)):
            continue
        row = Notification(
            user_id=user.id, kind=kind, key=key, text=text[:TEXT_LIMIT], link=link, ticket_id=ticket_id, created_at=now
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # a concurrent check notified them first
            continue
        added += 1
    return added


def liaisons(session: Session, agency: str | None) -> list[User]:
    """The active agency liaisons of ``agency``."""
    if agency is None:
        return []
    return list(session.scalars(select(User).where(User.role == "agency", User.agency == agency, User.is_active)))


def _ticket_link(ticket: Ticket) -> str:
    return f"/tiket/{ticket.number}"


def _about(ticket: Ticket) -> str:
    return f"{ticket.number} «{ticket.title}»"


def ticket_routed(session: Session, ticket: Ticket, agency_name: str, now: datetime | None = None) -> int:
    """Tell ``ticket``'s agency liaisons that it is theirs now."""
    return notify(
        session,
        liaisons(session, ticket.agency),
        ROUTED,
        f"routed:{ticket.id}:{ticket.agency}",
        f"Tiket {_about(ticket)} diteruskan ke {agency_name}.",
        link=_ticket_link(ticket),
        ticket_id=ticket.id,
        now=now,
    )


def ticket_assigned(session: Session, ticket: Ticket, owner: User, actor: str, now: datetime | None = None) -> int:
    """Tell ``owner`` that ``actor`` gave them ``ticket`` (nobody is told of what they took themselves)."""
    if owner.username == actor:
        return 0
    now = now or utcnow()
    return notify(
        session,
        [owner],
        ASSIGNED,
        f"assigned:{ticket.id}:{owner.id}:{now.isoformat()}",
        f"{actor} menyerahkan tiket {_about(ticket)} kepada Anda.",
        link=_ticket_link(ticket),
        ticket_id=ticket.id,
        now=now,
    )


def check_deadlines(session: Session, clocks: ClockRules) -> int:
    """Remind the liaisons and the owner of every open ticket whose deadline is tomorrow or has passed.

    Candidates come from the database (``deadline_before`` the day after
    tomorrow), then each one's clocks say which reminder applies. The key
    holds the office's date: once per ticket per day, however often this runs.
    """
    today = clocks.today
    tomorrow = today + timedelta(days=1)
    candidates = session.scalars(select(Ticket).where(deadline_before(tomorrow + timedelta(days=1), clocks)))
    added = 0
    for ticket in candidates:
        running = ticket_clocks(ticket, clocks.now, clocks.zone, clocks.rules, clocks.calendar)
        late = [clock for clock in running if clock.deadline < today]
        due = [clock for clock in running if clock.deadline == tomorrow]
        if late:
            kind, text = OVERDUE, f"lewat tenggat {late[0].name} ({_date(late[0].deadline)})"
        elif due:
            kind, text = DUE_TOMORROW, f"tenggat {due[0].name} besok ({_date(due[0].deadline)})"
        else:
            continue
        people = liaisons(session, ticket.agency)
        if ticket.owner is not None:
            people.append(ticket.owner)
        added += notify(
            session,
            people,
            kind,
            f"{kind}:{ticket.id}:{today.isoformat()}",
            f"Tiket {_about(ticket)}: {text}.",
            link=_ticket_link(ticket),
            ticket_id=ticket.id,
            now=clocks.now,
        )
    return added


def check_drafts(session: Session, now: datetime | None = None) -> int:
    """Tell the admins of every recap draft that waits for their approval (once per draft)."""
    admins = list(session.scalars(select(User).where(User.role == "admin", User.is_active)))
    added = 0
    recaps = Publication.kind.in_(("weekly", "monthly"))  # a reply waits on its ticket's page, for a moderator
    for draft in session.scalars(select(Publication).where(Publication.status == "draft", recaps)):
        added += notify(
            session,
            admins,
            DRAFT_WAITING,
            f"draft:{draft.id}",
            f"Draf publikasi {draft.kind} {draft.period} untuk {draft.channel} menunggu persetujuan.",
            link=f"/publikasi/{draft.id}",
            now=now,
        )
    return added


def _date(day) -> str:
    return day.strftime("%d-%m-%Y")


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def recent(
    session: Session, user_id: int, limit: int, offset: int = 0, unread_only: bool = False
) -> list[Notification]:
    """The user's notifications, newest first."""
    statement = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    statement = statement.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(statement))


def mark_read(
    session: Session,
    user_id: int,
    ids: Iterable[int] | None = None,
    *,
    ticket_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Mark the user's notifications read: those in ``ids``, those about ``ticket_id`` (opening its page), or
    all of them; how many were unread."""
    statement = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        statement = statement.where(Notification.id.in_(list(ids)))
    if ticket_id is not None:
        statement = statement.where(Notification.ticket_id == ticket_id)
    return session.execute(statement.values(read_at=now or utcnow())).rowcount
