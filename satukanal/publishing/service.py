"""Publishing with a ledger, so that a recap goes out exactly once per (kind, period, channel).

The ledger row holds the rendered item from the moment it is first claimed,
so a retry, a recovery or an approved draft publishes exactly what was
rendered (and what a moderator previewed), not a re-render with figures
that have moved since. The row is ``in_flight`` before the channel is
called and ``published`` with the remote ids after. If a run dies in
between, the next run finds the row in flight, asks the channel whether the
item is already there, and records it instead of posting again; the same
check runs before every retry, since a request that timed out may have
gone through.

A claim is a lease: the row names the claiming process (``host:pid:thread``)
and holds until ``lease_until``, renewed before every attempt. A publication
whose process died (same host, pid gone) or whose lease ran out is *stalled*:
the scheduler picks it up again (``waiting_publications``) and an admin may
send it again from the web app, and the check above makes it finish where it
stopped. A live claim by another process is refused, so two runs never send
the same publication at once.

With ``publish.require_approval`` a new recap is stored as a ``draft``; an
admin approves it (CLI or web app) and it goes out on the next run. Before
that, an admin may edit its text or reject it with a reason (``drafts``). A
rejection is final for that (kind, period, channel): the next scheduler run
and ``satukanal publish weekly`` find the rejected row and report it instead of
rendering a new draft, since a recap the team decided against should not
come back by itself every few minutes. The period can still be published on
another channel; publishing the rejected one after all is not offered.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from publisher import (
    CAPTION_FILE,
    THREAD_FILE,
    Channel,
    Item,
    Month,
    PublishError,
    Week,
    format_day,
    format_month,
    format_period,
    make_environment,
    render_monthly,
    render_weekly,
    thread_file,
)
from satukanal.config.sections import PublishConfig
from satukanal.config.settings import Settings
from satukanal.models import Publication, utcnow
from satukanal.publishing.ledger import (
    DRAFT,
    PUBLISHED,
    REJECTED,
    PublishingError,
    claim,
    fail,
    find_entry,
    finish,
    kind_of,
    renew,
    store_draft,
    stored_item,
)
from satukanal.spend.service import count_thread

log = logging.getLogger(__name__)

LEASE_MARGIN = timedelta(minutes=10)
"""How long one attempt may take beyond the longest wait between attempts before its claim runs out."""


@dataclass(frozen=True)
class PublishOutcome:
    status: str  # published | recovered | already_published | draft | awaiting_approval | rejected | dry_run
    channel: str
    period: str
    remote_ids: list[str]
    item: Item | None = None
    publication_id: int | None = None


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a retryable failure (5xx, 429, network) is tried again."""

    attempts: int = 4
    first_wait: float = 30.0
    longest_wait: float = 900.0

    @classmethod
    def of(cls, publish: PublishConfig) -> RetryPolicy:
        return cls(publish.retry_attempts, publish.retry_wait_seconds, publish.retry_wait_max_seconds)

    @property
    def lease(self) -> timedelta:
        """How long a claim holds between two renewals: the longest wait, then one attempt."""
        return timedelta(seconds=self.longest_wait) + LEASE_MARGIN

    def wait(self, attempt: int, error: PublishError) -> float:
        """Seconds before attempt ``attempt + 1``: what the platform asked for, else doubling, capped."""
        wanted = error.retry_after if error.retry_after is not None else self.first_wait * 2 ** (attempt - 1)
        return max(0.0, min(wanted, self.longest_wait))


def recap_item(session: Session, settings: Settings, period: Week | Month, now: datetime) -> Item:
    """A recap as published everywhere: the X thread, the Instagram caption and the image cards."""
    # Imported here: the cards need matplotlib and Pillow, the figures the holiday calendars, all slow to import.
    from publisher.card import MONTHLY_WORDING, WEEKLY_WORDING, render_cards
    from satukanal.publishing.recap import recap_figures

    figures = recap_figures(session, settings, period)
    environment = make_environment(settings.publish.templates_dir)
    published_on = now.astimezone(settings.timezone).date()
    if isinstance(period, Month):
        label = format_month(period.first)
        rendered = render_monthly(environment, figures, label, settings.publish.hashtags, published_on)
        cards = render_cards(figures, label, MONTHLY_WORDING)
    else:
        rendered = render_weekly(environment, figures, settings.publish.hashtags, published_on)
        cards = render_cards(figures, format_period(period.monday, period.sunday), WEEKLY_WORDING)
    return Item(
        key=f"{kind_of(period)}-{period.label}",
        files={
            THREAD_FILE: thread_file(rendered.x_thread),
            CAPTION_FILE: rendered.instagram_caption + "\n",
            **{f"card-{number}.png": card for number, card in enumerate(cards, start=1)},
        },
    )


def publish_recap(
    sessions: sessionmaker[Session],
    settings: Settings,
    channel: Channel,
    period: Week | Month,
    actor: str,
    dry_run: bool = False,
    now: datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PublishOutcome:
    """Publish the recap of a week or a month on ``channel``, exactly once."""
    now = now or utcnow()
    kind = kind_of(period)
    if not period.is_over(now, settings.timezone):
        end = period.bounds(settings.timezone)[1].date()
        raise PublishingError(f"{period} belum berakhir; rekapnya bisa diterbitkan mulai {format_day(end)}")
    with sessions() as session:
        entry = find_entry(session, kind, period.label, channel.name)
        if entry is not None and entry.status == PUBLISHED:
            return PublishOutcome("already_published", channel.name, period.label, list(entry.remote_ids))
        if entry is not None and entry.status == DRAFT:
            return PublishOutcome("awaiting_approval", channel.name, period.label, [], publication_id=entry.id)
        if entry is not None and entry.status == REJECTED:
            return PublishOutcome("rejected", channel.name, period.label, [], publication_id=entry.id)
        item = stored_item(entry) if entry is not None else recap_item(session, settings, period, now)
    if dry_run:
        return PublishOutcome("dry_run", channel.name, period.label, [], item)
    if entry is None and settings.publish.require_approval:
        draft_id = store_draft(sessions, kind, period.label, channel.name, item, actor, now)
        return PublishOutcome("draft", channel.name, period.label, [], item, draft_id)
    outcome = _deliver(sessions, channel, kind, period.label, item, actor, now, RetryPolicy.of(settings.publish), sleep)
    return _counted(sessions, settings, outcome, now)


def publish_entry(
    sessions: sessionmaker[Session],
    settings: Settings,
    channel: Channel,
    publication_id: int,
    actor: str,
    now: datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PublishOutcome:
    """Send an approved or failed publication again, exactly as stored."""
    now = now or utcnow()
    with sessions() as session:
        entry = session.get(Publication, publication_id)
        if entry is None:
            raise PublishingError(f"publikasi {publication_id} tidak ada")
        if entry.channel != channel.name:
            raise PublishingError(f"publikasi {publication_id} untuk kanal {entry.channel}, bukan {channel.name}")
        if entry.status == PUBLISHED:
            return PublishOutcome("already_published", entry.channel, entry.period, list(entry.remote_ids))
        if entry.status == DRAFT:
            raise PublishingError(f"publikasi {publication_id} masih draf; setujui dulu")
        if entry.status == REJECTED:
            raise PublishingError(f"publikasi {publication_id} sudah ditolak dan tidak diterbitkan")
        kind, period, item = entry.kind, entry.period, stored_item(entry)
    outcome = _deliver(sessions, channel, kind, period, item, actor, now, RetryPolicy.of(settings.publish), sleep)
    return _counted(sessions, settings, outcome, now)


def _counted(
    sessions: sessionmaker[Session], settings: Settings, outcome: PublishOutcome, now: datetime
) -> PublishOutcome:
    """``outcome``, its tweets counted as X spend (``satukanal.spend``) once the ledger recorded them: posted now,
    or found on the account after a run that died before recording them. Each tweet of a thread is counted
    once, when its publication is recorded, however many attempts it took; a thread that never completes
    is not counted."""
    if outcome.channel == "x" and outcome.status in ("published", "recovered"):
        texts = json.loads(outcome.item.files[THREAD_FILE])
        count_thread(sessions, settings, texts[: len(outcome.remote_ids)], now)
    return outcome


def _deliver(
    sessions: sessionmaker[Session],
    channel: Channel,
    kind: str,
    period: str,
    item: Item,
    actor: str,
    now: datetime,
    retry: RetryPolicy,
    sleep: Callable[[float], None],
) -> PublishOutcome:
    with sessions.begin() as session:
        entry_id = claim(session, kind, period, channel.name, item, retry.lease).id
    for attempt in range(1, retry.attempts + 1):
        if attempt > 1:
            renew(sessions, entry_id, retry.lease)
        try:
            # Looked for first: an earlier attempt may have got through. A look-up that fails is a failed attempt,
            # never "not there": posting blind could post twice.
            found = channel.find_published(item)
            if found:
                finish(sessions, entry_id, found, actor, now, attempt - 1)
                return PublishOutcome("recovered", channel.name, period, found, item, entry_id)
            remote_ids = channel.publish(item)
        except PublishError as exc:
            if not exc.retryable or attempt == retry.attempts:
                fail(sessions, entry_id, exc, actor, now, attempt)
                advice = "" if exc.retryable else " (tidak dicoba lagi)"
                raise PublishingError(f"penerbitan {item.key} ke {channel.name} gagal{advice}: {exc}") from None
            wait = retry.wait(attempt, exc)
            log.warning(
                "%s to %s: attempt %d failed (%s); trying again in %.0f s", item.key, channel.name, attempt, exc, wait
            )
            renew(sessions, entry_id, retry.lease + timedelta(seconds=wait))
            sleep(wait)
            continue
        finish(sessions, entry_id, remote_ids, actor, now, attempt)
        return PublishOutcome("published", channel.name, period, remote_ids, item, entry_id)
    raise AssertionError("unreachable: the last attempt either returns or raises")
