"""The dashboard charts' geometry: round ticks that cover the data, columns in proportion, labels at the ends."""

import math
from datetime import date, timedelta

import pytest

from satukanal.dashboard.charts import PLOT_HEIGHT, bar_list, column_chart, nice_ticks, stacked_bar


@pytest.mark.parametrize("highest", [1, 2, 3, 7, 12, 99, 100, 101, 1234, 0.4, 2.5, 26.3])
def test_ticks_start_at_zero_reach_the_highest_value_and_are_few_and_evenly_spaced(highest):
    whole = isinstance(highest, int)
    ticks = nice_ticks(highest, whole)
    steps = {round(after - before, 9) for before, after in zip(ticks, ticks[1:], strict=False)}
    assert 2 <= len(ticks) <= 4 and ticks[0] == 0 and ticks[-1] >= highest > ticks[-2]
    assert len(steps) == 1, "evenly spaced"
    (step,) = steps
    round_steps = [factor * 10**power for factor in (1, 2, 5) for power in range(-3, 5)]
    assert any(math.isclose(step, candidate) for candidate in round_steps), f"a round step, not {step}"
    if whole:
        assert all(tick == int(tick) for tick in ticks), "counts get whole ticks"


def test_nothing_to_show_still_gets_an_axis():
    assert nice_ticks(0) == [0, 1]
    assert column_chart([(date(2026, 11, 16), 0)]).empty


def test_columns_are_in_proportion_to_the_top_tick_and_the_axis_is_labelled_at_both_ends_and_the_middle():
    days = [date(2026, 11, 16) + timedelta(days=n) for n in range(30)]
    values = [n % 7 for n in range(30)]
    chart = column_chart(list(zip(days, values, strict=True)))
    top = chart.ticks[-1].value
    for column, value in zip(chart.columns, values, strict=True):
        assert column.height == pytest.approx(value / top * PLOT_HEIGHT, abs=0.01)
        assert column.y + column.height == PLOT_HEIGHT, "columns stand on the base line"
        assert 0 <= column.x and column.x + column.width <= chart.width
    assert [tick.y for tick in chart.ticks] == sorted((tick.y for tick in chart.ticks), reverse=True)
    assert chart.ticks[0].y == PLOT_HEIGHT and chart.ticks[-1].y == 0
    assert [(label.key, label.anchor) for label in chart.labels] == [
        (days[0], "start"),
        (days[14], "middle"),
        (days[-1], "end"),
    ]
    assert chart.labels[0].x == 0 and chart.labels[-1].x == 100 and 45 < chart.labels[1].x < 55
    assert chart.highest.value == max(values) and chart.highest.key == days[values.index(max(values))]


def test_a_week_without_a_median_has_no_column_and_decimals_are_labelled_as_such():
    weeks = [(date(2026, 11, 2), None), (date(2026, 11, 9), 0.3), (date(2026, 11, 16), 0.1)]
    chart = column_chart(weeks, whole=False)
    assert chart.columns[0].height == 0 and not chart.empty
    assert [tick.value for tick in chart.ticks] == [0, 0.1, 0.2, 0.3] and {tick.places for tick in chart.ticks} == {1}
    assert [label.anchor for label in chart.labels] == ["start", "middle", "end"]


def test_bars_share_the_longest_ones_length_one_row_each():
    chart = bar_list([("Perumda Air Minum Tirta Lestari", 8), ("DLHP", 2), ("BPBD", 0)])
    assert [bar.share for bar in chart.bars] == [100, 25, 0]
    assert [bar.top for bar in chart.bars] == sorted({bar.top for bar in chart.bars}), "a row each, in order"
    assert all(bar.label_y < bar.bar_y < bar.top + chart.height / len(chart.bars) for bar in chart.bars)
    assert bar_list([]).bars == []


def test_a_stacked_bar_puts_the_overdue_part_first_and_the_rest_after_it():
    bar = stacked_bar(6, 2, 8)
    assert bar.overdue == 25 and bar.overdue + bar.rest == 75
    assert stacked_bar(8, 0, 8).rest == 100 and stacked_bar(0, 0, 0).overdue == 0
