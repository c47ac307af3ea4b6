"""One notification run, as the scheduler and ``satukanal notifications send`` do it: check, then send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from satukanal.config.settings import Settings
from satukanal.models import utcnow
from satukanal.notifications.delivery import AppriseSender, DeliveryReport, deliver, read_urls_file
from satukanal.notifications.service import check_deadlines, check_drafts
from satukanal.tickets.clocks import WorkingCalendar
from satukanal.tickets.listing import ClockRules


@dataclass(frozen=True)
class RunReport:
    reminders: int
    drafts: int
    delivery: DeliveryReport


def sender_for(settings: Settings) -> AppriseSender:
    """The sender for the configured mail server and notification file (``NotifyConfigError`` if unreadable)."""
    return AppriseSender(settings.smtp_url, read_urls_file(settings.notifications.urls_file))


def notification_run(
    sessions: sessionmaker[Session],
    settings: Settings,
    sender: AppriseSender,
    calendar: WorkingCalendar,
    *,
    digest: bool = False,
    now: datetime | None = None,
) -> RunReport:
    """Notify of deadlines and waiting drafts, then send what waits (the daily digest when ``digest``)."""
    now = now or utcnow()
    with sessions.begin() as session:
        reminders = check_deadlines(session, ClockRules(now, settings.timezone, settings.clocks, calendar))
        drafts = check_drafts(session, now)
    return RunReport(reminders, drafts, deliver(sessions, sender, settings.notifications.base_url, digest=digest))
