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
from dataclasses import dataclass, field
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
