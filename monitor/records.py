"""The neutral post record every source produces, and its validation.

The import schema (JSONL or CSV) is this record's field list:

==============  ========  ====================================================
field           required  meaning
==============  ========  ====================================================
platform        yes       one of ``PLATFORMS``
id              yes       the platform's id of the item, unique per platform
author          yes       handle or name of the author (a leading @ is dropped)
text            yes       the text, at most ``MAX_TEXT_CHARS`` characters
created_at      yes       ISO 8601 with a zone offset, e.g. 2026-11-23T08:15:00+07:00
url             no        link to the item on its platform (http or https)
kind            no        one of ``KINDS``; default ``mention``
in_reply_to     no        id of the item this one answers, on the same platform
account         no        the watched account the item is aimed at
==============  ========  ====================================================
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

PLATFORMS = frozenset({"x", "instagram", "facebook", "tiktok", "whatsapp", "sms", "phone", "email", "web"})
KINDS = frozenset({"mention", "tag", "comment", "dm", "reply", "post", "quote"})
MAX_TEXT_CHARS = 25_000
MAX_ID_CHARS = 64
MAX_AUTHOR_CHARS = 100
MAX_URL_CHARS = 500
FIELDS = ("platform", "id", "author", "text", "created_at", "url", "kind", "in_reply_to", "account")
REQUIRED_FIELDS = ("platform", "id", "author", "text", "created_at")


class RecordError(ValueError):
    """A record that cannot be stored; the message says which field and why."""


@dataclass(frozen=True)
class Media:
    """A photo or video attached to a post: where it lives, and a small preview when the platform gives one."""

    type: str
    url: str | None = None
    preview_url: str | None = None
    width: int | None = None
    height: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class PostRecord:
    platform: str
    platform_id: str
    author: str
    text: str
    created_at: datetime
    kind: str = "mention"
    url: str | None = None
    in_reply_to: str | None = None
    account: str | None = None
    author_id: str | None = None
    media: tuple[Media, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def record_from_mapping(data: Mapping[str, Any]) -> PostRecord:
    """Validate one import row and build its record; raises ``RecordError``."""
    if not isinstance(data, Mapping):
        raise RecordError("baris harus berupa objek dengan kolom impor")
    missing = [name for name in REQUIRED_FIELDS if _blank(data.get(name))]
    if missing:
        raise RecordError(f"kolom wajib kosong: {', '.join(missing)}")
    platform = _string(data, "platform", 20).lower()
    if platform not in PLATFORMS:
        raise RecordError(f"platform {platform[:20]!r} tidak dikenal (pilihan: {', '.join(sorted(PLATFORMS))})")
    kind = (_optional(data, "kind", 20) or "mention").lower()
    if kind not in KINDS:
        raise RecordError(f"jenis {kind[:20]!r} tidak dikenal (pilihan: {', '.join(sorted(KINDS))})")
    text = data["text"]
    if not isinstance(text, str):
        raise RecordError("text harus berupa teks")
    if len(text) > MAX_TEXT_CHARS:
        raise RecordError(f"text terlalu panjang: {len(text):,} karakter (maksimal {MAX_TEXT_CHARS:,})")
    text = clean_text(text)
    if not any(not char.isspace() and unicodedata.category(char) != "Cf" for char in text):
        raise RecordError("text kosong")
    url = _optional(data, "url", MAX_URL_CHARS)
    if url and not url.lower().startswith(("https://", "http://")):
        raise RecordError("url harus diawali http:// atau https://")
    account = _optional(data, "account", 64)
    return PostRecord(
        platform=platform,
        platform_id=_string(data, "id", MAX_ID_CHARS),
        author=_string(data, "author", MAX_AUTHOR_CHARS).lstrip("@"),
        text=text,
        created_at=parse_timestamp(data["created_at"]),
        kind=kind,
        url=url,
        in_reply_to=_optional(data, "in_reply_to", MAX_ID_CHARS),
        account=account.lstrip("@").lower() if account else None,
        raw={key: value for key, value in data.items() if key in FIELDS and key != "text"},
    )


def parse_timestamp(value: Any) -> datetime:
    if not isinstance(value, str):
        raise RecordError("created_at harus berupa teks ISO 8601")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(f"created_at {value[:40]!r} bukan tanggal dan jam ISO 8601") from None
    if parsed.tzinfo is None:
        raise RecordError(f"created_at {value[:40]!r} tanpa zona waktu (tambahkan +07:00 atau Z)")
    return parsed


def clean_text(text: str) -> str:
    """NFC-normalise and drop control characters that no post legitimately carries.

    Line breaks and tabs stay; zero-width joiners and direction marks stay too,
    since emoji sequences and mixed scripts need them.
    """
    text = unicodedata.normalize("NFC", text)
    return "".join(char for char in text if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs", "Co"))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _string(data: Mapping[str, Any], name: str, limit: int) -> str:
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RecordError(f"{name} harus berupa teks")
    value = str(value).strip()
    if len(value) > limit:
        raise RecordError(f"{name} lebih dari {limit} karakter")
    return value


def _optional(data: Mapping[str, Any], name: str, limit: int) -> str | None:
    if _blank(data.get(name)):
        return None
    return _string(data, name, limit)
