"""The figures a recap reports, computed by the application and handed to the templates."""

from __future__ import annotations

from dataclasses import dataclass, field

from publisher.periods import Month, Week


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class Highlight:
    """A resolved ticket worth telling the public about; ``summary`` is already redacted."""

    number: str
    category: str
    agency: str
    summary: str
    days_to_resolve: float | None


@dataclass(frozen=True)
class WeeklyFigures:
    """A recap's figures; despite the name also a month's, ``week`` then holding the ``Month``."""

    week: Week | Month
    posts_received: int
    flagged: int
    confirmed: int
    rejected: int
    tickets_opened: int
    tickets_resolved: int
    in_progress: int
    median_days_to_resolve: float | None
    overdue: int = 0
    """Open tickets past a LAPOR! deadline (working-day clocks) at the end of the week."""
    by_platform: list[Count] = field(default_factory=list)
    by_status: list[Count] = field(default_factory=list)
    by_agency: list[Count] = field(default_factory=list)
    by_category: list[Count] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    previous: dict[str, int] = field(default_factory=dict)

    def change(self, name: str) -> int | None:
        """This week's figure minus last week's, or None when last week is unknown."""
        if name not in self.previous:
            return None
        return getattr(self, name) - self.previous[name]
