"""The ticket list's deadline and period filters and its orders, answered by the database rather than ticket by
ticket.

``ticket_clocks`` computes one ticket's clocks. A badge on every page, or a
list filtered to "lewat tenggat", would compute them for every open ticket
on every view; instead ``deadline_before`` turns "a running clock ends before
day D" into one condition on the ticket's columns, exactly:

* a clock's deadline only grows with the day it starts from (working days
  added to it, or calendar days for the Ombudsman's), so for each status
  "its clock ends before D" is "its clock started on or before the last start
  day whose deadline is before D", a comparison of ``created_at`` or
  ``status_changed_at`` with one moment;
* a clock is overdue when its deadline is before today, and due soon (or
  overdue) when it is before the working day after the due-soon margin.

``tests/test_tickets_counts.py`` checks the conditions against ``ticket_clocks``. They read a ticket's own
columns, or (``ClockColumns``) those of every ticket as it stood at the end of a period, which is how the
dashboard and the recaps count the tickets overdue then (``satukanal.dashboard.standing``).

The period filters (``in_days``) count days as the dashboard does
(``satukanal.dashboard.figures``): in the office time zone, both ends
included, a ticket created, or resolved, from 00:00 of the first day to
24:00 of the last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, or_, select, true
from sqlalchemy.orm import Session

from satukanal.config.sections import ClocksConfig
from satukanal.models import Ticket
from satukanal.tickets.clocks import DUE_SOON, OVERDUE, WorkingCalendar, ticket_clocks
from satukanal.tickets.lifecycle import CLOSED, Status

ORDERS = ("created", "number", "status", "agency", "deadline")
"""What the list can be ordered by; ``deadline`` is the earliest running clock's (``by_deadline``)."""
CLOSED_VALUES = sorted(status.value for status in CLOSED)
OPEN_VALUES = sorted(status.value for status in Status if status not in CLOSED)
PERIODS = {"dibuat": Ticket.created_at, "selesai": Ticket.resolved_at}
"""``dibuat_dari``/``dibuat_sampai``: created in those days; ``selesai_dari``/``selesai_sampai``: reached Selesai in
them (``resolved_at`` is set by the one status change to Selesai, which the lifecycle allows once)."""
PERIOD_KEYS = tuple(f"{name}_{end}" for name in PERIODS for end in ("dari", "sampai"))


@dataclass(frozen=True)
class ClockColumns:
    """The columns the deadline conditions compare: what ``ticket_clocks`` reads of a ticket."""

    status: ColumnElement[str]
    created_at: ColumnElement[datetime]
    status_changed_at: ColumnElement[datetime]


CURRENT = ClockColumns(Ticket.status, Ticket.created_at, Ticket.status_changed_at)
"""The ticket as it stands now: its own columns."""


@dataclass(frozen=True)
class ClockRules:
    """What the clocks are read with: the moment, the office's time zone, the LAPOR! limits and working days."""

    now: datetime
    zone: ZoneInfo
    rules: ClocksConfig
    calendar: WorkingCalendar

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()


def deadline_before(day: date, clocks: ClockRules, ticket: ClockColumns = CURRENT) -> ColumnElement[bool]:
    """Open tickets with a running clock whose deadline is before ``day`` (see ``ticket_clocks``)."""
    rules, calendar = clocks.rules, clocks.calendar

    def started_by(column, days: int) -> ColumnElement[bool]:
        start = day - timedelta(days=1)  # the deadline of a clock from here on is ``day`` or later
        while calendar.add(start, days) >= day:
            start -= timedelta(days=1)
        return column < _midnight(start + timedelta(days=1), clocks.zone)

    # Every branch names the open statuses, so that each reads an index on (status, ...) rather than every
    # ticket created before the Ombudsman's limit, most of them long closed.
    still_running = still_open(ticket.status)
    return and_(
        still_running,
        or_(
            and_(still_running, ticket.created_at < _midnight(day - timedelta(days=rules.ombudsman_days), clocks.zone)),
            and_(
                ticket.status == Status.BELUM_TERVERIFIKASI.value,
                started_by(ticket.created_at, rules.verification_days),
            ),
            and_(
                ticket.status == Status.TERVERIFIKASI.value, started_by(ticket.status_changed_at, rules.forwarding_days)
            ),
            and_(
                ticket.status == Status.TERDISPOSISI.value, started_by(ticket.status_changed_at, rules.follow_up_days)
            ),
        ),
    )


def period_conditions(args: Mapping[str, str], zone: ZoneInfo) -> list[ColumnElement[bool]]:
    """The ``PERIODS`` that ``args`` (a query string) asks for, as conditions; either end may be left out.

    ValueError, with a message naming the parameter, for a date that is not ``2026-11-16`` or a first day after
    the last.
    """
    conditions = []
    for name, column in PERIODS.items():
        first, last = (_requested_day(args, f"{name}_{end}", zone) for end in ("dari", "sampai"))
        if first and last and first > last:
            raise ValueError(f"{name}_dari ({first:%d-%m-%Y}) setelah {name}_sampai ({last:%d-%m-%Y}).")
        if first or last:
            conditions.append(in_days(column, first, last, zone))
    return conditions


def in_days(column, first: date | None, last: date | None, zone: ZoneInfo) -> ColumnElement[bool]:
    """``column`` (a moment) within the days ``first`` to ``last`` in ``zone``, both included; either may be None."""
    bounds = []
    if first is not None:
        bounds.append(column >= _midnight(first, zone))
    if last is not None:
        bounds.append(column < _midnight(last + timedelta(days=1), zone))
    return and_(true(), *bounds)


def running_late(state: str, clocks: ClockRules, ticket: ClockColumns = CURRENT) -> ColumnElement[bool]:
    """Tickets with a clock ``lewat`` (``OVERDUE``), or ``segera`` (``DUE_SOON``) or worse, at ``clocks.now``."""
    if state == OVERDUE:
        return deadline_before(clocks.today, clocks, ticket)
    if state == DUE_SOON:
        return deadline_before(clocks.calendar.add(clocks.today, clocks.rules.due_soon_days + 1), clocks, ticket)
    raise ValueError(f"unknown clock state {state!r}")


def held_by(user_id: int) -> ColumnElement[bool]:
    """The open tickets ``user_id`` holds: the "Milik saya" list and its badge."""
    return and_(Ticket.owner_id == user_id, still_open())


def still_open(status: ColumnElement[str] = Ticket.status) -> ColumnElement[bool]:
    """The tickets not closed (neither Selesai nor set aside), by ``status`` (a ticket's own, or as it stood):
    the open statuses named, which an index on (status, ...) finds, rather than the closed ones left out."""
    return status.in_(OPEN_VALUES)


def ordering(order: str, descending: bool, agency_order: Sequence[str] = ()) -> list[ColumnElement]:
    """The ORDER BY for ``order`` (any but ``deadline``): statuses in the lifecycle's order; agencies in
    ``agency_order`` (their names' order), the unassigned and unknown ones last whichever the direction."""

    def direction(key):
        return key.desc() if descending else key.asc()

    if order == "number":
        return [direction(Ticket.number)]
    if order == "created":
        return [direction(Ticket.created_at), direction(Ticket.id)]
    if order == "status":
        return [direction(case({status.value: rank for rank, status in enumerate(Status)}, value=Ticket.status))]
    if order == "agency" and agency_order:
        unknown = case({key: 0 for key in agency_order}, value=Ticket.agency, else_=1)
        return [
            unknown.asc(),
            direction(case({key: rank for rank, key in enumerate(agency_order)}, value=Ticket.agency)),
        ]
    if order == "agency":
        return [Ticket.agency.is_(None).asc(), direction(Ticket.agency)]
    raise ValueError(f"unknown ticket order {order!r} (choose {', '.join(ORDERS)})")


def by_deadline(
    session: Session,
    conditions: Sequence[ColumnElement[bool]],
    clocks: ClockRules,
    limit: int,
    offset: int,
    descending: bool,
) -> list[Ticket]:
    """Tickets matching ``conditions``: the open ones by their earliest running deadline, then the closed ones
    (no clock runs), newest first in each group. The clocks are computed in Python over the open tickets' few
    columns; only the page's tickets are loaded whole."""
    open_rows = session.execute(
        select(Ticket.id, Ticket.status, Ticket.created_at, Ticket.status_changed_at).where(still_open(), *conditions)
    ).all()
    sign = -1 if descending else 1

    def key(row) -> tuple:
        deadline = min(
            clock.deadline for clock in ticket_clocks(row, clocks.now, clocks.zone, clocks.rules, clocks.calendar)
        )
        return sign * deadline.toordinal(), -row.created_at.timestamp(), -row.id

    chosen = [row.id for row in sorted(open_rows, key=key)[offset : offset + limit]]
    loaded = (
        {ticket.id: ticket for ticket in session.scalars(select(Ticket).where(Ticket.id.in_(chosen)))} if chosen else {}
    )
    found = [loaded[ticket_id] for ticket_id in chosen]
    if len(found) < limit:
        closed = (
            select(Ticket)
            .where(Ticket.status.in_(CLOSED_VALUES), *conditions)
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .offset(max(0, offset - len(open_rows)))
            .limit(limit - len(found))
        )
        found += session.scalars(closed)
    return found


def _requested_day(args: Mapping[str, str], key: str, zone: ZoneInfo) -> date | None:
    """The day ``args[key]`` names. The first and last days of the calendar are refused like a malformed date:
    their midnights in UTC, as the database keeps them, fall outside it."""
    text = args.get(key, "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not date.min < day < date.max:
        raise ValueError(f"{key}={text[:40]} tidak sah: tulis tahun-bulan-tanggal, misalnya 2026-11-16.")
    return day


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)
