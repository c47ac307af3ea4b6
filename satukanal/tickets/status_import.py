"""Status updates from LAPOR! as CSV: tracking ID, status, date, note — applied row by row with a report.

Regional admins read statuses off the portal; this lets them bring many
updates over at once. Each row is applied in its own savepoint, so a bad row
is reported and skipped while the good ones land.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from satukanal.models import Ticket
from satukanal.tickets.lifecycle import parse_status
from satukanal.tickets.service import TicketError, parse_lapor_id, set_status

COLUMNS = ("nomor_lapor", "status", "tanggal", "catatan")
MAX_ROWS = 5_000
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


class StatusImportError(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class RowOutcome:
    line: int
    lapor_id: str
    ticket: str | None
    message: str
    applied: bool


def import_status_updates(
    session: Session, content: bytes, actor: str, zone: ZoneInfo, now: datetime
) -> list[RowOutcome]:
    """Apply every row of a UTF-8 CSV (BOM allowed, ``,`` or ``;``); one outcome per data row."""
    rows = _rows(content)
    return [_apply(session, line, row, actor, zone, now) for line, row in rows]


def _rows(content: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatusImportError("berkas bukan teks UTF-8") from None
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text.strip() else ",", delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS[:2] if name not in header]
    if missing:
        raise StatusImportError(f"kolom wajib tidak ada: {', '.join(missing)} (kolom: {', '.join(COLUMNS)})")
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if len(rows) == MAX_ROWS:
                raise StatusImportError(f"lebih dari {MAX_ROWS} baris; bagi berkasnya")
            rows.append((reader.line_num, {key: (value or "").strip() for key, value in row.items() if key}))
    except csv.Error as exc:
        raise StatusImportError(f"baris {reader.line_num}: CSV rusak ({exc})") from None
    return rows


def _apply(session: Session, line: int, row: dict[str, str], actor: str, zone: ZoneInfo, now: datetime) -> RowOutcome:
    raw_id = row.get("nomor_lapor", "")
    try:
        lapor_id = parse_lapor_id(raw_id)
        status = parse_status(row.get("status", ""))
        when = _when(row.get("tanggal", ""), zone, now)
    except (TicketError, ValueError) as exc:
        return RowOutcome(line, raw_id, None, str(exc), applied=False)
    ticket = session.scalar(select(Ticket).where(Ticket.lapor_id == lapor_id))
    if ticket is None:
        return RowOutcome(line, lapor_id, None, f"tidak ada tiket dengan LAPOR! #{lapor_id}", applied=False)
    if when < ticket.status_changed_at:
        message = f"tanggal lebih awal dari perubahan terakhir {ticket.number}; tidak diubah"
        return RowOutcome(line, lapor_id, ticket.number, message, applied=False)
    if ticket.status == status.value:
        return RowOutcome(line, lapor_id, ticket.number, f"sudah {status.label}; tidak diubah", applied=False)
    try:
        with session.begin_nested():
            set_status(session, ticket.number, status, actor, note=row.get("catatan") or None, now=when)
    except TicketError as exc:
        return RowOutcome(line, lapor_id, ticket.number, str(exc), applied=False)
    return RowOutcome(line, lapor_id, ticket.number, f"menjadi {status.label}", applied=True)


def _when(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """The update's date (noon, office time), or now when the row has none; never in the future."""
    if not text:
        return now
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(text, pattern).date()
            break
        except ValueError:
            continue
    else:
        raise ValueError(f"tanggal {text!r} tidak dikenali (pakai TTTT-BB-HH atau HH-BB-TTTT)")
    when = datetime.combine(day, time(12), zone)
    if day > now.astimezone(zone).date():
        raise ValueError(f"tanggal {day:%d-%m-%Y} ada di masa depan")
    return min(when, now)
