"""Where publications go. A channel publishes one rendered item and says where it went.

Every channel can also look for an item it already published, so a
publication interrupted between the platform's acceptance and the ledger
write is found on restart instead of being posted twice.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol


class PublishError(Exception):
    """A channel refused or failed to publish.

    ``retryable`` says whether trying again may help (server errors, rate
    limits, network trouble) or not (credentials, content refused);
    ``retry_after`` is how many seconds the platform asked us to wait, when it said.
    """

    def __init__(self, message: str, retryable: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


REPLY_TO_FILE = "in-reply-to.txt"
"""In an item that answers a citizen: the platform's id of the post it answers (its first tweet replies to it)."""
REPLY_TARGET_FILE = "reply-target.json"
"""In an Instagram reply: what it answers (``ReplyTarget``), as JSON."""
THREAD_FILE = "x-thread.json"
"""An item's text for X: a thread, as ``thread_file`` writes it."""
CAPTION_FILE = "instagram-caption.txt"
"""An item's text for Instagram: a recap's caption."""
REPLY_TEXT_FILE = CAPTION_FILE
"""In an Instagram reply: its text (named like a recap's caption, so a draft's text is edited the same way)."""
INSTAGRAM_COMMENT_LIMIT = 2200
"""The most characters Instagram takes in a comment (and a direct message here)."""
MESSAGE_WINDOW = timedelta(hours=24)
"""How long after a person's direct message the account may answer it (Meta's messaging window)."""

COMMENT, MENTIONED_COMMENT, MEDIA, MESSAGE = "comment", "mentioned_comment", "media", "message"


@dataclass(frozen=True)
class ReplyTarget:
    """What an Instagram reply answers, and where.

    ``kind``: a ``comment`` on one of our posts (answered in its thread), a ``mentioned_comment`` (a comment
    elsewhere naming us), a post that mentions or tags us (``media``), or a direct ``message`` (a story mention
    among them), answered by direct message only until ``window_ends``. ``id`` is the platform's id of that
    item; ``media_id`` the post a comment belongs to; ``recipient`` the sender's id and ``thread_id`` the
    conversation, for a message.
    """

    kind: str
    id: str
    media_id: str | None = None
    recipient: str | None = None
    thread_id: str | None = None
    window_ends: datetime | None = None

    def to_json(self) -> str:
        fields = {key: value for key, value in asdict(self).items() if value is not None}
        if self.window_ends is not None:
            fields["window_ends"] = self.window_ends.isoformat()
        return json.dumps(fields, sort_keys=True) + "\n"

    @classmethod
    def of(cls, item: Item) -> ReplyTarget | None:
        """The target an item answers; None for an item that answers nobody (a recap)."""
        content = item.files.get(REPLY_TARGET_FILE)
        if content is None:
            return None
        try:
            fields = json.loads(content)
            ends = fields.pop("window_ends", None)
            return cls(**fields, window_ends=datetime.fromisoformat(ends) if ends else None)
        except (ValueError, TypeError) as exc:
            raise PublishError(f"{item.key}: {REPLY_TARGET_FILE} tidak dapat dibaca ({exc})") from None

    def window_closed(self, now: datetime) -> str | None:
        """Why a direct message may no longer be sent, or None while it may."""
        if self.kind != MESSAGE or self.window_ends is None or now < self.window_ends:
            return None
        return (
            "jendela 24 jam untuk membalas pesan langsung sudah lewat (berakhir "
            f"{self.window_ends:%Y-%m-%d %H:%M} UTC); Instagram hanya mengizinkan balasan pesan dalam 24 jam "
            "setelah pesan warga, jadi balasan ini tidak dikirim. Tolak drafnya; bila warga perlu dijawab, "
            "hubungi lewat saluran lain."
        )

    def reply_text(self, item: Item) -> str:
        """The reply's text, held to Instagram's rules; raises ``PublishError``."""
        text = item.files.get(REPLY_TEXT_FILE)
        if text is None:
            raise PublishError(f"{item.key} tidak memuat {REPLY_TEXT_FILE}")
        text = (text.decode("utf-8") if isinstance(text, bytes) else text).strip()
        if not text:
            raise PublishError(f"{item.key}: balasan kosong")
        if len(text) > INSTAGRAM_COMMENT_LIMIT:
            raise PublishError(
                f"balasan {item.key} {len(text)} karakter, melebihi batas Instagram {INSTAGRAM_COMMENT_LIMIT}"
            )
        return text


@dataclass(frozen=True)
class Item:
    """A rendered publication: ``key`` names it (e.g. ``weekly-2026-W47``), ``files`` are its parts."""

    key: str
    files: dict[str, str | bytes] = field(default_factory=dict)


class Channel(Protocol):
    name: str

    def find_published(self, item: Item) -> list[str] | None:
        """Remote ids of ``item`` if this channel already has it, else None."""

    def publish(self, item: Item) -> list[str]:
        """Publish ``item``; return its remote ids. Raises ``PublishError``."""


class OutboxChannel:
    """Writes each item into its own folder ``OUTBOX/<key>/``, all files at once or none."""

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def find_published(self, item: Item) -> list[str] | None:
        target = self.folder / item.key
        if not target.is_dir():
            return None
        return [str(target / name) for name in sorted(item.files) if (target / name).exists()]

    def publish(self, item: Item) -> list[str]:
        target = self.folder / item.key
        if target.exists():
            raise PublishError(f"{target} sudah ada; outbox tidak pernah menimpa publikasi")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=self.folder, prefix=f".{item.key}."))
            try:
                for name, content in item.files.items():
                    data = content if isinstance(content, bytes) else content.encode("utf-8")
                    (staging / name).write_bytes(data)
                os.replace(staging, target)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        except OSError as exc:
            raise PublishError(
                f"tidak dapat menulis ke outbox {self.folder}: {exc.strerror or exc}", retryable=True
            ) from None
        return [str(target / name) for name in sorted(item.files)]


def thread_file(tweets: list[str]) -> str:
    """The outbox form of an X thread: a JSON array of tweet texts."""
    return json.dumps(tweets, ensure_ascii=False, indent=2) + "\n"
