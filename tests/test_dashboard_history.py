"""A period's figures over seven weeks of history: every week, a month, a running period and an agency's
tickets, each held against the same figures computed from every row in Python (``tests.figures_helpers``);
and the edges of a period (midnight in Tuban, a status change at the very end) told apart."""

from datetime import date, time, timedelta

import pytest

from satukanal.dashboard.figures import medians, period_figures
from satukanal.dashboard.received import DAYS_PER_QUERY
from satukanal.dashboard.service import COMPARED, dashboard
from satukanal.dashboard.trends import previous_period
from satukanal.intake.service import store_records
from satukanal.publishing.recap import CALENDAR
from tests.factories import record
from tests.figures_helpers import WEEKS, fill_edges, fill_history, reference_figures, tuban

PERIODS = [
    *((week.monday, week.sunday) for week in WEEKS),
    (date(2026, 10, 26), date(2026, 11, 8)),
    (date(2026, 11, 1), date(2026, 11, 30)),
    (WEEKS[0].monday, WEEKS[-1].sunday),
    (date(2025, 12, 1), date(2027, 1, 31)),
]
"""Every week, two weeks across a month's end, November, the whole history, and more days than one statement
counts (``received.DAYS_PER_QUERY``)."""


@pytest.fixture
def history(app):
    fill_history(app)
    fill_edges(app)
    return app


def shown(figures, names) -> dict:
    return {name: getattr(figures, name) for name in names}


def count_rows(counts) -> list[tuple[str, int]]:
    return [(count.label, count.count) for count in counts]


def test_every_periods_figures_follow_the_definitions(history):
    settings = history.settings
    with history.sessions() as session:
        for first, last in PERIODS:
            for agency in (None, "pdam"):
                expected = reference_figures(session, settings, first, last, CALENDAR, agency=agency)
                figures = period_figures(session, settings, first, last, CALENDAR, agency=agency)
                assert shown(figures, expected) == expected, (first, last, agency)


def test_the_history_holds_what_the_figures_must_tell_apart(history):
    """The comparison with the reference only means something if the history has each case in it."""
    settings = history.settings
    with history.sessions() as session:
        weeks = [reference_figures(session, settings, week.monday, week.sunday, CALENDAR) for week in WEEKS]
    assert all(week["posts_received"] > week["flagged"] > 0 for week in weeks)
    assert all(week["confirmed"] and week["rejected"] and week["tickets_opened"] for week in weeks)
    assert sum(week["tickets_resolved"] > 0 for week in weeks) >= 5
    assert max(week["overdue"] for week in weeks) > 0 and min(week["in_progress"] for week in weeks) > 0
    statuses = {count.label for week in weeks for count in week["by_status"]}
    assert {"Selesai", "Diarsipkan", "Tertunda", "Dihapus", "Bukan Wewenang", "Ditanggapi"} <= statuses
    assert max(len(week["by_category"]) for week in weeks) >= 4
    assert max((last - first).days + 1 for first, last in PERIODS) > DAYS_PER_QUERY


def test_a_running_period_reads_the_tickets_as_they_stand_now(history):
    week, settings = WEEKS[3], history.settings
    days = (week.monday, week.monday + timedelta(days=3), week.sunday)
    with history.sessions() as session:
        for now in (tuban(day, time(hour)) for day in days for hour in (0, 9, 23)):
            expected = reference_figures(session, settings, week.monday, week.sunday, CALENDAR, now)
            figures = period_figures(session, settings, week.monday, week.sunday, CALENDAR, now)
            assert figures.as_of == now and shown(figures, expected) == expected, now


def test_posts_on_either_side_of_midnight_in_tuban_count_for_their_own_day(app):
    """23:59:59 on Sunday and 00:00 on Monday in Tuban are 16:59:59 and 17:00 on the same Sunday in UTC."""
    sunday = WEEKS[0].sunday
    moments = [tuban(sunday, time(23, 59, 59)), tuban(sunday + timedelta(days=1))]
    with app.sessions.begin() as session:
        posts = [record(id=f"m{n}", created_at=moment.isoformat()) for n, moment in enumerate(moments)]
        store_records(session, posts, "test", app.own_handles)
    with app.sessions() as session:
        week = period_figures(session, app.settings, WEEKS[0].monday, sunday, CALENDAR)
        both = period_figures(session, app.settings, sunday, sunday + timedelta(days=1), CALENDAR)
    assert week.posts_received == 1 and week.posts_per_day[-1] == (sunday, 1)
    assert both.posts_per_day == [(sunday, 1), (sunday + timedelta(days=1), 1)]


def test_the_statuses_at_a_weeks_end_follow_each_tickets_history(app):
    """Week 45 runs from 00:00 on Monday 2 November to 00:00 on Monday 9 November (WIB)."""
    fill_edges(app)
    week = WEEKS[3]
    with app.sessions() as session:
        figures = period_figures(session, app.settings, week.monday, week.sunday, CALENDAR)
        before = period_figures(session, app.settings, *previous_period(week.monday, week.sunday), CALENDAR)
    assert count_rows(figures.by_status) == [
        ("Belum Terverifikasi", 1),  # verified at the very moment the week ends: not within it
        ("Ditanggapi", 1),  # re-opened half an hour after the week
        ("Selesai", 1),  # resolved at the very moment the week begins
        ("Diarsipkan", 1),  # closed two weeks before, archived on the Wednesday
    ], "the ticket opened at the moment the week ends is not counted"
    assert (figures.tickets_opened, figures.tickets_resolved, figures.in_progress) == (1, 1, 2)
    assert count_rows(before.by_status) == [("Belum Terverifikasi", 1), ("Ditindaklanjuti", 1), ("Selesai", 1)]
    assert before.tickets_resolved == 0, "resolved at the very moment week 45 begins: week 45's, not 44's"


def test_the_dashboard_shows_the_period_and_the_period_before(history):
    first, last = date(2026, 11, 2), date(2026, 11, 15)
    now = tuban(date(2026, 11, 20), time(10))
    settings = history.settings
    with history.sessions() as session:
        board = dashboard(session, settings, first, last, now, CALENDAR)
        current = reference_figures(session, settings, first, last, CALENDAR, now)
        before = reference_figures(session, settings, *previous_period(first, last), CALENDAR, now)
        weekly = {
            week.monday: reference_figures(session, settings, week.monday, week.monday + timedelta(days=6), CALENDAR)
            for week in board.weeks
        }
        alone = [medians(session, settings, monday, monday + timedelta(days=6)) for monday in weekly]
    assert (board.posts, board.flagged, board.posts_per_day) == (
        current["posts_received"],
        current["flagged"],
        current["posts_per_day"],
    )
    for name in ("by_status", "by_platform", "by_category", "by_agency"):
        assert getattr(board, name) == count_rows(current[name]), name
    assert {name: (change.current, change.previous) for name, change in board.changes.items()} == {
        name: (current[name], before[name]) for name in COMPARED
    }
    expected = [(week["median_hours_to_confirm"], week["median_days_to_resolve"]) for week in weekly.values()]
    assert [(week.hours_to_confirm, week.days_to_resolve) for week in board.weeks] == expected == alone
    assert sum(hours is not None for hours, _ in expected) >= 6
