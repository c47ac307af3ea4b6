"""What a moderator needs beside a post: the posts it answers, and open tickets it may duplicate.

Both are looked up for a whole page of the queue at once (two queries, not
two per card). Possible duplicates are open tickets of the last
``DUPLICATE_WINDOW`` with the category the model suggests and, when the post
names one, the same kecamatan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from satukanal.lifecycle import CLOSED
from satukanal.models import Post, Ticket
from satukanal.tuban import find_kecamatan

THREAD_DEPTH = 3
DUPLICATE_WINDOW = timedelta(days=30)
DUPLICATES_SHOWN = 3
OPEN_TICKETS_SCANNED = 2_000


@dataclass
class Context:
    thread: list[Post] = field(default_factory=list)
    """The posts this one answers, nearest first."""
    duplicates: list[Ticket] = field(default_factory=list)


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
    open_tickets = list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.status.not_in([status.value for status in CLOSED]), Ticket.created_at >= now - DUPLICATE_WINDOW
            )
            .order_by(Ticket.created_at.desc())
            .limit(OPEN_TICKETS_SCANNED)
        )
    )
    for post in posts:
        category = post.classification.category if post.classification else None
        if category is None:
            continue
        kecamatan = find_kecamatan(post.text)
        similar = [
            ticket
            for ticket in open_tickets
            if ticket.category == category and (kecamatan is None or ticket.kecamatan == kecamatan)
        ]
        contexts[post.id].duplicates = similar[:DUPLICATES_SHOWN]
