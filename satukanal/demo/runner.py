"""``satukanal demo``: the whole path on a fresh database with the bundled demo posts.

The demo posts (written by us) span six weeks. They are moved, whole weeks at
a time, so that the newest falls in the last complete week; then they are
imported and scored, a scripted moderator works through the older flagged
posts (leaving the newest in the queue), tickets move along the LAPOR!
lifecycle, and the last complete week's recap goes to the outbox.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from importlib.resources import files
from pathlib import Path

from sqlalchemy import func, select

from monitor import PostRecord, partition, read_import_file
from publisher import Week, last_complete_week
from satukanal.config.settings import Settings
from satukanal.db import make_engine, upgrade
from satukanal.intake.service import store_records
from satukanal.models import Classification, Post, Ticket, utcnow
from satukanal.notifications.service import check_deadlines
from satukanal.publishing.service import PublishOutcome, publish_recap
from satukanal.review.service import confirm, queue, reject
from satukanal.tickets.clocks import WorkingCalendar
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.listing import ClockRules
from satukanal.tickets.service import set_status
from satukanal.users.service import add_user
from satukanal.wiring import App

ACTOR = "demo-moderator"
FIRST_LAPOR_ID = 9165816
# Days after confirmation at which the scripted agencies move a ticket on.
PROGRESS = ((1, Status.TERVERIFIKASI), (2, Status.TERDISPOSISI), (4, Status.DITINDAKLANJUTI), (6, Status.SELESAI))
LEFT_IN_QUEUE_DAYS = 4


@dataclass(frozen=True)
class DemoSummary:
    database: str
    posts: int
    flagged: int
    queue: int
    tickets: int
    resolved: int
    week: Week
    outcome: PublishOutcome


class DemoError(Exception):
    """The demo cannot use the folder it was given."""


DEMO_PASSWORD = "demo-satukanal"
"""Known to all: the demo database holds only the bundled, invented posts."""
DEMO_USERS = (
    ("moderator", "moderator", None),
    ("pdam", "agency", "pdam"),
    ("pengamat", "viewer", None),
    ("admin", "admin", None),
)


def add_demo_users(settings: Settings) -> list[tuple[str, str]]:
    """One account per role in the demo database; returns (username, role) pairs.

    The deadline check then runs once, so the liaison finds the overdue PDAM tickets under the bell.
    """
    app = App(settings)
    try:
        with app.sessions.begin() as session:
            for username, role, agency in DEMO_USERS:
                add_user(session, settings, username, role, DEMO_PASSWORD, ACTOR, agency=agency)
        with app.sessions.begin() as session:
            check_deadlines(session, ClockRules(utcnow(), settings.timezone, settings.clocks, WorkingCalendar()))
    finally:
        app.close()
    return [(username, role) for username, role, _ in DEMO_USERS]


def demo_posts_path() -> Path:
    return Path(str(files("satukanal.demo") / "posts.jsonl"))


def demo_settings(settings: Settings, folder: Path) -> Settings:
    """The demo's own database and outbox under ``folder``; the model is the usual one."""
    return replace(
        settings,
        data_dir=folder,
        database_url=f"sqlite:///{folder / 'satukanal.db'}",
        publish=settings.publish.model_copy(update={"outbox_dir": folder / "outbox"}),
        sources=(),
    )


def run_demo(settings: Settings, now: datetime | None = None) -> DemoSummary:
    now = now or utcnow()
    _reset(settings.data_dir)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    app = App(settings)
    try:
        week = last_complete_week(now, settings.timezone)
        records = _shifted(_read_demo_posts(), week, settings)
        with app.sessions.begin() as session:
            store_records(session, records, "demo", app.own_handles)
        app.score_pending()
        _moderate(app, week.bounds(settings.timezone)[1])
        outcome = publish_recap(app.sessions, settings, app.channel("outbox"), week, ACTOR, now=now)
        return _summary(app, week, outcome)
    finally:
        app.close()


def _reset(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DemoError(f"cannot create the demo folder {folder}: {exc.strerror}") from None
    try:
        for name in ("satukanal.db", "satukanal.db-wal", "satukanal.db-shm"):
            (folder / name).unlink(missing_ok=True)
    except OSError as exc:
        raise DemoError(f"cannot remove the previous demo database from {folder}: {exc.strerror}") from None
    shutil.rmtree(folder / "outbox", ignore_errors=True)


def _read_demo_posts() -> list[PostRecord]:
    records, refused = partition(read_import_file(demo_posts_path()))
    if refused:
        damage = "; ".join(f"line {line.line}: {line.error}" for line in refused[:3])
        raise ValueError(f"the bundled demo posts are damaged: {damage}")
    return records


def _shifted(records: list[PostRecord], week: Week, settings: Settings) -> list[PostRecord]:
    newest = max(record.created_at for record in records).astimezone(settings.timezone).date()
    offset = week.monday - Week.containing(newest).monday
    return [replace(record, created_at=record.created_at + offset) for record in records]


def _moderate(app: App, week_end: datetime) -> None:
    """Decide older flagged posts as a moderator would, and let agencies act on the tickets."""
    leave_from = week_end - timedelta(days=LEFT_IN_QUEUE_DAYS)
    with app.sessions.begin() as session:
        flagged = queue(session, limit=100_000)
        for post in sorted(flagged, key=lambda post: post.created_at):
            draw = _draw(post.platform_id)
            if post.created_at >= leave_from or draw % 6 == 1:
                continue
            decided_at = post.created_at + timedelta(hours=2 + draw % 5)
            if draw % 8 == 0:
                reject(session, post.id, ACTOR, "bukan aduan layanan publik", now=decided_at)
                continue
            ticket = confirm(session, app.settings, post.id, ACTOR, now=decided_at).ticket
            for days, status in PROGRESS:
                moment = decided_at + timedelta(days=days, hours=draw % 7)
                if moment >= week_end:
                    break
                lapor_id = str(FIRST_LAPOR_ID + ticket.id) if status is Status.TERVERIFIKASI else None
                set_status(session, ticket.number, status, ACTOR, lapor_id=lapor_id, now=moment)


def _draw(key: str) -> int:
    """A stable pseudo-random number per post, so every demo run decides alike."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)


def _summary(app: App, week: Week, outcome: PublishOutcome) -> DemoSummary:
    with app.sessions() as session:
        return DemoSummary(
            database=app.settings.database_url,
            posts=session.scalar(select(func.count()).select_from(Post)),
            flagged=session.scalar(select(func.count()).select_from(Classification).where(Classification.flagged)),
            queue=len(queue(session, limit=100_000)),
            tickets=session.scalar(select(func.count()).select_from(Ticket)),
            resolved=session.scalar(select(func.count()).select_from(Ticket).where(Ticket.resolved_at.is_not(None))),
            week=week,
            outcome=outcome,
        )
