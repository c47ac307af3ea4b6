"""ISO weeks (Monday to Sunday) in the office's time zone, and how Indonesians write them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from babel.dates import format_date

LOCALE = "id_ID"
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Week:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """``2026-W47`` (or ``2026W47``); raises ``ValueError`` naming the expected form."""
        match = _WEEK.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} bukan pekan ISO seperti 2026-W47")
        year, week = int(match.group(1)), int(match.group(2))
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValueError(f"tahun {year} tidak punya pekan ke-{week}") from None
        return cls(year, week)

    @classmethod
    def containing(cls, day: date) -> Week:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """Start (inclusive) and end (exclusive) of the week as aware datetimes."""
        start = datetime.combine(self.monday, time.min, tzinfo=zone)
        return start, start + timedelta(days=7)

    def shifted(self, weeks: int) -> Week:
        return Week.containing(self.monday + timedelta(weeks=weeks))

    def is_over(self, now: datetime, zone: tzinfo) -> bool:
        return now >= self.bounds(zone)[1]

    def __str__(self) -> str:
        return self.label


def last_complete_week(now: datetime, zone: tzinfo) -> Week:
    return Week.containing(now.astimezone(zone).date()).shifted(-1)


def format_day(day: date) -> str:
    """``Senin, 23 November 2026``."""
    return format_date(day, "EEEE, d MMMM y", locale=LOCALE)


def format_period(first: date, last: date) -> str:
    """``16–22 November 2026``, ``30 November – 6 Desember 2026``, across years in full."""
    if first.year != last.year:
        return f"{format_date(first, 'd MMMM y', locale=LOCALE)} – {format_date(last, 'd MMMM y', locale=LOCALE)}"
    if first.month != last.month:
        return f"{format_date(first, 'd MMMM', locale=LOCALE)} – {format_date(last, 'd MMMM y', locale=LOCALE)}"
    return f"{first.day}–{format_date(last, 'd MMMM y', locale=LOCALE)}"
