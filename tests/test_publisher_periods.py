from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from publisher import Week, format_day, format_period, last_complete_week

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_iso_week_runs_monday_to_sunday_in_jakarta():
    week = Week.parse("2026-W47")
    assert (week.monday, week.sunday) == (date(2026, 11, 16), date(2026, 11, 22))
    start, end = week.bounds(JAKARTA)
    assert start == datetime(2026, 11, 15, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 22, 17, 0, tzinfo=UTC)
    assert week.label == "2026-W47" and str(week.shifted(-1)) == "2026-W46"


def test_week_boundaries_follow_the_office_time_zone():
    sunday_night_utc = datetime(2026, 11, 22, 16, 59, tzinfo=UTC)  # 23:59 Sunday in Jakarta
    monday_early_utc = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # 00:00 Monday in Jakarta
    assert not Week(2026, 47).is_over(sunday_night_utc, JAKARTA)
    assert Week(2026, 47).is_over(monday_early_utc, JAKARTA)
    assert last_complete_week(monday_early_utc, JAKARTA) == Week(2026, 47)
    assert last_complete_week(sunday_night_utc, JAKARTA) == Week(2026, 46)


def test_weeks_across_the_new_year():
    assert Week.parse("2026-W01").monday == date(2025, 12, 29)
    assert Week(2026, 1).shifted(-1) == Week(2025, 52)
    assert Week.parse("2026W53") == Week(2026, 53)


@pytest.mark.parametrize("text", ["2026-47", "W47", "2026-W00", "2025-W53", "next week"])
def test_malformed_weeks_are_refused(text):
    with pytest.raises(ValueError):
        Week.parse(text)


def test_dates_and_periods_in_indonesian():
    assert format_day(date(2026, 11, 23)) == "Senin, 23 November 2026"
    assert format_period(date(2026, 11, 16), date(2026, 11, 22)) == "16–22 November 2026"
    assert format_period(date(2026, 11, 30), date(2026, 12, 6)) == "30 November – 6 Desember 2026"
    assert format_period(date(2025, 12, 29), date(2026, 1, 4)) == "29 Desember 2025 – 4 Januari 2026"
