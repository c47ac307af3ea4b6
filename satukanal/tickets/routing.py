"""Routing a ticket to another agency: the moderator's correction, or LAPOR!'s redisposition.

The new agency's liaisons are notified; the old agency's lose sight of the
ticket (a liaison sees their agency's tickets only), and its holder, when
they were one of them, lets go of it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from satukanal import audit
from satukanal.config.settings import Settings
from satukanal.models import utcnow
from satukanal.notifications.service import ticket_routed
from satukanal.tickets.service import TicketError, get_ticket, ticket_state


def route_ticket(
    session: Session, settings: Settings, number: str, agency: str, actor: str, now: datetime | None = None
) -> bool:
    """Route ticket ``number`` to ``agency``; whether it changed. Audited as ``ticket.route``."""
    if agency not in settings.agencies:
        raise TicketError(f"OPD {agency!r} tidak dikenal (pilihan: {', '.join(settings.agencies)})")
    ticket = get_ticket(session, number)
    if ticket.agency == agency:
        return False
    now = now or utcnow()
    before = ticket_state(ticket)
    ticket.agency = agency
    if ticket.owner is not None and ticket.owner.role == "agency":
        ticket.owner = None
    audit.record(session, actor, "ticket.route", ticket, before, ticket_state(ticket), now)
    ticket_routed(session, ticket, settings.agency_name(agency), now)
    return True
