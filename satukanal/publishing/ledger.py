"""The publication ledger: one row per (kind, period, channel) holding the rendered item, its status, who
holds it in flight and until when, and what the platform answered. ``service`` sends; this module keeps the rows.

A row moves draft → approved → in flight → published (or failed, and back to
approved on a retry). A draft may instead be *rejected* (``drafts.reject``):
that status is final, no run claims or sends it, and the row keeps its
(kind, period, channel) key, so no later run renders that period for that
channel again.
"""

from __future__ import annotations

import base64
import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from publisher import Item, Month, PublishError, Week
from satukanal import audit
from satukanal.db import begin_write
from satukanal.models import Publication, utcnow
from satukanal.publishing.claims import IN_FLIGHT, is_stalled, this_process

log = logging.getLogger(__name__)

WEEKLY, MONTHLY = "weekly", "monthly"
DRAFT, APPROVED, PUBLISHED, FAILED, REJECTED = "draft", "approved", "published", "failed", "rejected"
STATUS_LABELS = {
    DRAFT: "Draf, menunggu persetujuan",
    APPROVED: "Disetujui, menunggu terbit",
    IN_FLIGHT: "Sedang diterbitkan",
    PUBLISHED: "Terbit",
    FAILED: "Gagal",
    REJECTED: "Ditolak, tidak diterbitkan",
}
STALLED_LABEL = "Terhenti di tengah jalan, dilanjutkan otomatis"


class PublishingError(Exception):
    """A publication was refused or failed; the message says what to do."""


def kind_of(period: Week | Month) -> str:
    return MONTHLY if isinstance(period, Month) else WEEKLY


def approve(sessions: sessionmaker[Session], publication_id: int, actor: str, now: datetime | None = None) -> None:
    """Approve a draft; the next publishing run (CLI, scheduler or web app) sends it."""
    _release(sessions, publication_id, DRAFT, "bukan draf", "publication.approve", actor, now or utcnow())


def requeue(sessions: sessionmaker[Session], publication_id: int, actor: str, now: datetime | None = None) -> None:
    """Put a failed or stalled publication back to approved, exactly as stored, for the next run to send again."""
    _release(sessions, publication_id, FAILED, "bukan gagal", "publication.retry", actor, now or utcnow())


def _release(
    sessions: sessionmaker[Session],
    publication_id: int,
    expected: str,
    refusal: str,
    action: str,
    actor: str,
    now: datetime,
) -> None:
    """Move a publication from ``expected`` to approved, ready to be sent, and audit it."""
    with sessions.begin() as session:
        entry = locked_entry(session, publication_id)
        if entry.status != expected and not (expected == FAILED and is_stalled(entry)):
            label = STATUS_LABELS.get(entry.status, entry.status)
            raise PublishingError(f"publikasi {publication_id} berstatus {label}, {refusal}")
        expected = entry.status
        entry.status = APPROVED
        if expected == DRAFT:
            entry.approved_by, entry.approved_at = actor, now
        audit.record(session, actor, action, entry, {"status": expected}, {"status": APPROVED}, now)


def locked_entry(session: Session, publication_id: int) -> Publication:
    """The row, locked for this transaction: approving and rejecting the same draft at once, one of them waits
    and then sees the other's status, so a rejected draft is never approved (nor the other way round)."""
    begin_write(session)
    entry = session.get(Publication, publication_id, with_for_update=True, populate_existing=True)
    if entry is None:
        raise PublishingError(f"publikasi {publication_id} tidak ada")
    return entry


def waiting_publications(sessions: sessionmaker[Session], now: datetime | None = None) -> list[tuple[int, str]]:
    """(id, channel) of approved publications not sent yet, and of stalled ones, oldest first."""
    with sessions() as session:
        entries = session.scalars(
            select(Publication)
            .where(or_(Publication.status == APPROVED, Publication.status == IN_FLIGHT))
            .order_by(Publication.id)
        )
        return [(entry.id, entry.channel) for entry in entries if entry.status == APPROVED or is_stalled(entry, now)]


def stored_item(entry: Publication) -> Item:
    files = {
        name: base64.b64decode(value["base64"]) if isinstance(value, dict) else value
        for name, value in entry.content["files"].items()
    }
    return Item(entry.content["key"], files)


def _content(item: Item) -> dict:
    """The item as JSON: text files as text, images as base64."""
    files = {
        name: {"base64": base64.b64encode(value).decode("ascii")} if isinstance(value, bytes) else value
        for name, value in item.files.items()
    }
    return {"key": item.key, "files": files}


def find_entry(session: Session, kind: str, period: str, channel: str) -> Publication | None:
    return session.scalar(
        select(Publication).where(
            Publication.kind == kind, Publication.period == period, Publication.channel == channel
        )
    )


def store_draft(
    sessions: sessionmaker[Session], kind: str, period: str, channel: str, item: Item, actor: str, now: datetime
) -> int:
    with sessions.begin() as session:
        entry = new_entry(session, kind, period, channel, DRAFT, item)
        audit.record(session, actor, "publication.draft", entry, None, {"status": DRAFT}, now)
        return entry.id


def new_entry(session: Session, kind: str, period: str, channel: str, status: str, item: Item) -> Publication:
    """The ledger row for (kind, period, channel); its unique key stops a second process creating it too."""
    entry = Publication(kind=kind, period=period, channel=channel, status=status, content=_content(item))
    try:
        with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        raise PublishingError(f"{item.key} di {channel} sedang disiapkan oleh proses lain") from None
    return entry


def claim(session: Session, kind: str, period: str, channel: str, item: Item, lease: timedelta) -> Publication:
    """Mark the publication in flight, leased to this process, before the channel is called.

    The first claim stores the item. A publication another live process holds
    in flight is refused; one whose claim is over (``is_stalled``), or one this
    very thread left in flight (an interrupted attempt), is taken over.
    """
    entry = find_entry(session, kind, period, channel)
    if entry is None:
        entry = new_entry(session, kind, period, channel, IN_FLIGHT, item)
    elif entry.status == PUBLISHED:
        raise PublishingError(f"{item.key} di {channel} baru saja diterbitkan")
    elif entry.status in (DRAFT, REJECTED):
        raise PublishingError(f"{item.key} di {channel} berstatus {STATUS_LABELS[entry.status]}, tidak diterbitkan")
    elif entry.status == IN_FLIGHT and entry.claimed_by != this_process() and not is_stalled(entry):
        raise PublishingError(f"{item.key} di {channel} sedang diterbitkan oleh proses lain ({entry.claimed_by})")
    if entry.status == IN_FLIGHT and entry.claimed_by not in (None, this_process()):
        log.warning("%s to %s: taking over from %s, which stopped", item.key, channel, entry.claimed_by)
    entry.status = IN_FLIGHT
    entry.error = None
    entry.claimed_by, entry.lease_until = this_process(), utcnow() + lease
    return entry


def renew(sessions: sessionmaker[Session], entry_id: int, lease: timedelta) -> None:
    with sessions.begin() as session:
        session.get(Publication, entry_id).lease_until = utcnow() + lease


def finish(
    sessions: sessionmaker[Session], entry_id: int, remote_ids: list[str], actor: str, now: datetime, attempts: int
) -> None:
    """Record ``entry_id`` as published with the platform's ids, releasing its claim."""
    with sessions.begin() as session:
        entry = _settle(session, entry_id, PUBLISHED, attempts)
        entry.remote_ids = list(remote_ids)
        entry.published_at = now
        audit.record(session, actor, "publication.publish", entry, None, {"remote_ids": list(remote_ids)}, now)


def fail(
    sessions: sessionmaker[Session], entry_id: int, error: PublishError, actor: str, now: datetime, attempts: int
) -> None:
    """Record ``entry_id`` as failed with the reason, releasing its claim; an admin may send it again."""
    with sessions.begin() as session:
        entry = _settle(session, entry_id, FAILED, attempts)
        entry.error = str(error)
        audit.record(session, actor, "publication.fail", entry, None, {"error": str(error)}, now)
        log.error(
            "%s/%s to %s failed after %d attempt(s): %s", entry.kind, entry.period, entry.channel, attempts, error
        )


def _settle(session: Session, entry_id: int, status: str, attempts: int) -> Publication:
    """The end of a claim: the new status, no holder, no error yet, the attempts counted."""
    entry = session.get(Publication, entry_id)
    entry.status = status
    entry.claimed_by = entry.lease_until = None
    entry.error = None
    entry.attempts += attempts
    return entry
