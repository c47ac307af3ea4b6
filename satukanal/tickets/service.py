"""Tickets: opening one for a confirmed post, listing them, and moving them through the LAPOR! lifecycle.

A ticket is numbered ``TBN-<year>-<6 digits>`` in the office's year and
holds the redacted text of the post it was opened for. A post belongs to at
most one ticket: the unique link in ``ticket_posts`` makes a second opening,
even a concurrent one, find the ticket that is already there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from publisher import redact
from satukanal import audit
from satukanal.config.settings import Settings
from satukanal.db import contains
from satukanal.models import Post, Ticket, TicketNote, TicketPost, TicketStatusChange, utcnow
from satukanal.notifications.service import ticket_routed
from satukanal.tickets.lifecycle import INITIAL, RESOLVED, Status, check_transition
from satukanal.tuban import find_desa, find_kecamatan

TITLE_LIMIT = 100
NUMBER_ATTEMPTS = 5
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


@dataclass(frozen=True)
class TicketChoices:
    """What the moderator chose for a new ticket; whatever is None gets its default (see ``open_ticket``)."""

    category: str | None = None
    agency: str | None = None
    kecamatan: str | None = None
    title: str | None = None
    anonymous: bool = True
    confidential: bool = False


def open_ticket(
    session: Session,
    settings: Settings,
    post: Post,
    actor: str,
    choices: TicketChoices | None = None,
    now: datetime | None = None,
) -> Ticket | None:
    """Open a ticket for ``post`` with its first status; None when another process linked the post first.

    The agency defaults to the category's; the kecamatan to the one the post
    names, or that of the desa it names; the title to what the redacted text is about (``titles.propose_title``).
    The agency's liaisons are notified, and the citizen's acknowledgement is drafted, in the same transaction.
    """
    # Imported here: its patterns take a while to compile, and most commands never open a ticket.
    from satukanal.replies.service import ACKNOWLEDGEMENT, draft_reply
    from satukanal.tickets.titles import propose_title

    now = now or utcnow()
    choices = choices or TicketChoices()
    category = choices.category
    if category is not None and category not in settings.categories:
        raise TicketError(f"kategori {category!r} tidak dikenal (pilihan: {', '.join(settings.categories)})")
    agency = choices.agency or settings.agency_for_category(category)
    if agency is not None and agency not in settings.agencies:
        raise TicketError(f"OPD {agency!r} tidak dikenal (pilihan: {', '.join(settings.agencies)})")
    body = redact(post.text)
    fields = dict(
        title=(
            redact(choices.title) if choices.title else propose_title(body, category, choices.kecamatan, TITLE_LIMIT)
        )[:TITLE_LIMIT],
        body=body,
        category=category,
        agency=agency,
        kecamatan=choices.kecamatan or find_kecamatan(post.text) or _kecamatan_of_desa(post.text),
        is_anonymous=choices.anonymous,
        is_confidential=choices.confidential,
        status=INITIAL.value,
        created_at=now,
        status_changed_at=now,
    )
    for _ in range(NUMBER_ATTEMPTS):
        ticket = Ticket(number=_next_number(session, now.astimezone(settings.timezone).year), **fields)
        try:
            with session.begin_nested():
                session.add(ticket)
                session.flush()
                session.add(TicketPost(ticket_id=ticket.id, post_id=post.id))
                session.flush()
        except IntegrityError:
            if ticket_of_post(session, post.id) is not None:
                return None
            continue
        break
    else:
        raise TicketError("nomor tiket tidak dapat dibuat; coba lagi")
    session.add(TicketStatusChange(ticket_id=ticket.id, to_status=INITIAL.value, actor=actor, changed_at=now))
    audit.record(session, actor, "ticket.create", ticket, None, ticket_state(ticket), now)
    ticket_routed(session, ticket, settings.agency_name(agency), now)
    draft_reply(session, settings, ticket, post, ACKNOWLEDGEMENT, actor, now)
    return ticket


def _kecamatan_of_desa(text: str) -> str | None:
    """The kecamatan of the desa or kelurahan ``text`` names, when the name belongs to one kecamatan only."""
    village = find_desa(text)
    return village.kecamatan if village is not None else None


def ticket_of_post(session: Session, post_id: int) -> Ticket | None:
    return session.scalar(select(Ticket).join(TicketPost).where(TicketPost.post_id == post_id))


def join_ticket(session: Session, number: str, post: Post) -> Ticket:
    """Link ``post`` to the existing ticket ``number`` (a duplicate report of the same problem)."""
    ticket = session.scalar(select(Ticket).where(Ticket.number == number.strip().upper()))
    if ticket is None or ticket.status == Status.DIHAPUS.value:
        raise TicketError(f"tiket {number.strip()!r} tidak ada")
    session.add(TicketPost(ticket_id=ticket.id, post_id=post.id))
    return ticket


def release_post(session: Session, ticket: Ticket, post_id: int, actor: str, now: datetime | None = None) -> str:
    """Take ``post_id`` off ``ticket``, as when its confirmation is undone; what happened, in words.

    A ticket shared with other posts keeps them; a ticket of this post alone
    goes to Dihapus (keeping its number and history), which only an
    untouched ticket may (still Belum Terverifikasi, no LAPOR! ID).
    """
    now = now or utcnow()
    link = next(link for link in ticket.posts if link.post_id == post_id)
    if len(ticket.posts) > 1:
        session.delete(link)
        return f"penggabungan ke tiket {ticket.number}"
    if ticket.status != INITIAL.value or ticket.lapor_id:
        raise TicketError(f"tiket {ticket.number} sudah diproses; ubah statusnya, bukan dibatalkan")
    before = ticket_state(ticket)
    session.add(
        TicketStatusChange(
            ticket_id=ticket.id,
            from_status=ticket.status,
            to_status=Status.DIHAPUS.value,
            note=f"konfirmasi dibatalkan oleh {actor}",
            actor=actor,
            changed_at=now,
        )
    )
    ticket.status, ticket.status_changed_at = Status.DIHAPUS.value, now
    session.delete(link)
    audit.record(session, actor, "ticket.status", ticket, before, ticket_state(ticket), now)
    return f"konfirmasi (tiket {ticket.number} dihapus)"


def list_tickets(
    session: Session,
    status: Status | None = None,
    limit: int = 100,
    agency: str | None = None,
    search: str | None = None,
    offset: int = 0,
    where: Sequence[ColumnElement[bool]] = (),
    order_by: Sequence[ColumnElement] = (),
) -> list[Ticket]:
    """Tickets newest first, or by ``order_by`` first (``listing.ordering``); ``search`` matches the number,
    LAPOR! ID, title or body (any case); ``where`` adds conditions (such as ``listing.running_late``)."""
    statement = select(Ticket).where(*ticket_conditions(status, agency, search), *where)
    statement = statement.order_by(*order_by, Ticket.created_at.desc(), Ticket.id.desc())
    return list(session.scalars(statement.limit(limit).offset(offset)))


def count_tickets(
    session: Session,
    status: Status | None = None,
    agency: str | None = None,
    search: str | None = None,
    where: Sequence[ColumnElement[bool]] = (),
) -> int:
    """How many tickets ``list_tickets`` finds with the same filters, all its pages together."""
    conditions = ticket_conditions(status, agency, search)
    return session.scalar(select(func.count()).select_from(Ticket).where(*conditions, *where))


def ticket_conditions(
    status: Status | None = None, agency: str | None = None, search: str | None = None
) -> list[ColumnElement[bool]]:
    """The ticket list's filters as conditions (for ``list_tickets``, ``count_tickets``, ``listing.by_deadline``)."""
    conditions = [Ticket.status == status.value] if status is not None else []
    if agency is not None:
        conditions.append(Ticket.agency == agency)
    if search and search.strip():
        columns = (Ticket.number, Ticket.lapor_id, Ticket.title, Ticket.body)
        conditions.append(or_(*(contains(column, search) for column in columns)))
    return conditions


def get_ticket(session: Session, number: str) -> Ticket:
    """Ticket ``number`` with its posts (each link with its post, in the same statement), history and notes."""
    ticket = session.scalar(
        select(Ticket)
        .options(
            selectinload(Ticket.posts).joinedload(TicketPost.post),
            selectinload(Ticket.history),
            selectinload(Ticket.notes),
        )
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


def add_note(session: Session, number: str, note: str, actor: str, now: datetime | None = None) -> TicketNote:
    """Add ``note`` to ticket ``number``'s history without changing anything else; audited as ``ticket.note``."""
    now = now or utcnow()
    text = note.strip()
    if not text:
        raise TicketError("catatan kosong; tuliskan isinya")
    ticket = get_ticket(session, number)
    added = TicketNote(ticket=ticket, note=text, actor=actor, noted_at=now)
    session.add(added)
    audit.record(session, actor, "ticket.note", ticket, None, {"number": ticket.number, "note": text}, now)
    return added


def _next_number(session: Session, year: int) -> str:
    prefix = f"TBN-{year}-"
    last = session.scalar(select(func.max(Ticket.number)).where(Ticket.number.like(f"{prefix}%")))
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:06d}"
