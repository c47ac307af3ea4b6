"""``satukanal import``: bring in posts from a JSONL or CSV file in the neutral schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from monitor import partition, read_import_file
from satukanal.ingest import existing_ids, store_records
from satukanal.wiring import App

BATCH = 500
SOURCE = "import"


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


def import_file(app: App, path: Path, file_format: str | None = None, dry_run: bool = False) -> ImportReport:
    """Store every valid, new line; report each bad line. ``dry_run`` validates and counts only."""
    report = ImportReport()
    seen: set[tuple[str, str]] = set()
    lines = read_import_file(path, file_format)
    while chunk := list(islice(lines, BATCH)):
        records, refused = partition(chunk)
        report.read += len(records)
        report.errors.extend((line.line, line.error or "unreadable") for line in refused)
        if dry_run:
            with app.sessions() as session:
                stored = existing_ids(session, records)
            for record in records:
                key = (record.platform, record.platform_id)
                report.duplicates += key in stored or key in seen
                report.added += key not in stored and key not in seen
                seen.add(key)
            continue
        with app.sessions.begin() as session:
            result = store_records(session, records, SOURCE, app.own_handles)
        report.added += result.added
        report.duplicates += result.duplicates
    if report.added and not dry_run:
        report.scored = app.score_pending()
    return report
