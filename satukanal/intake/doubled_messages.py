"""Direct messages collected on two paths: by Meta's webhook and by an ``instagram`` source's inbox poller.

A message has a different id on each path (Meta's ``mid`` against instagrapi's item id, with no documented
relation between them), so a message read both ways is stored twice and reaches the queue twice. The office
should let one path collect direct messages. The webhook notes when it last stored one; while that is recent,
``satukanal sources check`` and the Sumber page warn on every enabled ``instagram`` source that still reads
the inbox, and say what to change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from monitor.records import PostRecord
from satukanal.models import Cursor

WEBHOOK_SOURCE = "meta-webhook"
"""The source name the webhook stores its items under."""
LAST_MESSAGE_KEY = "direct:last_stored_at"
RECENT = timedelta(days=7)
WARNING = (
    "pesan langsung juga diterima lewat webhook Meta dalam 7 hari terakhir; pesan yang dibaca kedua jalur "
    "tersimpan dua kali"
)
ADVICE = 'Hapus "direct" dari streams sumber ini, atau berhenti berlangganan field messages pada webhook Meta'


def note_webhook_messages(session: Session, records: Sequence[PostRecord], now: datetime) -> None:
    """Remember that the webhook stored a direct message now, when ``records`` hold one."""
    if any(record.kind == "dm" for record in records):
        Cursor.save(session, WEBHOOK_SOURCE, LAST_MESSAGE_KEY, now.isoformat())


def read_twice(session: Session, configs: Iterable, now: datetime) -> frozenset[str]:
    """The enabled ``instagram`` sources (``SourceConfig``) reading the inbox while the webhook brings messages."""
    readers = frozenset(
        config.name
        for config in configs
        if config.enabled and config.type == "instagram" and "direct" in config.streams
    )
    if not readers:
        return frozenset()
    last = Cursor.read(session, WEBHOOK_SOURCE, LAST_MESSAGE_KEY)
    return readers if last is not None and now - datetime.fromisoformat(last) <= RECENT else frozenset()
