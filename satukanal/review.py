"""Moderation: the queue of flagged posts, and confirming or rejecting them.

Confirming turns a post into a ticket ready for SP4N-LAPOR! (redacted body,
category, agency, kecamatan). A post belongs to at most one ticket: the
unique link in ``ticket_posts`` makes a second confirm, even a concurrent
one, return the existing ticket.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager

from publisher import redact
from satukanal import audit
from satukanal.config import Settings
from satukanal.db import contains
from satukanal.lifecycle import INITIAL, Status
from satukanal.models import (
    MAX_ROW_ID,
    Classification,
    Post,
    ReviewDecision,
    Ticket,
    TicketPost,
    TicketStatusChange,
    utcnow,
)
from satukanal.tickets import ticket_state
from satukanal.tuban import find_kecamatan

TITLE_LIMIT = 100


class ReviewError(ValueError):
    """A moderation action that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class ConfirmResult:
    ticket: Ticket
    created: bool


QUEUE_ORDERS = ("newest", "uncertain")


@dataclass(frozen=True)
class QueueFilters:
    """Narrowing the queue; every field is optional. ``kecamatan`` matches the name in the post text."""

    platform: str | None = None
    account: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    since: datetime | None = None
    until: datetime | None = None
    category: str | None = None
    agency: str | None = None
    kecamatan: str | None = None
    search: str | None = None

    def apply(self, statement):
        conditions = [
            Post.platform == self.platform if self.platform else None,
            Post.account == self.account.lstrip("@").lower() if self.account else None,
            Classification.score >= self.min_score if self.min_score is not None else None,
            Classification.score <= self.max_score if self.max_score is not None else None,
            Post.created_at >= self.since if self.since else None,
            Post.created_at < self.until if self.until else None,
            Classification.category == self.category if self.category else None,
            Classification.agency == self.agency if self.agency else None,
            Post.text.ilike(f"%{self.kecamatan}%") if self.kecamatan else None,
            or_(contains(Post.text, self.search), contains(Post.author, self.search)) if self.search else None,
        ]
        return statement.where(*(condition for condition in conditions if condition is not None))


def queue(
    session: Session,
    limit: int = 50,
    flagged: bool | None = True,
    order: str = "newest",
    filters: QueueFilters | None = None,
    offset: int = 0,
) -> list[Post]:
    """Posts waiting for a decision: flagged ones (``flagged=True``), the others, unscored included (``False``), or all.

    ``newest`` puts the latest posts first; ``uncertain`` puts first the posts
    whose score lies closest to the threshold, where a moderator's decision
    teaches the next model the most (unscored posts come last).
    """
    if order not in QUEUE_ORDERS:
        raise ReviewError(f"urutan antrean tidak dikenal: {order!r} (pilih {', '.join(QUEUE_ORDERS)})")
    statement = (
        select(Post)
        .outerjoin(Post.classification)
        .options(contains_eager(Post.classification))
        .where(Post.is_own.is_(False), Post.review_status == "pending")
        .limit(limit)
        .offset(offset)
    )
    if flagged:
        statement = statement.where(Classification.flagged.is_(True))
    elif flagged is not None:
        statement = statement.where(or_(Classification.flagged.is_(False), Classification.flagged.is_(None)))
    if filters is not None:
        statement = filters.apply(statement)
    if order == "uncertain":
        margin = func.abs(Classification.score - Classification.threshold)
        statement = statement.order_by(margin.is_(None), margin)
    return list(session.scalars(statement.order_by(Post.created_at.desc(), Post.id.desc())))


def confirm(
    session: Session,
    settings: Settings,
    post_id: int,
    actor: str,
    *,
    category: str | None = None,
    agency: str | None = None,
    kecamatan: str | None = None,
    title: str | None = None,
    anonymous: bool = True,
    confidential: bool = False,
    now: datetime | None = None,
) -> ConfirmResult:
    now = now or utcnow()
    post = _reviewable_post(session, post_id)
    existing = _ticket_of(session, post.id)
    if existing is not None:
        return ConfirmResult(existing, created=False)

    suggestion = post.classification
    category = category or (suggestion.category if suggestion else None)
    if category is not None and category not in settings.categories:
        raise ReviewError(f"kategori {category!r} tidak dikenal (pilihan: {', '.join(settings.categories)})")
    agency = agency or settings.agency_for_category(category)
    if agency is not None and agency not in settings.agencies:
        raise ReviewError(f"OPD {agency!r} tidak dikenal (pilihan: {', '.join(settings.agencies)})")

    body = redact(post.text)
    fields = dict(
        title=(redact(title) if title else _title_from(body))[:TITLE_LIMIT],
        body=body,
        category=category,
        agency=agency,
        kecamatan=kecamatan or find_kecamatan(post.text),
        is_anonymous=anonymous,
        is_confidential=confidential,
        status=INITIAL.value,
        created_at=now,
        status_changed_at=now,
    )
    for _ in range(5):
        ticket = Ticket(number=_next_number(session, now.astimezone(settings.timezone).year), **fields)
        try:
            with session.begin_nested():
                session.add(ticket)
                session.flush()
                session.add(TicketPost(ticket_id=ticket.id, post_id=post.id))
                session.flush()
        except IntegrityError:
            existing = _ticket_of(session, post.id)
            if existing is not None:
                return ConfirmResult(existing, created=False)
            continue
        break
    else:
        raise ReviewError("nomor tiket tidak dapat dibuat; coba lagi")

    session.add(TicketStatusChange(ticket_id=ticket.id, to_status=INITIAL.value, actor=actor, changed_at=now))
    decision = ReviewDecision(post_id=post.id, decision="confirm", actor=actor, decided_at=now, ticket_id=ticket.id)
    session.add(decision)
    before = {"review_status": post.review_status}
    post.review_status = "confirmed"
    audit.record(
        session, actor, "post.confirm", post, before, {"review_status": "confirmed", "ticket": ticket.number}, now
    )
    audit.record(session, actor, "ticket.create", ticket, None, ticket_state(ticket), now)
    return ConfirmResult(ticket, created=True)


def reject(session: Session, post_id: int, actor: str, reason: str, now: datetime | None = None) -> bool:
    """Reject a post with a reason; returns False when it was already rejected."""
    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        raise ReviewError("alasan wajib diisi untuk menolak unggahan")
    post = _reviewable_post(session, post_id)
    ticket = _ticket_of(session, post.id)
    if ticket is not None:
        raise ReviewError(f"unggahan {post_id} sudah menjadi tiket {ticket.number}; ubah status tiketnya")
    if post.review_status == "rejected":
        return False
    before = {"review_status": post.review_status}
    post.review_status = "rejected"
    session.add(ReviewDecision(post_id=post.id, decision="reject", reason=reason[:500], actor=actor, decided_at=now))
    audit.record(
        session, actor, "post.reject", post, before, {"review_status": "rejected", "reason": reason[:500]}, now
    )
    return True


def link_duplicate(session: Session, post_id: int, number: str, actor: str, now: datetime | None = None) -> Ticket:
    """Decide a post is a duplicate of ticket ``number``: it joins that ticket instead of opening one."""
    now = now or utcnow()
    post = _reviewable_post(session, post_id)
    existing = _ticket_of(session, post.id)
    if existing is not None:
        raise ReviewError(f"unggahan {post_id} sudah menjadi bagian tiket {existing.number}")
    ticket = session.scalar(select(Ticket).where(Ticket.number == number.strip().upper()))
    if ticket is None or ticket.status == Status.DIHAPUS.value:
        raise ReviewError(f"tiket {number.strip()!r} tidak ada")
    before = {"review_status": post.review_status}
    post.review_status = "confirmed"
    session.add(TicketPost(ticket_id=ticket.id, post_id=post.id))
    session.add(
        ReviewDecision(
            post_id=post.id,
            decision="duplicate",
            reason=f"duplikat {ticket.number}",
            actor=actor,
            decided_at=now,
            ticket_id=ticket.id,
        )
    )
    audit.record(
        session, actor, "post.duplicate", post, before, {"review_status": "confirmed", "ticket": ticket.number}, now
    )
    return ticket


def undo(session: Session, post_id: int, actor: str, now: datetime | None = None) -> str:
    """Put a decided post back in the queue; returns what was undone, in words for the moderator.

    A rejection is simply lifted; a post joined to a ticket with others (a
    duplicate) leaves it. A confirmation can be undone only while its ticket
    is untouched (still Belum Terverifikasi, no LAPOR! ID): the ticket goes to
    Dihapus with a note, keeping its number and history, and the post is
    released from it.
    """
    now = now or utcnow()
    post = _reviewable_post(session, post_id)
    if post.review_status == "pending":
        raise ReviewError(f"unggahan {post_id} belum diputuskan; tidak ada yang dibatalkan")
    before = {"review_status": post.review_status}
    undone = "penolakan"
    ticket = _ticket_of(session, post.id)
    if ticket is not None and len(ticket.posts) > 1:
        session.delete(next(link for link in ticket.posts if link.post_id == post.id))
        undone = f"penggabungan ke tiket {ticket.number}"
    elif ticket is not None:
        if ticket.status != INITIAL.value or ticket.lapor_id:
            raise ReviewError(f"tiket {ticket.number} sudah diproses; ubah statusnya, bukan dibatalkan")
        ticket_before = ticket_state(ticket)
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
        session.delete(ticket.posts[0])
        audit.record(session, actor, "ticket.status", ticket, ticket_before, ticket_state(ticket), now)
        undone = f"konfirmasi (tiket {ticket.number} dihapus)"
    post.review_status = "pending"
    session.add(ReviewDecision(post_id=post.id, decision="undo", actor=actor, decided_at=now))
    audit.record(session, actor, "post.undo", post, before, {"review_status": "pending"}, now)
    return undone


def _reviewable_post(session: Session, post_id: int) -> Post:
    post = session.get(Post, post_id) if 0 < post_id <= MAX_ROW_ID else None
    if post is None:
        raise ReviewError(f"unggahan {post_id} tidak ada")
    if post.is_own:
        raise ReviewError(f"unggahan {post_id} dari akun kita sendiri dan tidak dimoderasi")
    return post


def _ticket_of(session: Session, post_id: int) -> Ticket | None:
    return session.scalar(select(Ticket).join(TicketPost).where(TicketPost.post_id == post_id))


def _next_number(session: Session, year: int) -> str:
    prefix = f"TBN-{year}-"
    last = session.scalar(select(func.max(Ticket.number)).where(Ticket.number.like(f"{prefix}%")))
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


_NOISE = re.compile(r"(?:https?://\S+|[@#]\w+)")
# A sentence ends at . ! ? and a space, except after the abbreviations of addresses.
_SENTENCE_END = re.compile(r"(?<![Jj]l\.)(?<![Nn]o\.)(?<![Dd]s\.)(?<![Kk]ec\.)(?<![Gg]g\.)(?<![Dd]sn\.)(?<=[.!?])\s")


def _title_from(body: str) -> str:
    """The first sentence of the (already redacted) text, without mentions, tags and links."""
    text = " ".join(_NOISE.sub(" ", body).split())
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0] or "Aduan warga"
    if len(sentence) <= TITLE_LIMIT:
        return sentence
    return sentence[: TITLE_LIMIT - 1].rsplit(" ", 1)[0] + "…"
