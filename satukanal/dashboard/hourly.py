"""Reading the hourly counts (``satukanal.dashboard.models``) for a list of days.

The office's days start at midnight in its time zone. For a zone a whole number of hours from UTC every day
is a run of whole hours, so a day's count is the sum of its hours' counts, and the database adds them up:
``(hour - first hour) // hours a day`` numbers the days of a run of equally long days (all of them in
Indonesia; a day that daylight saving time makes 23 or 25 hours long is a run of its own). A zone a half or
quarter of an hour from UTC cuts hours in two: ``runs`` says so (None) and the caller counts the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from sqlalchemy import ColumnElement, Integer, and_, literal_column

SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class Run:
    """Consecutive days of ``length`` hours each, the first of them starting at ``hour``."""

    first: int
    """The index of its first day among the days asked for."""
    hour: int
    length: int
    days: int

    def day(self, hour: ColumnElement[int]) -> ColumnElement[int]:
        """The index of the day (among the days asked for) holding ``hour``, an hour of this run."""
        start, length, first = (literal_column(str(value), Integer) for value in (self.hour, self.length, self.first))
        return (hour - start) // length + first

    def holds(self, hour: ColumnElement[int]) -> ColumnElement[bool]:
        return and_(hour >= self.hour, hour < self.hour + self.length * self.days)


def runs(bounds: list[datetime]) -> list[Run] | None:
    """The days between consecutive ``bounds`` as runs of equally long days; None when a bound is not a
    whole hour of UTC."""
    hours = []
    for bound in bounds:
        seconds = bound.timestamp()
        if seconds % SECONDS_PER_HOUR:
            return None
        hours.append(int(seconds) // SECONDS_PER_HOUR)
    found: list[Run] = []
    for index, (start, end) in enumerate(pairwise(hours)):
        if found and found[-1].length == end - start:
            last = found[-1]
            found[-1] = Run(last.first, last.hour, last.length, last.days + 1)
        else:
            found.append(Run(index, start, end - start, 1))
    return found
