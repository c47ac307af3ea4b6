"""Moderation: the queue of flagged posts, and confirming or rejecting them.

Confirming a post has the tickets feature open a ticket for it, ready for
SP4N-LAPOR! (``satukanal.tickets.service.open_ticket``: redacted body, category,
agency, kecamatan); a second confirm, even a concurrent one, returns the
ticket that is already there. Moderation records the decision.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Select, false, func, or_, select, true
from sqlalchemy.orm import Session, contains_eager

from satukanal import audit
from satukanal.config.settings import Settings
from satukanal.db import contains
from satukanal.models import (
    MAX_ROW_ID,
    Classification,
    Post,
    ReviewDecision,
    Ticket,
    utcnow,
)
from satukanal.tickets.service import TicketChoices, TicketError, join_ticket, open_ticket, release_post, ticket_of_post


class ReviewError(ValueError):
    """A moderation action that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class ConfirmResult:
    ticket: Ticket
    created: bool


QUEUE_ORDERS = ("newest", "uncertain")
DECISION_KINDS = ("confirm", "reject")
"""The decisions ``QueueFilters.decision`` can list the posts of."""


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
    held_by: int | None = None
    """Only the posts this user holds ("Milik saya")."""
    unheld: bool = False
    """Only the posts nobody holds."""
    decision: str | None = None
    """None: only the posts waiting for a decision, the queue itself. ``any``: every post, decided or not.
    ``confirm`` or ``reject``: the posts a moderator confirmed, or rejected, from ``decided_since`` until
    ``decided_until``, decided now or not (the dashboard counts decisions so, an undone one too)."""
    decided_since: datetime | None = None
    decided_until: datetime | None = None

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
            Post.owner_id == self.held_by if self.held_by is not None else None,
            Post.owner_id.is_(None) if self.unheld else None,
            self._decided() if self.decision in DECISION_KINDS else None,
        ]
        return statement.where(*(condition for condition in conditions if condition is not None))

    def _decided(self):
        """The posts with a ``decision`` made from ``decided_since`` until ``decided_until``."""
        made = select(ReviewDecision.post_id).where(ReviewDecision.decision == self.decision)
        if self.decided_since:
            made = made.where(ReviewDecision.decided_at >= self.decided_since)
        if self.decided_until:
            made = made.where(ReviewDecision.decided_at < self.decided_until)
        return Post.id.in_(made)


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
        _waiting(
            select(Post).outerjoin(Post.classification).options(contains_eager(Post.classification)), flagged, filters
        )
        .limit(limit)
        .offset(offset)
    )
    if order == "uncertain":
        margin = func.abs(Classification.score - Classification.threshold)
        statement = statement.order_by(margin.is_(None), margin)
    return list(session.scalars(statement.order_by(Post.created_at.desc(), Post.id.desc())))


def queue_count(session: Session, flagged: bool | None = True, filters: QueueFilters | None = None) -> int:
    """How many posts ``queue`` lists with the same ``flagged`` and ``filters``, all its pages together."""
    counted = select(func.count()).select_from(Post)
    if filters is not None:  # the moderator's filters may read the classification; the flag is on the post
        counted = counted.outerjoin(Post.classification)
    return session.scalar(_waiting(counted, flagged, filters))


def _waiting(statement: Select, flagged: bool | None, filters: QueueFilters | None) -> Select:
    """``statement`` (over posts joined to their classification) narrowed to what the queue lists: our own
    posts never, decided ones only when ``filters.decision`` asks; flagged, the others, or all; and the
    moderator's filters."""
    # "= false" and "= true", not "IS": PostgreSQL matches only the former to its statistics of these columns
    # together (migration 0009), and otherwise expects a fifth of all posts and reads them all.
    statement = statement.where(Post.is_own == false())
    if filters is None or filters.decision is None:
        statement = statement.where(Post.review_status == "pending")
    if flagged:
        statement = statement.where(Post.flagged == true())
    elif flagged is not None:
        statement = statement.where(or_(Post.flagged == false(), Post.flagged.is_(None)))
    return filters.apply(statement) if filters is not None else statement


def waiting_count(session: Session) -> int:
    """The posts waiting for a moderator: flagged and not yet decided, the queue's default view."""
    return queue_count(session)


def confirm(
    session: Session,
    settings: Settings,
    post_id: int,
    actor: str,
    choices: TicketChoices | None = None,
    now: datetime | None = None,
) -> ConfirmResult:
    """Confirm a flagged post as a complaint: it opens a ticket with ``choices`` (the category defaults to the
    model's suggestion), or returns the ticket it already belongs to."""
    now = now or utcnow()
    post = _reviewable_post(session, post_id)
    existing = ticket_of_post(session, post.id)
    if existing is not None:
        return ConfirmResult(existing, created=False)

    suggestion = post.classification
    try:
        choices = choices or TicketChoices()
        if choices.category is None and suggestion is not None:
            choices = replace(choices, category=suggestion.category)
        ticket = open_ticket(session, settings, post, actor, choices, now)
    except TicketError as exc:
        raise ReviewError(str(exc)) from None
    if ticket is None:
        return ConfirmResult(ticket_of_post(session, post.id), created=False)
    decision = ReviewDecision(post_id=post.id, decision="confirm", actor=actor, decided_at=now, ticket_id=ticket.id)
    session.add(decision)
    before = {"review_status": post.review_status}
    post.review_status = "confirmed"
    audit.record(
        session, actor, "post.confirm", post, before, {"review_status": "confirmed", "ticket": ticket.number}, now
    )
    return ConfirmResult(ticket, created=True)


def reject(session: Session, post_id: int, actor: str, reason: str, now: datetime | None = None) -> bool:
    """Reject a post with a reason; returns False when it was already rejected."""
    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        raise ReviewError("alasan wajib diisi untuk menolak unggahan")
    post = _reviewable_post(session, post_id)
    ticket = ticket_of_post(session, post.id)
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
    existing = ticket_of_post(session, post.id)
    if existing is not None:
        raise ReviewError(f"unggahan {post_id} sudah menjadi bagian tiket {existing.number}")
    try:
        ticket = join_ticket(session, number, post)
    except TicketError as exc:
        raise ReviewError(str(exc)) from None
    before = {"review_status": post.review_status}
    post.review_status = "confirmed"
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
    ticket = ticket_of_post(session, post.id)
    if ticket is not None:
        try:
            undone = release_post(session, ticket, post.id, actor, now)
        except TicketError as exc:
            raise ReviewError(str(exc)) from None
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
