"""What a moderator needs beside a post: the posts it answers, and open tickets it may duplicate.

Both are looked up for a whole page of the queue at once (a few queries,
not a few per card). Possible duplicates are open tickets of the last
``DUPLICATE_WINDOW`` with the category the model suggests and, when the post
names one, the same kecamatan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from satukanal.lifecycle import CLOSED
from satukanal.models import Post, Ticket
from satukanal.tuban import find_kecamatan

THREAD_DEPTH = 3
DUPLICATE_WINDOW = timedelta(days=30)
DUPLICATES_SHOWN = 3
OPEN_TICKETS_SCANNED = 100
"""Per category: the newest open tickets compared with each post."""


@dataclass(frozen=True)
class SimilarTicket:
    number: str
    title: str


@dataclass
class Context:
    thread: list[Post] = field(default_factory=list)
    """The posts this one answers, nearest first."""
    duplicates: list[SimilarTicket] = field(default_factory=list)


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


def _duplicates(session: Session, posts: Sequence[Post], contexts: dict[int, Context], now: datetime) -> None:
    categories = {post.classification.category for post in posts if post.classification is not None} - {None}
    closed = [status.value for status in CLOSED]
    open_tickets = [
        row
        for category in sorted(categories)
        for row in session.execute(
            select(Ticket.number, Ticket.title, Ticket.category, Ticket.kecamatan)
            .where(
                Ticket.category == category,
                Ticket.created_at >= now - DUPLICATE_WINDOW,
                Ticket.status.not_in(closed),
            )
            .order_by(Ticket.created_at.desc())
            .limit(OPEN_TICKETS_SCANNED)
        )
    ]
    by_category: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    for number, title, category, kecamatan in open_tickets:
        by_category[category].append((number, title, kecamatan))
    for post in posts:
        category = post.classification.category if post.classification else None
        kecamatan = find_kecamatan(post.text)
        similar = (
            SimilarTicket(number, title)
            for number, title, ticket_kecamatan in by_category.get(category, ())
            if kecamatan is None or ticket_kecamatan == kecamatan
        )
        contexts[post.id].duplicates = list(islice(similar, DUPLICATES_SHOWN))
