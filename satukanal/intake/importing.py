"""``satukanal import``: bring in posts from a JSONL or CSV file in the neutral schema.

Every line is judged on its own: a bad line is reported with its number and
reason, and never costs a valid one. The posts stored are scored by the ids
storing returned, then whatever else waits is scored too, so an import killed
while scoring is finished by the next one, even when that one adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from monitor import read_import_file
from satukanal.db import refresh_statistics
from satukanal.intake.service import existing_ids, store_records

if TYPE_CHECKING:
    from satukanal.wiring import App

BATCH = 500
SOURCE = "import"
LARGE_IMPORT = 10_000
"""Posts added at once after which the planner's statistics are refreshed (``db.refresh_statistics``)."""
STORING = "Menyimpan"
SCORING = "Menilai"

Progress = Callable[[str, int, int | None], None]
"""Told (phase, how many done in it, how many in all when known) after each batch: ``STORING``, then ``SCORING``."""


def _silent(phase: str, done: int, total: int | None) -> None:
    """No progress shown."""


@dataclass
class ImportReport:
    read: int = 0
    added: int = 0
    duplicates: int = 0
    scored: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def nothing_read(self) -> bool:
        return self.read == 0


def import_file(
    app: App, path: Path, file_format: str | None = None, dry_run: bool = False, progress: Progress = _silent
) -> ImportReport:
    """Store every valid, new line, then score what waits; report each bad line. ``dry_run`` validates and
    counts only. ``app`` gives the sessions, the handles that are ours and the model."""
    report = ImportReport()
    seen: set[tuple[str, str]] = set()
    added: list[int] = []
    lines = read_import_file(path, file_format)
    while chunk := list(islice(lines, BATCH)):
        numbers = [line.line for line in chunk if line.record is not None]
        records = [line.record for line in chunk if line.record is not None]
        report.errors.extend((line.line, line.error or "tidak terbaca") for line in chunk if line.record is None)
        if dry_run:
            with app.sessions() as session:
                stored = existing_ids(session, records)
            report.read += len(records)
            for record in records:
                key = (record.platform, record.platform_id)
                report.duplicates += key in stored or key in seen
                report.added += key not in stored and key not in seen
                seen.add(key)
            continue
        with app.sessions.begin() as session:
            result = store_records(session, records, SOURCE, app.own_handles)
        report.read += len(records) - len(result.refused)
        report.added += result.added
        report.duplicates += result.duplicates
        added.extend(result.added_ids)
        progress(STORING, report.read + len(report.errors), None)
        report.errors.extend((numbers[index], reason) for index, reason in result.refused)
    report.errors.sort()
    if not dry_run:
        scored = app.score_posts(added, progress=lambda done: progress(SCORING, done, len(added)))
        report.scored = scored + app.score_pending()
    if len(added) >= LARGE_IMPORT:  # after scoring, so the statistics of the posts' flags are current too
        refresh_statistics(app.engine)
    return report
