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

from sqlalchemy import literal, select, true, tuple_, union_all
from sqlalchemy.orm import Session

from satukanal.models import Post, Ticket
from satukanal.tickets.lifecycle import CLOSED
from satukanal.tuban import find_kecamatan

THREAD_DEPTH = 3
DUPLICATE_WINDOW = timedelta(days=30)
DUPLICATES_SHOWN = 3


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
    """One query for the page: per (category, kecamatan) the posts ask about, its newest open tickets."""
    wanted = {
        post.id: (post.classification.category, find_kecamatan(post.text))
        for post in posts
        if post.classification is not None and post.classification.category is not None
    }
    keys = sorted(set(wanted.values()), key=str)
    if not keys:
        return
    closed = [status.value for status in CLOSED]
    newest_open = [
        select(literal(index).label("key"), Ticket.number, Ticket.title)
        .where(
            Ticket.category == category,
            Ticket.kecamatan == kecamatan if kecamatan is not None else true(),
            Ticket.created_at >= now - DUPLICATE_WINDOW,
            Ticket.status.not_in(closed),
        )
        .order_by(Ticket.created_at.desc())
        .limit(DUPLICATES_SHOWN)
        .subquery()
        for index, (category, kecamatan) in enumerate(keys)
    ]
    found: dict[int, list[SimilarTicket]] = defaultdict(list)
    for index, number, title in session.execute(union_all(*(select(subquery) for subquery in newest_open))):
        found[index].append(SimilarTicket(number, title))
    position = {key: index for index, key in enumerate(keys)}
    for post_id, key in wanted.items():
        contexts[post_id].duplicates = found[position[key]]
