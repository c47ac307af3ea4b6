"""Tickets: listing them and moving them through the LAPOR! lifecycle."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from satukanal import audit
from satukanal.db import contains
from satukanal.lifecycle import RESOLVED, Status, check_transition
from satukanal.models import Ticket, TicketStatusChange, utcnow

_LAPOR_ID = re.compile(r"^#?(\d{4,12})$")


class TicketError(ValueError):
    """A ticket action that cannot be carried out; the message says why."""


def ticket_state(ticket: Ticket) -> dict:
    """The fields an audit entry records about a ticket."""
    return {
        "number": ticket.number,
        "status": ticket.status,
        "category": ticket.category,
        "agency": ticket.agency,
        "kecamatan": ticket.kecamatan,
        "lapor_id": ticket.lapor_id,
    }


def list_tickets(
    session: Session,
    status: Status | None = None,
    limit: int = 100,
    agency: str | None = None,
    search: str | None = None,
    offset: int = 0,
) -> list[Ticket]:
    """Tickets newest first; ``search`` matches the number, LAPOR! ID, title or body (any case)."""
    statement = select(Ticket).order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit).offset(offset)
    if status is not None:
        statement = statement.where(Ticket.status == status.value)
    if agency is not None:
        statement = statement.where(Ticket.agency == agency)
    if search and search.strip():
        columns = (Ticket.number, Ticket.lapor_id, Ticket.title, Ticket.body)
        statement = statement.where(or_(*(contains(column, search) for column in columns)))
    return list(session.scalars(statement))


def get_ticket(session: Session, number: str) -> Ticket:
    ticket = session.scalar(
        select(Ticket)
        .options(selectinload(Ticket.posts), selectinload(Ticket.history))
        .where(Ticket.number == number.strip().upper())
    )
    if ticket is None:
        raise TicketError(f"tiket {number} tidak ada")
    return ticket


def parse_lapor_id(text: str) -> str:
    """LAPOR! tracking IDs are plain numbers, often written ``#9165816``."""
    match = _LAPOR_ID.match(text.strip())
    if not match:
        raise TicketError(f"{text!r} bukan nomor pelacakan LAPOR! (angka seperti #9165816)")
    return match.group(1)


def set_status(
    session: Session,
    number: str,
    target: Status,
    actor: str,
    note: str | None = None,
    lapor_id: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    now = now or utcnow()
    ticket = get_ticket(session, number)
    try:
        check_transition(Status(ticket.status), target)
    except ValueError as exc:
        raise TicketError(f"{ticket.number}: {exc}") from None
    before = ticket_state(ticket)
    if lapor_id is not None:
        lapor_id = parse_lapor_id(lapor_id)
        other = session.scalar(select(Ticket.number).where(Ticket.lapor_id == lapor_id, Ticket.id != ticket.id))
        if other:
            raise TicketError(f"LAPOR! #{lapor_id} sudah dipakai tiket {other}")
        ticket.lapor_id = lapor_id
    session.add(
        TicketStatusChange(
            ticket_id=ticket.id,
            from_status=ticket.status,
            to_status=target.value,
            note=note,
            actor=actor,
            changed_at=now,
        )
    )
    ticket.status = target.value
    ticket.status_changed_at = now
    if target in RESOLVED:
        ticket.resolved_at = now
    audit.record(session, actor, "ticket.status", ticket, before, {**ticket_state(ticket), "note": note}, now)
    return ticket
