"""Collection sources and the page protocol they share.

A source yields ``Page`` objects; the caller stores each page's records and
its cursor in one transaction, so an interrupted run resumes after the last
stored page (the pattern of dogsheep/twitter-to-sqlite).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from monitor.importfile import FORMATS, ImportFileError, partition, read_import_file
from monitor.records import PostRecord


@dataclass(frozen=True)
class Page:
    """Records fetched together, and the cursor to store once they are saved."""

    records: list[PostRecord]
    cursor_key: str
    cursor_value: str
    errors: list[str] = field(default_factory=list)


class Source(Protocol):
    name: str

    def pages(self, cursors: Mapping[str, str]) -> Iterator[Page]:
        """Yield what is new since ``cursors`` (this source's key → value)."""


class PlatformSource(Source, Protocol):
    """A source reading a platform's API (X, Instagram)."""

    def check(self) -> list[str]:
        """Ask the platform once whether this source can read; what it found, as lines. Raises ``SourceError``."""


class ImportFolderSource:
    """Watches a folder for JSONL/CSV import files; each file is read once per content.

    The cursor key is the file name and its value the content's SHA-256, so a
    file that changes is read again (the store skips what it already has).
    """

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.folder = folder

    def pages(self, cursors: Mapping[str, str]) -> Iterator[Page]:
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.iterdir()):
            if not path.is_file() or path.suffix.lower() not in FORMATS:
                continue
            digest = _sha256(path)
            if cursors.get(path.name) == digest:
                continue
            try:
                records, refused = partition(read_import_file(path))
                errors = [f"{path.name}:{line.line}: {line.error}" for line in refused]
            except ImportFileError as exc:
                records, errors = [], [str(exc)]
            yield Page(records=records, cursor_key=path.name, cursor_value=digest, errors=errors)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
