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

    A file with bad lines, or one that cannot be read at all, is moved into
    ``rejected/`` beside a report (``NAME.errors.txt``) naming each bad line
    and why, once its good lines are stored: the caller stores a page before
    asking for the next, and the move happens then. A fixed file put back
    into the folder is read again; what it stored before is skipped.

    Such a file's cursor carries ``REJECTED_MARK``, so it is never taken as
    read while it lies in the folder: put back unmended, or left behind by a
    run that stopped between storing its page and moving it, it is read
    again (its good lines are already stored) and set aside again.
    """

    REJECTED = "rejected"
    REJECTED_MARK = ":rejected"

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.folder = folder

    @property
    def rejected_folder(self) -> Path:
        return self.folder / self.REJECTED

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
            cursor = digest + self.REJECTED_MARK if errors else digest
            yield Page(records=records, cursor_key=path.name, cursor_value=cursor, errors=errors)
            if errors:
                self._set_aside(path, digest, errors)

    def check(self) -> list[str]:
        """What the folder holds now: files waiting to be read and files set aside."""
        if not self.folder.is_dir():
            return [f"folder {self.folder} belum ada; dibuat saat berkas pertama ditaruh"]
        waiting = sum(1 for path in self.folder.iterdir() if path.is_file() and path.suffix.lower() in FORMATS)
        lines = [f"folder {self.folder}: {waiting} berkas impor"]
        rejected = self.rejected_files()
        if rejected:
            lines.append(f"ditolak, menunggu diperbaiki di {self.rejected_folder}: {', '.join(rejected)}")
        return lines

    def rejected_files(self) -> list[str]:
        """Names of the files waiting in ``rejected/`` for a person to mend them."""
        if not self.rejected_folder.is_dir():
            return []
        return sorted(
            path.name for path in self.rejected_folder.iterdir() if path.is_file() and path.suffix.lower() in FORMATS
        )

    def _set_aside(self, path: Path, digest: str, errors: list[str]) -> None:
        self.rejected_folder.mkdir(exist_ok=True)
        target = self.rejected_folder / path.name
        if target.exists():
            target = target.with_name(f"{path.stem}-{digest[:8]}{path.suffix}")
        report = target.with_name(target.name + ".errors.txt")
        report.write_text(
            f"{path.name}: {len(errors)} baris ditolak; baris lain sudah tersimpan.\n"
            "Perbaiki baris di bawah ini, lalu taruh berkas ini kembali di folder impor.\n\n"
            + "\n".join(errors)
            + "\n",
            encoding="utf-8",
        )
        path.replace(target)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
