"""The LAPOR! clocks in working days (weekends and Indonesian public holidays excluded).

From DOMAIN.md: verification within 3 working days of the report, forwarding
to the agency within 3 more, the agency's follow-up within 5 after
disposition; and a report unresolved after 60 (calendar) days may be taken
over by the Ombudsman. The figures are configurable (``[clocks]``). A clock
runs while the ticket is in the status it measures; a deadline date means
"by the end of that day" in the office's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Protocol
from zoneinfo import ZoneInfo

from satukanal.config.sections import ClocksConfig
from satukanal.tickets.lifecycle import CLOSED, Status

OVERDUE, DUE_SOON, ON_TIME = "lewat", "segera", "aman"


class WorkingCalendar:
    """Working days in Indonesia: Monday to Friday, minus national public holidays."""

    def __init__(self) -> None:
        self._added: dict[tuple[date, int], date] = {}

    @cached_property
    def _holidays(self):
        import holidays  # its calendars take a while to load; many commands never count working days

        return holidays.country_holidays("ID")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def add(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself does not count).

        Remembered: lists and recaps ask the same few questions for thousands of tickets.
        """
        key = (start, days)
        if key not in self._added:
            day = start
            while days > 0:
                day += timedelta(days=1)
                if self.is_working_day(day):
                    days -= 1
            self._added[key] = day
        return self._added[key]


@dataclass(frozen=True)
class Clock:
    name: str
    deadline: date
    state: str

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE


class ClockedTicket(Protocol):
    """What the clocks read of a ticket (a ``Ticket``, or a ticket as it stood at some moment)."""

    status: str
    status_changed_at: datetime
    created_at: datetime


def ticket_clocks(
    ticket: ClockedTicket, now: datetime, zone: ZoneInfo, rules: ClocksConfig, calendar: WorkingCalendar
) -> list[Clock]:
    """The clocks running for ``ticket`` at ``now``: the current step's, and the Ombudsman's while open."""
    status = Status(ticket.status)
    if status in CLOSED:
        return []
    today = now.astimezone(zone).date()
    since = ticket.status_changed_at.astimezone(zone).date()
    created = ticket.created_at.astimezone(zone).date()
    step = {
        Status.BELUM_TERVERIFIKASI: ("Verifikasi", created, rules.verification_days),
        Status.TERVERIFIKASI: ("Disposisi ke OPD", since, rules.forwarding_days),
        Status.TERDISPOSISI: ("Tindak lanjut OPD", since, rules.follow_up_days),
    }.get(status)
    clocks = []
    if step is not None:
        name, start, days = step
        deadline = calendar.add(start, days)
        clocks.append(Clock(name, deadline, _state(today, deadline, rules.due_soon_days, calendar)))
    ombudsman = created + timedelta(days=rules.ombudsman_days)
    clocks.append(Clock("Batas Ombudsman", ombudsman, _state(today, ombudsman, rules.due_soon_days, calendar)))
    return clocks


def _state(today: date, deadline: date, due_soon_days: int, calendar: WorkingCalendar) -> str:
    """Overdue after the deadline; due soon while at most ``due_soon_days`` working days remain before it."""
    if today > deadline:
        return OVERDUE
    return DUE_SOON if deadline < calendar.add(today, due_soon_days + 1) else ON_TIME
