"""Working-day clocks: weekends and Indonesian public holidays do not count."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from satukanal.config.sections import ClocksConfig
from satukanal.models import Ticket
from satukanal.tickets.clocks import DUE_SOON, ON_TIME, OVERDUE, WorkingCalendar, ticket_clocks

WIB = ZoneInfo("Asia/Jakarta")
CALENDAR = WorkingCalendar()


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (date(2026, 11, 26), 1, date(2026, 11, 27)),  # Thursday → Friday
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday → Monday, the weekend skipped
        (date(2026, 3, 18), 3, date(2026, 3, 24)),  # Nyepi (Thu 19 March) and the weekend skipped
        (date(2026, 12, 24), 3, date(2026, 12, 30)),  # Christmas (Fri 25 December) skipped
    ],
)
def test_adding_working_days_skips_weekends_and_public_holidays(start, days, expected):
    assert CALENDAR.add(start, days) == expected
    assert CALENDAR.add(start, days - 1) < expected


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=WIB)


def ticket(status: str, created: datetime, changed: datetime | None = None) -> Ticket:
    return Ticket(status=status, created_at=created, status_changed_at=changed or created)


@pytest.mark.parametrize(
    "now, state", [(at(19), ON_TIME), (at(23), DUE_SOON), (at(24, 23), DUE_SOON), (at(25), OVERDUE)]
)
def test_the_verification_clock_runs_from_the_report_in_working_days(now, state):
    verification, ombudsman = ticket_clocks(ticket("belum_terverifikasi", at(18)), now, WIB, ClocksConfig(), CALENDAR)
    assert (verification.name, verification.deadline, verification.state) == ("Verifikasi", date(2026, 3, 24), state)
    assert ombudsman.name == "Batas Ombudsman" and ombudsman.deadline == date(2026, 5, 17)


def test_the_follow_up_clock_runs_from_disposition_and_closed_tickets_have_none():
    (follow_up, _) = ticket_clocks(ticket("terdisposisi", at(2), at(18)), at(26), WIB, ClocksConfig(), CALENDAR)
    assert (follow_up.name, follow_up.deadline, follow_up.state) == ("Tindak lanjut OPD", date(2026, 3, 26), DUE_SOON)
    assert ticket_clocks(ticket("selesai", at(2)), at(26), WIB, ClocksConfig(), CALENDAR) == []
    (on_hold,) = ticket_clocks(ticket("tertunda", at(2)), at(26), WIB, ClocksConfig(), CALENDAR)
    assert on_hold.name == "Batas Ombudsman", "on hold, only the Ombudsman's calendar days keep running"


def test_the_limits_are_configurable():
    rules = ClocksConfig(verification_days=1, ombudsman_days=30, due_soon_days=0)
    verification, ombudsman = ticket_clocks(ticket("belum_terverifikasi", at(18)), at(18), WIB, rules, CALENDAR)
    assert verification.deadline == date(2026, 3, 20) and verification.state == ON_TIME
    assert ombudsman.deadline == date(2026, 4, 17)
