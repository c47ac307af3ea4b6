"""What an admin may do to a draft besides approving it: edit its text, or reject it with a reason.

Both act on the stored item, the one the preview shows and a run would
send, and only while the row is a draft: the row is locked first
(``ledger.locked_entry``), so an approval and a rejection of the same draft
never both succeed. A rejected publication is final: ``ledger.claim`` refuses
it and ``service.publish_recap`` reports it rather than rendering the period
again, so it is never sent.

An edit is checked the way the renderer checks a recap: each tweet within X's
weighted limit, the caption within Instagram's characters and hashtags.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from publisher import TWEET_LIMIT, thread_file, tweet_length
from publisher.channels import CAPTION_FILE, THREAD_FILE
from publisher.render import INSTAGRAM_CAPTION_LIMIT, INSTAGRAM_HASHTAG_LIMIT
from satukanal import audit
from satukanal.models import AuditEntry, Publication, utcnow
from satukanal.publishing.ledger import DRAFT, REJECTED, STATUS_LABELS, PublishingError, locked_entry

REASON_LIMIT = 500


class DraftError(PublishingError):
    """An edit that does not fit the platforms; ``problems`` maps each field (``cuitan-2``, ``keterangan``) to
    what is wrong with it, so a form can show each message beside its field."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class Rejection:
    actor: str
    at: datetime
    reason: str


def reject(
    sessions: sessionmaker[Session], publication_id: int, actor: str, reason: str, now: datetime | None = None
) -> None:
    """Reject a draft for good, with the reason in the audit log; it is never claimed or sent."""
    reason = reason.strip()
    if not reason:
        raise PublishingError("alasan wajib diisi untuk menolak draf")
    now = now or utcnow()
    with sessions.begin() as session:
        entry = _draft(session, publication_id, "ditolak")
        entry.status = REJECTED
        after = {"status": REJECTED, "reason": reason[:REASON_LIMIT]}
        audit.record(session, actor, "publication.reject", entry, {"status": DRAFT}, after, now)


def rejection(session: Session, publication_id: int) -> Rejection | None:
    """Who rejected the publication, when and why (from the audit log, which holds the reason)."""
    entry = session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.entity_type == Publication.__tablename__,
            AuditEntry.entity_id == str(publication_id),
            AuditEntry.action == "publication.reject",
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    )
    if entry is None:
        return None
    return Rejection(entry.actor, entry.at, (entry.after or {}).get("reason", ""))


def edit(
    sessions: sessionmaker[Session],
    publication_id: int,
    actor: str,
    tweets: list[str] | None = None,
    caption: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Replace the draft's X thread and/or Instagram caption (None: keep it); False when nothing changed.

    Empty tweets are dropped; the texts are stored as typed otherwise, and the
    audit entry holds each changed text before and after.
    """
    now = now or utcnow()
    with sessions.begin() as session:
        entry = _draft(session, publication_id, "diubah")
        files = dict(entry.content["files"])
        before, after = {}, {}
        if tweets is not None:
            if THREAD_FILE not in files:
                raise PublishingError(f"publikasi {publication_id} tidak punya utas X")
            tweets = checked_thread(tweets)
            old = json.loads(files[THREAD_FILE])
            if tweets != old:
                before["x_thread"], after["x_thread"] = old, tweets
                files[THREAD_FILE] = thread_file(tweets)
        if caption is not None:
            if CAPTION_FILE not in files:
                raise PublishingError(f"publikasi {publication_id} tidak punya keterangan Instagram")
            caption = checked_caption(caption)
            old = files[CAPTION_FILE].strip()
            if caption != old:
                before["instagram_caption"], after["instagram_caption"] = old, caption
                files[CAPTION_FILE] = caption + "\n"
        if not after:
            return False
        entry.content = {**entry.content, "files": files}
        audit.record(session, actor, "publication.edit", entry, before, after, now)
        return True


def checked_thread(tweets: list[str]) -> list[str]:
    """The tweets without empty ones, refused when none is left or one is over X's weighted limit."""
    kept = [tweet.strip().replace("\r\n", "\n") for tweet in tweets if tweet.strip()]
    if not kept:
        raise DraftError({"cuitan-1": "Utas X harus berisi sedikitnya satu cuitan."})
    problems = {}
    for number, tweet in enumerate(kept, start=1):
        length = tweet_length(tweet)
        if length > TWEET_LIMIT:
            problems[f"cuitan-{number}"] = (
                f"Cuitan {number} terlalu panjang: {length} karakter menurut hitungan X, batasnya {TWEET_LIMIT}."
            )
    if problems:
        raise DraftError(problems)
    return kept


def checked_caption(caption: str) -> str:
    """The caption trimmed, refused when empty or over Instagram's characters or hashtags."""
    caption = caption.strip().replace("\r\n", "\n")
    if not caption:
        raise DraftError({"keterangan": "Keterangan Instagram tidak boleh kosong."})
    if len(caption) > INSTAGRAM_CAPTION_LIMIT:
        raise DraftError(
            {"keterangan": f"Keterangan {len(caption)} karakter, batas Instagram {INSTAGRAM_CAPTION_LIMIT}."}
        )
    hashtags = sum(1 for word in caption.split() if word.startswith("#"))
    if hashtags > INSTAGRAM_HASHTAG_LIMIT:
        raise DraftError(
            {"keterangan": f"Keterangan memuat {hashtags} tagar, batas Instagram {INSTAGRAM_HASHTAG_LIMIT}."}
        )
    return caption


def _draft(session: Session, publication_id: int, verb: str) -> Publication:
    entry = locked_entry(session, publication_id)
    if entry.status != DRAFT:
        label = STATUS_LABELS.get(entry.status, entry.status)
        raise PublishingError(f"publikasi {publication_id} berstatus {label}; hanya draf yang dapat {verb}")
    return entry
