"""The period a list is filtered by (``?dari=…&sampai=…``), read from the query string.

A date the service could never have seen is refused like a malformed one:
the year 1 or 9999 overflows when turned into a time in the office's zone.
The page then still renders, at status 400, with the message beside the
field and the bad date left out of the filter, as the GOV.UK Design System
asks of a form with an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
LABELS = {"dari": "Tanggal dari", "sampai": "Tanggal sampai"}


@dataclass(frozen=True)
class Period:
    since: date | None
    until: date | None
    errors: dict[str, str]
    """Field name (``dari``, ``sampai``) to the message shown beside it."""

    def moments(self, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
        """The period in ``zone`` as [start, end): 00:00 of ``since``, 00:00 after ``until``; None where open."""
        start = datetime.combine(self.since, time(), zone) if self.since else None
        end = datetime.combine(self.until + timedelta(days=1), time(), zone) if self.until else None
        return start, end


def requested_period(args: Mapping[str, str]) -> Period:
    """``dari`` and ``sampai`` (inclusive); an empty, malformed or out-of-range one is None."""
    dates, errors = {}, {}
    for name, label in LABELS.items():
        dates[name], error = _read(args.get(name, "").strip(), label)
        if error:
            errors[name] = error
    return Period(dates["dari"], dates["sampai"], errors)


def _read(text: str, label: str) -> tuple[date | None, str | None]:
    if not text:
        return None, None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return None, f"{label} tidak sah: tulis tahun-bulan-tanggal, misalnya 2026-11-16."
    if not EARLIEST <= value <= LATEST:
        return None, f"{label} harus antara {EARLIEST:%d-%m-%Y} dan {LATEST:%d-%m-%Y}."
    return value, None
