"""The geometry of the dashboard's charts, computed here so that the templates only place what they are given.

The page's Content-Security-Policy allows no inline styles, so a bar's length
cannot be a CSS width: every chart is SVG, sized by its attributes.

- A **column chart** (posts per day, medians per week) is drawn in a
  ``viewBox`` ``PLOT_WIDTH`` units per column wide and ``PLOT_HEIGHT`` high,
  stretched to the width of the page (``preserveAspectRatio="none"``). Its
  axis labels are text in their own SVG, placed in percentages of the plot,
  so they keep their size on a phone and on a wide screen.
- A **bar list** (posts per platform, tickets by status) stacks one row per
  item: the label on its own line above the bar, so a long name such as
  "Perumda Air Minum Tirta Lestari" never runs into a bar.
- A **stacked bar** (open tickets per agency) splits a bar into the part past
  a deadline and the rest, each a share of the longest bar.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

PLOT_HEIGHT = 100
"""The column chart's height in viewBox units: a tick's y is also its distance from the top in percent."""
COLUMN_WIDTH = 10
COLUMN_GAP = 2
"""viewBox units between two columns."""
MOST_TICKS = 4
"""The y axis is labelled at 0 and up to three more values, the last one at or above the highest column."""
ROW_HEIGHT = 36
"""Pixels per row of a bar list: a line of label above a bar."""
BAR_THICKNESS = 12
LABEL_BASELINE = 15
"""Pixels from a row's top to its label's baseline; the bar sits below it."""


@dataclass(frozen=True)
class Column:
    key: Hashable
    """What the column stands for: a day, or a week's Monday."""
    value: float | None
    """None where there is nothing to measure (a week without a confirmation); no column is drawn."""
    x: float
    width: float
    height: float

    @property
    def y(self) -> float:
        return PLOT_HEIGHT - self.height

    @property
    def slot_x(self) -> float:
        """Where the column's whole slot starts: the area that shows its tooltip, whatever its height."""
        return self.x - COLUMN_GAP / 2

    @property
    def slot_width(self) -> float:
        return COLUMN_WIDTH


@dataclass(frozen=True)
class Tick:
    value: float
    y: float
    """In viewBox units from the top, which is also the percentage of the plot's height."""
    places: int
    """The decimals its label needs: 0 for 0, 5, 10; 1 for 0, 0.2, 0.4."""


@dataclass(frozen=True)
class AxisLabel:
    key: Hashable
    x: float
    """In percent of the plot's width."""
    anchor: str
    """SVG ``text-anchor``: the first label starts at the left edge, the last ends at the right one."""


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    ticks: list[Tick]
    labels: list[AxisLabel]

    @property
    def width(self) -> int:
        return len(self.columns) * COLUMN_WIDTH

    @property
    def height(self) -> int:
        return PLOT_HEIGHT

    @property
    def empty(self) -> bool:
        return not any(column.value for column in self.columns)

    @property
    def highest(self) -> Column | None:
        """The tallest column (the first of equals), for the chart's description in words."""
        measured = [column for column in self.columns if column.value]
        return max(measured, key=lambda column: column.value) if measured else None


def column_chart(points: Sequence[tuple[Hashable, float | None]], whole: bool = True) -> ColumnChart:
    """Columns for ``points`` (key, value) in their order, a y axis from 0 with 2 to 4 ticks, and labels for the
    first, middle and last keys. ``whole``: the values are counts, so the ticks are whole numbers too."""
    ticks = nice_ticks(max((value or 0 for _, value in points), default=0), whole)
    top, step = ticks[-1], ticks[1]
    places = max(0, -math.floor(math.log10(step)))
    columns = [
        Column(
            key=key,
            value=value,
            x=index * COLUMN_WIDTH + COLUMN_GAP / 2,
            width=COLUMN_WIDTH - COLUMN_GAP,
            height=round(value / top * PLOT_HEIGHT, 2) if value else 0,
        )
        for index, (key, value) in enumerate(points)
    ]
    return ColumnChart(
        columns=columns,
        ticks=[Tick(value, round(PLOT_HEIGHT - value / top * PLOT_HEIGHT, 2), places) for value in ticks],
        labels=_axis_labels([key for key, _ in points]),
    )


def nice_ticks(highest: float, whole: bool = True) -> list[float]:
    """0 and evenly spaced round values (1, 2 or 5 times a power of ten apart) up to the first at or above
    ``highest``: at most ``MOST_TICKS`` in all, at least two (0 and 1 when there is nothing to show)."""
    if highest <= 0:
        return [0, 1]
    magnitude = 10 ** math.floor(math.log10(highest / (MOST_TICKS - 1)))
    steps = (magnitude * factor for factor in (1, 2, 5, 10))  # ten times the magnitude always fits
    step = next(step for step in steps if math.ceil(highest / step - 1e-9) < MOST_TICKS)
    step = max(step, 1) if whole else step
    return [_tidy(step * n) for n in range(math.ceil(highest / step - 1e-9) + 1)]


def _tidy(value: float) -> float:
    """``0.30000000000000004`` → ``0.3``, and whole numbers as ints, so a tick reads as it was meant."""
    value = round(value, 10)
    return int(value) if value == int(value) else value


def _axis_labels(keys: Sequence[Hashable]) -> list[AxisLabel]:
    count = len(keys)
    if count == 0:
        return []
    if count == 1:
        return [AxisLabel(keys[0], 50, "middle")]
    labels = [AxisLabel(keys[0], 0, "start")]
    if count > 2:
        middle = (count - 1) // 2
        labels.append(AxisLabel(keys[middle], round((middle + 0.5) / count * 100, 2), "middle"))
    return [*labels, AxisLabel(keys[-1], 100, "end")]


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float
    """The bar's length in percent of the longest one."""
    top: int
    """Pixels from the chart's top to the row's."""

    @property
    def label_y(self) -> int:
        return self.top + LABEL_BASELINE

    @property
    def bar_y(self) -> int:
        return self.top + LABEL_BASELINE + 5


@dataclass(frozen=True)
class BarList:
    bars: list[Bar]

    @property
    def height(self) -> int:
        return len(self.bars) * ROW_HEIGHT

    @property
    def thickness(self) -> int:
        return BAR_THICKNESS


def bar_list(rows: Sequence[tuple[str, int]]) -> BarList:
    """One row per (label, count), in the given order; the longest bar spans the width."""
    longest = max((value for _, value in rows), default=0) or 1
    return BarList(
        [Bar(label, value, _share(value, longest), index * ROW_HEIGHT) for index, (label, value) in enumerate(rows)]
    )


@dataclass(frozen=True)
class StackedBar:
    overdue: float
    """The overdue part's length in percent of the longest bar; it is drawn first, from the left."""
    rest: float
    """The rest's length in percent; it starts where the overdue part ends."""


def stacked_bar(whole: int, part: int, longest: int) -> StackedBar:
    """A bar of ``whole`` out of ``longest``, of which ``part`` is set apart (overdue, of the open tickets)."""
    overdue = _share(part, longest)
    return StackedBar(overdue, round(_share(whole, longest) - overdue, 2))


def _share(value: float, longest: float) -> float:
    return round(value / longest * 100, 2) if longest else 0
