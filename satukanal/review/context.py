"""What a moderator needs beside a post: the posts it answers, and tickets it may duplicate.

Both are looked up for a whole page of the queue at once (a few queries,
not a few per card). Possible duplicates are tickets of the last
``DUPLICATE_WINDOW`` with the category the model suggests, about the same
place (the kecamatan or desa a text names, ``satukanal.tuban``). A ticket
about another place is no hint, nor is one when only one of the two names a
place: the category alone would link them, and a Senori road collapse is not
the road ticket of some other kecamatan. The same desa comes before the same
kecamatan, open tickets before closed ones, newer before older. A reply that
names no place is about the place of the posts it answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Select, and_, func, or_, select, tuple_
from sqlalchemy.orm import Session

from satukanal.models import Post, Ticket
from satukanal.tickets.lifecycle import CLOSED, Status
from satukanal.tuban import find_desa, find_kecamatan

THREAD_DEPTH = 3
DUPLICATE_WINDOW = timedelta(days=30)
DUPLICATES_SHOWN = 3
CANDIDATES = 50
"""How many recent tickets per category and place are weighed for a page's hints."""
PLACES_REMEMBERED = 8192
"""Texts whose place ``_place_named`` keeps: the open tickets' and the waiting posts' of many pages."""


@dataclass(frozen=True)
class Place:
    """Where a text says a problem is; either part may be unknown."""

    kecamatan: str | None
    desa: str | None

    @classmethod
    def of(cls, text: str, kecamatan: str | None = None) -> Place:
        """The place ``text`` names; ``kecamatan`` (a ticket's, when set) settles an ambiguous desa."""
        return cls(*_place_named(text, kecamatan))

    def closeness(self, other: Place) -> int | None:
        """2 for the same desa, 1 for the same kecamatan, 0 when neither is known; None when they differ or
        only one is known."""
        if self.kecamatan is None and other.kecamatan is None:
            return 0
        if other.kecamatan != self.kecamatan or (self.desa and other.desa and self.desa != other.desa):
            return None
        return 2 if self.desa and self.desa == other.desa else 1


@dataclass(frozen=True)
class SimilarTicket:
    number: str
    title: str
    status: Status
    created_at: datetime
    closeness: int
    """How near its place is to the post's (``Place.closeness``)."""

    @property
    def open(self) -> bool:
        return self.status not in CLOSED


@dataclass
class Context:
    thread: list[Post] = field(default_factory=list)
    """The posts this one answers, nearest first."""
    duplicates: list[SimilarTicket] = field(default_factory=list)


@lru_cache(maxsize=PLACES_REMEMBERED)
def _place_named(text: str, kecamatan: str | None) -> tuple[str | None, str | None]:
    """(kecamatan, desa) of ``Place.of``, remembered per text: every view of the queue reads the places of
    the same open tickets again, and matching Tuban's 328 desa names took most of a page's time (130 ms
    for the candidates of one page at a million posts)."""
    village = find_desa(text, kecamatan)
    kecamatan = kecamatan or find_kecamatan(text) or (village.kecamatan if village else None)
    same = village is not None and village.kecamatan in (None, kecamatan)
    return kecamatan, village.name if same else None


def queue_context(session: Session, posts: Sequence[Post], now: datetime) -> dict[int, Context]:
    contexts = {post.id: Context() for post in posts}
    _threads(session, posts, contexts)
    _duplicates(session, posts, contexts, now)
    return contexts


def _threads(session: Session, posts: Sequence[Post], contexts: dict[int, Context]) -> None:
    frontier = {post.id: post for post in posts if post.in_reply_to}
    for _ in range(THREAD_DEPTH):
        keys = {(post.platform, post.in_reply_to) for post in frontier.values()}
        if not keys:
            return
        parents = {
            (parent.platform, parent.platform_id): parent
            for parent in session.scalars(select(Post).where(tuple_(Post.platform, Post.platform_id).in_(keys)))
        }
        next_frontier = {}
        for origin, post in frontier.items():
            parent = parents.get((post.platform, post.in_reply_to))
            if parent is not None:
                contexts[origin].thread.append(parent)
                if parent.in_reply_to:
                    next_frontier[origin] = parent
        frontier = next_frontier


def _place(post: Post, context: Context) -> Place:
    """Where ``post`` says the problem is; a reply naming no place ("sudah 3 hari, min") is about the place
    the posts it answers name, nearest first."""
    for text in (post.text, *(parent.text for parent in context.thread)):
        place = Place.of(text)
        if place.kecamatan is not None:
            return place
    return Place(None, None)


_CANDIDATE_COLUMNS = (
    Ticket.category,
    Ticket.number,
    Ticket.title,
    Ticket.body,
    Ticket.kecamatan,
    Ticket.status,
    Ticket.created_at,
)


def _candidates(keys: Sequence[tuple[str, str | None]], since: datetime) -> Select:
    """The tickets the (category, kecamatan) ``keys`` may duplicate: created since ``since``, per pair its
    ``CANDIDATES`` newest, open ones first, and as many of each category's naming no kecamatan (a ticket's
    kecamatan may be unset while its text names a desa: ``Place.of`` reads it). One pass over the period's
    tickets, whatever the page asks about: a query per pair cost PostgreSQL 17 ms a page in planning them."""
    closed = [status.value for status in CLOSED]
    rank = func.row_number().over(
        partition_by=(Ticket.category, Ticket.kecamatan),
        order_by=(Ticket.status.in_(closed), Ticket.created_at.desc()),
    )
    ranked = (
        select(*_CANDIDATE_COLUMNS, rank.label("rank"))
        .where(
            Ticket.created_at >= since,
            Ticket.status != Status.DIHAPUS.value,
            or_(
                tuple_(Ticket.category, Ticket.kecamatan).in_([key for key in keys if key[1] is not None]),
                and_(Ticket.kecamatan.is_(None), Ticket.category.in_(sorted({category for category, _ in keys}))),
            ),
        )
        .subquery()
    )
    return select(*(ranked.c[column.key] for column in _CANDIDATE_COLUMNS)).where(ranked.c.rank <= CANDIDATES)


def _duplicates(session: Session, posts: Sequence[Post], contexts: dict[int, Context], now: datetime) -> None:
    """One query for the page: per (category, kecamatan) the posts ask about, its newest tickets, open ones
    first; then per post the ones about its place, nearest first (``Place.closeness``)."""
    wanted = {
        post.id: (post.classification.category, _place(post, contexts[post.id]))
        for post in posts
        if post.classification is not None and post.classification.category is not None
    }
    keys = sorted({(category, place.kecamatan) for category, place in wanted.values()}, key=str)
    if not keys:
        return
    tickets: dict[str, list[tuple]] = defaultdict(list)
    for category, number, title, body, kecamatan, status, created_at in session.execute(
        _candidates(keys, now - DUPLICATE_WINDOW)
    ):
        tickets[category].append((number, title, Place.of(body, kecamatan), Status(status), created_at))
    for post_id, (category, place) in wanted.items():
        similar = [
            SimilarTicket(number, title, status, created_at, closeness)
            for number, title, where, status, created_at in tickets[category]
            if (closeness := place.closeness(where)) is not None
        ]
        similar.sort(key=lambda ticket: ticket.created_at, reverse=True)
        similar.sort(key=lambda ticket: (-ticket.closeness, not ticket.open))
        contexts[post_id].duplicates = similar[:DUPLICATES_SHOWN]
