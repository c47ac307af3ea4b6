"""Publishing with a ledger, so that a recap goes out exactly once per (kind, period, channel).

The ledger row is written as ``in_flight`` before the channel is called and
``published`` with the remote ids after. If a run dies in between, the next
run finds the row in flight, asks the channel whether the item is already
there, and records it instead of posting again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from publisher import Channel, Item, PublishError, RenderedRecap, Week, make_environment, render_weekly, thread_file
from satukanal import audit
from satukanal.config import Settings
from satukanal.models import Publication, utcnow
from satukanal.recap import weekly_figures

WEEKLY = "weekly"


class PublishingError(Exception):
    """A publication was refused or failed; the message says what to do."""


@dataclass(frozen=True)
class PublishOutcome:
    status: str  # published | already_published | recovered | dry_run
    channel: str
    period: str
    remote_ids: list[str]
    rendered: RenderedRecap | None = None


def render_weekly_recap(session: Session, settings: Settings, week: Week, now: datetime) -> RenderedRecap:
    figures = weekly_figures(session, settings, week)
    environment = make_environment(settings.templates_dir)
    return render_weekly(environment, figures, settings.hashtags, now.astimezone(settings.timezone).date())


def weekly_item(week: Week, rendered: RenderedRecap) -> Item:
    """The outbox contract: ``weekly-<ISO week>/x-thread.json`` and ``instagram-caption.txt``."""
    return Item(
        key=f"weekly-{week.label}",
        files={
            "x-thread.json": thread_file(rendered.x_thread),
            "instagram-caption.txt": rendered.instagram_caption + "\n",
        },
    )


def publish_weekly(
    sessions: sessionmaker[Session],
    settings: Settings,
    channel: Channel,
    week: Week,
    actor: str,
    dry_run: bool = False,
    now: datetime | None = None,
) -> PublishOutcome:
    now = now or utcnow()
    if not week.is_over(now, settings.timezone):
        raise PublishingError(
            f"pekan {week} belum berakhir; rekapnya bisa diterbitkan mulai Senin setelah {week.sunday}"
        )
    with sessions() as session:
        entry = _ledger(session, week, channel.name)
        if entry is not None and entry.status == "published":
            return PublishOutcome("already_published", channel.name, week.label, list(entry.remote_ids))
        rendered = render_weekly_recap(session, settings, week, now)
    item = weekly_item(week, rendered)
    if dry_run:
        return PublishOutcome("dry_run", channel.name, week.label, [], rendered)

    with sessions.begin() as session:
        entry = _claim(session, week, channel.name, rendered)
        found = channel.find_published(item)
        if found:
            _mark_published(session, entry, found, actor, now)
            return PublishOutcome("recovered", channel.name, week.label, found, rendered)

    try:
        remote_ids = channel.publish(item)
    except PublishError as exc:
        with sessions.begin() as session:
            entry = _ledger(session, week, channel.name)
            entry.status = "failed"
            entry.error = str(exc)
            audit.record(session, actor, "publication.fail", entry, None, {"error": str(exc)}, now)
        raise PublishingError(f"penerbitan {week} ke {channel.name} gagal: {exc}") from None
    with sessions.begin() as session:
        _mark_published(session, _ledger(session, week, channel.name), remote_ids, actor, now)
    return PublishOutcome("published", channel.name, week.label, remote_ids, rendered)


def _ledger(session: Session, week: Week, channel: str) -> Publication | None:
    return session.scalar(
        select(Publication).where(
            Publication.kind == WEEKLY, Publication.period == week.label, Publication.channel == channel
        )
    )


def _claim(session: Session, week: Week, channel: str, rendered: RenderedRecap) -> Publication:
    """Mark the publication in flight before the channel is called."""
    content = {"x_thread": rendered.x_thread, "instagram_caption": rendered.instagram_caption}
    entry = _ledger(session, week, channel)
    if entry is None:
        entry = Publication(kind=WEEKLY, period=week.label, channel=channel, status="in_flight", content=content)
        try:
            with session.begin_nested():
                session.add(entry)
        except IntegrityError:
            raise PublishingError(f"{week} di {channel} sedang diterbitkan oleh proses lain") from None
        return entry
    if entry.status == "published":
        raise PublishingError(f"{week} di {channel} baru saja diterbitkan")
    entry.status = "in_flight"
    entry.error = None
    entry.content = content
    return entry


def _mark_published(session: Session, entry: Publication, remote_ids: list[str], actor: str, now: datetime) -> None:
    entry.status = "published"
    entry.remote_ids = list(remote_ids)
    entry.published_at = now
    entry.error = None
    audit.record(session, actor, "publication.publish", entry, None, {"remote_ids": list(remote_ids)}, now)
