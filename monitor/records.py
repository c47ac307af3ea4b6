"""The neutral post record every source produces, and its validation.

The import schema (JSONL or CSV) is this record's field list:

==============  ========  ====================================================
field           required  meaning
==============  ========  ====================================================
platform        yes       one of ``PLATFORMS``
id              yes       the platform's id of the item, unique per platform
author          yes       handle or name of the author (a leading @ is dropped)
text            yes       the text, at most ``MAX_TEXT_CHARS`` characters
created_at      yes       ISO 8601 with a zone offset, e.g. 2026-11-23T08:15:00+07:00,
                          from 2000 until a day after the import
url             no        link to the item on its platform (http or https)
kind            no        one of ``KINDS``; default ``mention``
in_reply_to     no        id of the item this one answers, on the same platform
account         no        the watched account the item is aimed at
==============  ========  ====================================================
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

PLATFORMS = frozenset({"x", "instagram", "facebook", "tiktok", "whatsapp", "sms", "phone", "email", "web"})
KINDS = frozenset({"mention", "tag", "comment", "dm", "reply", "post", "quote"})
MAX_TEXT_CHARS = 25_000
MAX_ID_CHARS = 64
MAX_AUTHOR_CHARS = 100
MAX_URL_CHARS = 500
MAX_INT_BITS = 212  # an integer id of at most 64 digits
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)  # a device clock a little ahead is fine; a post from 2099 is not
BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_PRIVATE_USE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_PRIVATE_USE}]")
"""Unicode's categories Cc (control) and Co (private use), as one character class: a regular expression
scans a text in C, where asking ``unicodedata.category`` of each character took most of an import's reading."""
_OVERRIDES = re.compile(f"[{''.join(sorted(BIDI_OVERRIDES))}]")
_DROPPED = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_PRIVATE_USE}{''.join(sorted(BIDI_OVERRIDES))}]")
"""What ``clean_text`` drops: Cc except tab and line feed, Cs (lone surrogates), Co, and the overrides."""
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
    """Validate one import row and build its record; raises ``RecordError`` naming the field and the reason.

    Every field is checked here, at the boundary, so nothing that reaches the
    database can fail there: bounded lengths and id sizes, no control
    characters, NUL or lone surrogates in single-line fields, a creation time
    between ``EARLIEST`` and a day from now.
    """
    if not isinstance(data, Mapping):
        raise RecordError("baris harus berupa objek dengan kolom impor")
    missing = [name for name in REQUIRED_FIELDS if _blank(data.get(name))]
    if missing:
        raise RecordError(f"kolom wajib kosong: {', '.join(missing)}")
    platform = _string(data, "platform", 20).lower()
    if platform not in PLATFORMS:
        raise RecordError(f"platform {platform!r} tidak dikenal (pilihan: {', '.join(sorted(PLATFORMS))})")
    kind = (_optional(data, "kind", 20) or "mention").lower()
    if kind not in KINDS:
        raise RecordError(f"jenis {kind!r} tidak dikenal (pilihan: {', '.join(sorted(KINDS))})")
    text = data["text"]
    if not isinstance(text, str):
        raise RecordError("text harus berupa teks")
    if len(text) > MAX_TEXT_CHARS:
        raise RecordError(f"text terlalu panjang: {len(text):,} karakter (maksimal {MAX_TEXT_CHARS:,})")
    text = clean_text(text)
    if not _visible(text):
        raise RecordError("text kosong")
    author = _string(data, "author", MAX_AUTHOR_CHARS).lstrip("@").strip()
    if not _visible(author):
        raise RecordError("author kosong setelah tanda @ dan karakter tak terlihat dibuang")
    url = _optional(data, "url", MAX_URL_CHARS)
    if url and not _web_address(url):
        raise RecordError("url harus diawali http:// atau https:// dan menyebut alamat situs")
    account = _optional(data, "account", 64)
    platform_id = _string(data, "id", MAX_ID_CHARS)
    if not _visible(platform_id):
        raise RecordError("id kosong (hanya karakter tak terlihat)")
    return PostRecord(
        platform=platform,
        platform_id=platform_id,
        author=author,
        text=text,
        created_at=parse_timestamp(data["created_at"]),
        kind=kind,
        url=url,
        in_reply_to=_optional(data, "in_reply_to", MAX_ID_CHARS),
        account=account.lstrip("@").lower() if account else None,
        raw={key: _plain(value) for key, value in data.items() if key in FIELDS and key != "text"},
    )


def parse_timestamp(value: Any) -> datetime:
    """An ISO 8601 time with its zone, between ``EARLIEST`` and ``FUTURE_SLACK`` from now."""
    if not isinstance(value, str) or len(value) > 40 or has_control(value):
        raise RecordError("created_at harus berupa teks ISO 8601, misalnya 2026-11-23T08:15:00+07:00")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(f"created_at {value!r} bukan tanggal dan jam ISO 8601 yang ada") from None
    if parsed.tzinfo is None:
        raise RecordError(f"created_at {value!r} tanpa zona waktu (tambahkan +07:00 atau Z)")
    try:
        moment = parsed.astimezone(UTC)
    except OverflowError:
        raise RecordError(f"created_at {value!r} di luar rentang tanggal") from None
    latest = datetime.now(UTC) + FUTURE_SLACK
    if not EARLIEST <= moment <= latest:
        raise RecordError(
            f"created_at {value!r} di luar rentang {EARLIEST:%Y-%m-%d} sampai {latest:%Y-%m-%d} (jam perangkat salah?)"
        )
    return parsed


def clean_text(text: str) -> str:
    """NFC-normalise and drop what no post legitimately carries: control characters, lone surrogates,
    private-use characters, and the bidirectional overrides that can make a name or a sentence read
    as something else on screen.

    Line breaks and tabs stay; zero-width joiners and the plain direction marks (LRM, RLM) stay too,
    since emoji sequences and mixed scripts need them.
    """
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub("", text)
    return _DROPPED.sub("", unicodedata.normalize("NFC", text))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _visible(text: str) -> bool:
    return any(not char.isspace() and unicodedata.category(char) != "Cf" for char in text)


def _string(data: Mapping[str, Any], name: str, limit: int) -> str:
    """A single-line field: text, or a whole number (ids); bounded, no control characters or overrides."""
    value = data[name]
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > MAX_INT_BITS:
            raise RecordError(f"{name} lebih dari {limit} karakter")
        value = str(value)
    if not isinstance(value, str):
        raise RecordError(f"{name} harus berupa teks")
    if len(value) > limit * 4:
        raise RecordError(f"{name} lebih dari {limit} karakter")
    if _LONE_SURROGATE.search(value):
        raise RecordError(f"{name} bukan teks Unicode yang sah")
    if has_control(value):
        raise RecordError(f"{name} memuat karakter kendali (misalnya NUL atau baris baru)")
    value = _OVERRIDES.sub("", unicodedata.normalize("NFC", value)).strip()
    if len(value) > limit:
        raise RecordError(f"{name} lebih dari {limit} karakter")
    return value


def _optional(data: Mapping[str, Any], name: str, limit: int) -> str | None:
    if _blank(data.get(name)):
        return None
    value = _string(data, name, limit)
    return value if _visible(value) else None


def has_control(value: str) -> bool:
    return _CONTROL.search(value) is not None


def _web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and " " not in url


def _plain(value: Any) -> Any:
    """A raw field as JSON can store it: ints beyond JSON's safe range become text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value
