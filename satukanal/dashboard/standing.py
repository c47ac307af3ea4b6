"""Every ticket as it stood at a moment, counted by the database: how many in each status, how many overdue.

A ticket's status at a moment is the one its latest status change before that moment (in the order recorded)
gave it, and its step's clock runs from that change; a ticket without a change before it is Belum
Terverifikasi since its creation. A ticket's own ``status`` and ``status_changed_at`` are those of its latest
change, so a ticket not changed since the moment is read from them; for the others ``tickets_at`` finds that
change with subqueries that read the ticket's changes newest first (``ix_ticket_status_changes_ticket_id``)
and stop at the first before the moment (a join to the changes found had PostgreSQL hash all of them).
Nothing of it comes into Python but one row per status.

The tickets overdue are those with a LAPOR! clock past its deadline at that moment, by the ticket list's own
conditions (``listing.running_late``) on the columns as they stood; a ticket closed by then runs no clock.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import Subquery, case, func, select, union_all
from sqlalchemy.orm import Session

from satukanal.models import Ticket, TicketStatusChange
from satukanal.tickets.clocks import OVERDUE
from satukanal.tickets.lifecycle import INITIAL, Status
from satukanal.tickets.listing import ClockColumns, ClockRules, running_late


def tickets_at(moment: datetime, agency: str | None = None) -> Subquery:
    """Every ticket created before ``moment`` (of ``agency`` if given) as it stood then: its ``id``,
    ``status``, ``status_changed_at`` and ``created_at``.

    A ticket whose status has not changed since ``moment`` stood then as it stands now: its own columns say
    so, and only the tickets changed since are looked up in their history. For the end of a recent period
    those are few, and for now there are none."""
    ours = [Ticket.agency == agency] if agency is not None else []
    unchanged = select(Ticket.id, Ticket.status, Ticket.status_changed_at, Ticket.created_at).where(
        Ticket.created_at < moment, Ticket.status_changed_at < moment, *ours
    )

    def then(column):
        """``column`` of the ticket's latest change before ``moment``: one index lookup per ticket."""
        return (
            select(column)
            .where(TicketStatusChange.ticket_id == Ticket.id, TicketStatusChange.changed_at < moment)
            .order_by(TicketStatusChange.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    looked_up = select(
        Ticket.id,
        func.coalesce(then(TicketStatusChange.to_status), INITIAL.value).label("status"),
        func.coalesce(then(TicketStatusChange.changed_at), Ticket.created_at).label("status_changed_at"),
        Ticket.created_at,
    ).where(Ticket.created_at < moment, Ticket.status_changed_at >= moment, *ours)
    return union_all(unchanged, looked_up).subquery("standing")


def standing(session: Session, clocks: ClockRules, agency: str | None = None) -> tuple[Counter[Status], int]:
    """The tickets (of ``agency`` if given) at ``clocks.now``: how many in each status, and how many overdue."""
    then = tickets_at(clocks.now, agency)
    overdue = running_late(OVERDUE, clocks, ClockColumns(then.c.status, then.c.created_at, then.c.status_changed_at))
    rows = session.execute(
        select(then.c.status, func.count(), func.count(case((overdue, 1)))).group_by(then.c.status)
    ).all()
    return Counter({Status(status): count for status, count, _ in rows}), sum(late for _, _, late in rows)
