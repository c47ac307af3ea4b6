"""How the dashboard's figures move: against the period before, and week by week.

The period before is as long as the chosen one and ends the day before it
starts, so 16–22 November is compared with 9–15 November. The weekly trend
runs Monday to Sunday, like the weekly recap, over the weeks up to the one
holding the period's last day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from satukanal.config.settings import Settings
from satukanal.dashboard import figures

TREND_WEEKS = 12


@dataclass(frozen=True)
class Change:
    """A figure of the period next to the same figure of the period before."""

    current: float | None
    previous: float | None

    @property
    def direction(self) -> str | None:
        """``naik``, ``turun`` or ``sama``; ``baru`` when there was nothing before; None when either side has
        no value (a median without a single ticket)."""
        if self.current is None or self.previous is None:
            return None
        if self.current == self.previous:
            return "sama"
        if self.previous == 0:
            return "baru"
        return "naik" if self.current > self.previous else "turun"

    @property
    def ratio(self) -> float | None:
        """How much it moved, as a fraction of the value before (0.12 for 12 %); None for ``baru`` and None."""
        if self.direction in ("naik", "turun", "sama"):
            return abs(self.current - self.previous) / self.previous if self.previous else 0.0
        return None


@dataclass(frozen=True)
class WeekMedians:
    monday: date
    hours_to_confirm: float | None
    days_to_resolve: float | None


def previous_period(since: date, until: date) -> tuple[date, date]:
    """The days just before ``since`` to ``until``, as many of them."""
    length = until - since + timedelta(days=1)
    return since - length, since - timedelta(days=1)


def weekly_medians(
    session: Session, settings: Settings, last_day: date, agency: str | None = None, weeks: int = TREND_WEEKS
) -> list[WeekMedians]:
    """The median hours to confirm and days to resolve (``figures.medians``) of each of the ``weeks`` weeks up
    to the one holding ``last_day``, oldest first; ``agency`` narrows the days to resolve to its tickets."""
    last_monday = last_day - timedelta(days=last_day.weekday())
    mondays = [last_monday - timedelta(weeks=n) for n in reversed(range(weeks))]
    starts = [*mondays, last_monday + timedelta(weeks=1)]
    return [
        WeekMedians(monday, *pair)
        for monday, pair in zip(mondays, figures.medians_per_period(session, settings, starts, agency), strict=True)
    ]
