"""How the dashboard's figures move: against the period before, and week by week."""

from datetime import date, datetime, timedelta

import pytest

from satukanal.dashboard.figures import medians
from satukanal.dashboard.trends import TREND_WEEKS, Change, previous_period, weekly_medians
from satukanal.review.service import confirm
from tests.factories import COMPLAINT, add_posts, record


def hours_after(text: str, hours: int) -> datetime:
    return datetime.fromisoformat(f"{text}+07:00") + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("since", "until"), [(date(2026, 11, 16), date(2026, 11, 22)), (date(2026, 3, 1), date(2026, 3, 31))]
)
def test_the_period_before_is_as_long_and_ends_the_day_before(since, until):
    first, last = previous_period(since, until)
    assert last == since - timedelta(days=1) and last - first == until - since


@pytest.mark.parametrize(
    ("current", "previous", "direction", "ratio"),
    [(12, 8, "naik", 0.5), (6, 8, "turun", 0.25), (8, 8, "sama", 0), (0, 0, "sama", 0), (3, 0, "baru", None)],
)
def test_a_change_says_which_way_and_by_how_much_of_the_value_before(current, previous, direction, ratio):
    change = Change(current, previous)
    assert change.direction == direction and change.ratio == ratio


def test_a_median_without_a_value_on_either_side_is_not_compared():
    assert Change(None, 2.5).direction is None and Change(2.5, None).ratio is None


def test_the_weekly_medians_are_each_weeks_medians_up_to_the_periods_last_week(app):
    first, second = add_posts(
        app,
        record(id="1", text=COMPLAINT, created_at="2026-11-16T08:00:00+07:00"),
        record(id="2", text="Jalan rusak parah di Kec. Jenu", created_at="2026-11-02T08:00:00+07:00"),
    )
    with app.sessions.begin() as session:
        confirm(session, app.settings, first, "m", now=hours_after("2026-11-16T08:00:00", 5))
        confirm(session, app.settings, second, "m", now=hours_after("2026-11-02T08:00:00", 30))
    with app.sessions() as session:
        weeks = weekly_medians(session, app.settings, date(2026, 11, 19))
        assert len(weeks) == TREND_WEEKS and weeks[-1].monday == date(2026, 11, 16)
        assert [week.monday.weekday() for week in weeks] == [0] * TREND_WEEKS
        assert [week.monday for week in weeks] == [weeks[0].monday + timedelta(weeks=n) for n in range(TREND_WEEKS)]
        for week in weeks:
            expected = medians(session, app.settings, week.monday, week.monday + timedelta(days=6))
            assert (week.hours_to_confirm, week.days_to_resolve) == expected
    assert [week.hours_to_confirm for week in weeks if week.hours_to_confirm is not None] == [30, 5]
