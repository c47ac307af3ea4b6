"""The cursor of a newest-first feed, written after every page so an interrupted run resumes.

X and Instagram list the newest items first and page towards older ones. A
cursor that jumped to the newest id after the first page would lose every
older page if the run died half-way; one written only at the end would make a
crashed run start from the top. So while a run pages through, the cursor keeps
three things: ``since`` (everything up to this id is stored), ``resume``
(the token of the next page) and ``newest`` (the newest id this run has
stored). The run that reaches the last page moves ``since`` to ``newest``.
A restarted run continues from ``resume`` with the same ``since``.

``feed_pages`` runs such a feed for a source: an ``Item`` is a record with its place in the feed, a ``Batch``
what one answer brought, ``Newer`` which items the feed still has to collect.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime

from monitor.records import PostRecord
from monitor.sources import Page

MAX_CURSOR_CHARS = 255  # the length of cursors.value


@dataclass(frozen=True)
class FeedCursor:
    since: str | None = None
    resume: str | None = None
    newest: str | None = None

    @classmethod
    def loads(cls, value: str | None) -> FeedCursor:
        """A stored cursor; a bare id (or an unreadable value) counts as ``since`` alone."""
        if not value:
            return cls()
        try:
            data = json.loads(value)
        except ValueError:
            data = value
        if isinstance(data, dict):
            resume = data.get("resume")
            return cls(
                since=_id(data.get("since")),
                resume=resume if isinstance(resume, str) and resume else None,
                newest=_id(data.get("newest")),
            )
        return cls(since=_id(data))

    def dumps(self) -> str:
        return json.dumps({key: value for key, value in asdict(self).items() if value is not None}, sort_keys=True)

    def after_page(self, ids: list[str], next_token: str | None) -> FeedCursor:
        """The cursor once a page with item ``ids`` is stored; ``next_token`` None means it was the last page."""
        newest = newest_id([self.newest, *ids])
        if next_token:
            return replace(self, resume=next_token, newest=newest)
        return FeedCursor(since=newest_id([self.since, newest]))

    def storable(self) -> str:
        """The cursor as stored. A page token too long for the column is kept for this run only: should the run
        die, the next one reads the feed again from the top, which loses nothing."""
        value = self.dumps()
        return value if len(value) <= MAX_CURSOR_CHARS else self.restarted().dumps()

    def restarted(self) -> FeedCursor:
        """The cursor without its resume point, when the platform no longer accepts the token."""
        return replace(self, resume=None)


def newest_id(ids: list[str | None]) -> str | None:
    """The largest numeric id (X and Instagram ids grow with time), or None."""
    numeric = [int(value) for value in ids if value and str(value).isdigit()]
    return str(max(numeric)) if numeric else None


def _id(value: object) -> str | None:
    return str(value) if isinstance(value, (str, int)) and str(value).isdigit() else None


@dataclass(frozen=True)
class Newer:
    """Which items a feed has still to collect: those after a backfill's ``start``, else after the cursor's
    ``position``; with neither (a feed's very first run) every item."""

    start: datetime | None = None
    position: int | None = None

    def __call__(self, position: int, when: datetime) -> bool:
        if self.start is not None:
            return when > self.start
        return self.position is None or position > self.position

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.position is not None


@dataclass(frozen=True)
class Item:
    """A record and where it stands in its feed: its pk or, for a direct message, its timestamp in microseconds."""

    record: PostRecord
    position: int
    when: datetime


@dataclass(frozen=True)
class Batch:
    """What one answer brought: the items not collected before, the next page's token, what could not be read."""

    items: list[Item]
    next_token: str | None
    errors: list[str] = field(default_factory=list)
    reached_old: bool = False
    """The answer reached items collected before (or older than a backfill's start): no need to page further."""

    @classmethod
    def of(cls, items: list[Item], newer: Newer, next_token: str | None, errors: list[str]) -> Batch:
        new = [item for item in items if newer(item.position, item.when)]
        return cls(new, next_token, errors, reached_old=len(new) < len(items))


def feed_pages(
    key: str,
    fetch: Callable[[str | None, Newer], Batch],
    cursors: Mapping[str, str],
    since: datetime | None,
    max_pages: int | None,
) -> Generator[Page, None, bool]:
    """Page through the newest-first feed ``key``, a ``Page`` per answer of ``fetch(page token, newer)``;
    returns whether it reached the end. ``since`` makes it a backfill from that time; ``max_pages`` bounds one
    run, and the next continues from the stored cursor."""
    cursor = FeedCursor.loads(cursors.get(key))
    if since is not None:
        cursor = FeedCursor(since=cursor.since)  # a backfill reads from its own start, not where a run stopped
    newer = Newer(start=since, position=int(cursor.since) if cursor.since else None)
    pages = 0
    while True:
        batch = fetch(cursor.resume, newer)
        last = batch.next_token is None or batch.reached_old
        cursor = cursor.after_page([str(item.position) for item in batch.items], None if last else batch.next_token)
        yield Page([item.record for item in batch.items], key, cursor.storable(), batch.errors)
        pages += 1
        if last:
            return True
        if max_pages is not None and pages >= max_pages:
            return False


def read_each(
    raws: list[dict],
    read: Callable[[dict], Item],
    failures: tuple[type[Exception], ...],
    skipped: Callable[[dict, Exception], str],
) -> tuple[list[Item], list[str]]:
    """Every item ``read`` can make sense of, and a line (``skipped``) for each one it fails on with one of
    ``failures``: one unreadable item never costs the others of its page."""
    items, errors = [], []
    for raw in raws:
        try:
            items.append(read(raw))
        except failures as exc:
            errors.append(skipped(raw, exc))
    return items, errors
