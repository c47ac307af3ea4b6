"""ISO weeks (Monday to Sunday) and calendar months in the office's time zone, and how Indonesians write them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from babel.dates import format_date

LOCALE = "id_ID"
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


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


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2026-11``; raises ``ValueError`` naming the expected form."""
        match = _MONTH.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"{text!r} bukan bulan seperti 2026-11")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return self.shifted(1).first - timedelta(days=1)

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """Start (inclusive) and end (exclusive) of the month as aware datetimes."""
        return datetime.combine(self.first, time.min, tzinfo=zone), datetime.combine(
            self.shifted(1).first, time.min, tzinfo=zone
        )

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def is_over(self, now: datetime, zone: tzinfo) -> bool:
        return now >= self.bounds(zone)[1]

    def __str__(self) -> str:
        return self.label


def last_complete_month(now: datetime, zone: tzinfo) -> Month:
    return Month.containing(now.astimezone(zone).date()).shifted(-1)


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
