"""Builders for test data in the import schema, and posts stored and scored through the app."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from monitor import PostRecord, record_from_mapping
from satukanal.intake.service import store_records
from satukanal.models import Cursor, Post

_ids = count(1)
BASE_TIME = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
COMPLAINT = (
    "Min @laportuban banyu PDAM gak mili wes 3 dino nang Ds. Sugihwaras Kec. Jenu, tagihan tetep mlaku. "
    "Hubungi 0812-3456-7890, NIK 3523012345678901"
)
"""A water complaint in Javanese with a phone number and an NIK, which a ticket must redact."""


def row(**fields) -> dict:
    """One import row; every field may be overridden. Ids are unique unless given."""
    number = next(_ids)
    data = {
        "platform": "x",
        "id": str(1_860_000_000_000_000_000 + number),
        "author": f"warga{number}",
        "text": "Min, jalan di Desa Sugihwaras Kec. Jenu rusak parah, banyak lubang. Tolong diperbaiki",
        "created_at": (BASE_TIME + timedelta(minutes=number)).isoformat(),
        "kind": "mention",
        "account": "laportuban",
    }
    data.update(fields)
    return data


PLATFORM_CYCLE = ("x", "instagram", "facebook", "whatsapp")


def posts(count: int, prefix: str) -> list[dict]:
    """``count`` valid, distinct rows with ids ``{prefix}-0`` onwards, spread over a few platforms.

    Their times are fixed before ``BASE_TIME``, however many rows the session has built, so a large
    file never runs past the import's "no later than tomorrow" bound.
    """
    return [
        {
            "platform": PLATFORM_CYCLE[number % len(PLATFORM_CYCLE)],
            "id": f"{prefix}-{number}",
            "author": f"@warga_{prefix}_{number}",
            "text": f"Lampu jalan nomor {number} di Kec. Jenu mati sejak kemarin, mohon diperbaiki",
            "created_at": (BASE_TIME - timedelta(minutes=number)).isoformat(),
            "kind": "mention",
        }
        for number in range(count)
    ]


def record(**fields) -> PostRecord:
    return record_from_mapping(row(**fields))


def add_posts(app, *records: PostRecord) -> list[int]:
    """Store ``records`` as collected by a source named "test" and score them; returns the new posts' ids."""
    with app.sessions.begin() as session:
        ids = store_records(session, records, "test", app.own_handles).added_ids
    app.score_pending()
    return ids


def write_jsonl(path: Path, rows: list[dict | str]) -> Path:
    """Rows as JSON lines; a str row is written as it is (for malformed lines)."""
    lines = [item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


TICKET_PREFIX = f"TBN-{datetime.now(ZoneInfo('Asia/Jakarta')).year}-"
"""Tickets confirmed without an explicit time are numbered in the office's current year."""


def stored_posts(app) -> dict[str, Post]:
    """Every stored post by its platform id."""
    with app.sessions() as session:
        return {post.platform_id: post for post in session.scalars(select(Post))}


def stored_cursors(app) -> dict[str, str]:
    with app.sessions() as session:
        return dict(session.execute(select(Cursor.key, Cursor.value)).all())
