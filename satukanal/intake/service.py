"""Storing collected posts: once per (platform, id), ours marked as ours, cursors with the page.

All post writes go through ``store_records``, which relies on the unique
(platform, platform_id) constraint with ON CONFLICT DO NOTHING, so two
collectors racing on one item still store it once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from monitor import ImportFolderSource, Page, PostRecord, Source, SourceError
from satukanal.db import begin_write, upsert_insert
from satukanal.intake.advice import with_our_steps
from satukanal.intake.health import record_failure, record_success
from satukanal.intake.thumbnails import add_thumbnails, thumbnails_dir
from satukanal.models import Cursor, Post, utcnow
from satukanal.spend.service import Meter

if TYPE_CHECKING:
    from satukanal.wiring import App

OwnHandles = Callable[[str], frozenset[str]]
STORE_BATCH = 500  # rows per INSERT: one statement, far below SQLite's and PostgreSQL's parameter limits


@dataclass
class StoreResult:
    added: int = 0
    duplicates: int = 0
    added_ids: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    """(index among the records given, reason) of each record the database refused."""

    def merge(self, other: StoreResult) -> None:
        self.added += other.added
        self.duplicates += other.duplicates
        self.added_ids.extend(other.added_ids)


@dataclass
class CollectResult(StoreResult):
    errors: list[str] = field(default_factory=list)
    pages: int = 0
    failure: SourceError | None = None
    """Why the source stopped early; the pages before it are stored."""


def store_records(session: Session, records: Iterable[PostRecord], source: str, own_handles: OwnHandles) -> StoreResult:
    """Insert the records not stored yet, a batch per statement.

    Records are validated before they get here (``monitor.records``); should
    the database still refuse a batch, its rows are tried one by one, so one
    row it refuses never costs the others (the refused are in the result).
    """
    result = StoreResult()
    statement = (
        upsert_insert(session, Post)
        .on_conflict_do_nothing(index_elements=["platform", "platform_id"])
        .returning(Post.id)
    )
    rows = [_row(record, source, own_handles) for record in records]
    for start in range(0, len(rows), STORE_BATCH):
        batch = rows[start : start + STORE_BATCH]
        new_ids, refused = _insert(session, statement, batch, start)
        result.added += len(new_ids)
        result.duplicates += len(batch) - len(new_ids) - len(refused)
        result.added_ids.extend(sorted(new_ids))
        result.refused.extend(refused)
    return result


def _insert(session: Session, statement, batch: list[dict], start: int) -> tuple[list[int], list[tuple[int, str]]]:
    """Insert ``batch`` in one statement, or row by row if the database refuses the batch."""
    begin_write(session)
    try:
        with session.begin_nested():
            return list(session.scalars(statement, batch)), []
    except (DBAPIError, StatementError):
        pass
    new_ids: list[int] = []
    refused: list[tuple[int, str]] = []
    for index, row in enumerate(batch, start=start):
        try:
            with session.begin_nested():
                new_ids.extend(session.scalars(statement, [row]))
        except (DBAPIError, StatementError) as exc:
            refused.append((index, f"basis data menolak baris ini ({_error_kind(exc)})"))
    return new_ids, refused


def _error_kind(error: StatementError) -> str:
    """The kind of a database error, without its message (which may quote the row)."""
    cause = error.orig if error.orig is not None else error
    return type(cause).__name__


def existing_ids(session: Session, records: list[PostRecord]) -> set[tuple[str, str]]:
    """Which of ``records`` are already stored, as (platform, platform_id) pairs."""
    found: set[tuple[str, str]] = set()
    by_platform: dict[str, list[str]] = {}
    for record in records:
        by_platform.setdefault(record.platform, []).append(record.platform_id)
    for platform, ids in by_platform.items():
        for start in range(0, len(ids), 500):
            rows = session.execute(
                select(Post.platform_id).where(
                    Post.platform == platform, Post.platform_id.in_(ids[start : start + 500])
                )
            )
            found.update((platform, platform_id) for (platform_id,) in rows)
    return found


def collect(
    sessions: sessionmaker[Session],
    source: Source,
    own_handles: OwnHandles,
    on_page: Callable[[Page, StoreResult], None] | None = None,
) -> CollectResult:
    """Run one source: each page's posts and cursor are stored in one transaction.

    A ``SourceError`` ends the run: the pages stored before it stay, the
    failure is kept in the result and in the source's health
    (``satukanal.intake.health``). Anything else is a bug and propagates.
    """
    result = CollectResult()
    with sessions() as session:
        cursors = dict(session.execute(select(Cursor.key, Cursor.value).where(Cursor.source == source.name)).all())
    try:
        for page in source.pages(cursors):
            with sessions.begin() as session:
                stored = store_records(session, page.records, source.name, own_handles)
                Cursor.save(session, source.name, page.cursor_key, page.cursor_value)
            result.merge(stored)
            result.errors.extend(page.errors)
            result.errors.extend(f"{page.cursor_key}: {reason}" for _, reason in stored.refused)
            result.pages += 1
            if on_page is not None:
                on_page(page, stored)
    except SourceError as exc:
        result.failure = with_our_steps(exc)
    waiting = source.rejected_files() if isinstance(source, ImportFolderSource) else []
    with sessions.begin() as session:
        if result.failure is None:
            record_success(session, source.name, result.added, rejected=waiting)
        else:
            record_failure(session, source.name, result.failure)
    return result


def run_source(app: App, source: Source, on_page: Callable[[Page, StoreResult], None] | None = None) -> CollectResult:
    """One run of ``source``, as ``satukanal collect`` and the scheduler do it: store what is new, score it,
    and fetch its media previews when ``collect.thumbnails`` is on. A failure is in the result and the
    source's health. An X source's posts are counted as read, and it does not run, or stops, once its X
    budget is used up (``satukanal.spend``)."""
    meter = Meter.for_source(app.sessions, app.settings, source.name)
    paused = meter.paused() if meter is not None else None
    if paused is not None:
        with app.sessions.begin() as session:
            record_failure(session, source.name, paused)
        return CollectResult(failure=paused)
    result = collect(app.sessions, source, app.own_handles, on_page=meter.counting(on_page) if meter else on_page)
    if result.added:
        app.score_posts(result.added_ids)
        if app.settings.collect.thumbnails:
            add_thumbnails(app.sessions, thumbnails_dir(app.settings), app.settings.collect, result.added_ids)
    return result


def _row(record: PostRecord, source: str, own_handles: OwnHandles) -> dict:
    return {
        "platform": record.platform,
        "platform_id": record.platform_id,
        "source": source,
        "kind": record.kind,
        "account": record.account,
        "author": record.author,
        "author_id": record.author_id,
        "text": record.text,
        "url": record.url,
        "in_reply_to": record.in_reply_to,
        "created_at": record.created_at,
        "collected_at": utcnow(),
        "is_own": record.author.lower() in own_handles(record.platform),
        "review_status": "pending",
        "raw": record.raw,
        "media": [media.as_dict() for media in record.media],
    }
