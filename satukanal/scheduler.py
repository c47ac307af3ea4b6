"""The scheduler: collection every N minutes per source, the weekly recap on its day.

Jobs call the same service functions as the CLI commands. Posts that arrive
through the web app (Meta's webhook) are scored here, within
``SCORING_MINUTES``: web workers never load the model. Jobs are
coalesced and never overlap. On start-up the scheduler first finishes what
a process that died left behind: posts stored but not scored, publications
left in flight (``satukanal.publishing.claims.is_stalled``); then a recap missed
during downtime is published once (the ledger makes a second attempt a
no-op). Publications an admin approved (or sent back after a failure) in the
web app, and any that stall later, go out within ``APPROVED_CHECK_MINUTES``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor import Source, SourceBroken
from publisher import Week, last_complete_week
from satukanal.config.settings import Settings
from satukanal.db import refresh_statistics
from satukanal.intake.health import broken_due, check_source, health_by_source, mark_alarm_logged, requested_checks
from satukanal.intake.service import run_source
from satukanal.models import utcnow
from satukanal.notifications.delivery import NotifyConfigError
from satukanal.notifications.runs import notification_run, sender_for
from satukanal.platforms.channels import ChannelSetupError
from satukanal.publishing.ledger import PublishingError, waiting_publications
from satukanal.publishing.service import publish_entry, publish_recap
from satukanal.replies.service import draft_resolutions
from satukanal.tickets.clocks import WorkingCalendar
from satukanal.wiring import App

log = logging.getLogger(__name__)
ACTOR = "scheduler"
APPROVED_CHECK_MINUTES = 5
SCORING_MINUTES = 1
STATISTICS_HOUR = 3
CALENDAR = WorkingCalendar()


@dataclass(frozen=True)
class JobInfo:
    id: str
    name: str
    next_run: datetime | None


# The publishing jobs run one at a time: they share the App's one client per platform, and instagrapi's is not
# safe to use from two threads at once.
PUBLISHING = threading.Lock()


def collect_job(app: App, source: Source, now: datetime | None = None) -> None:
    """Run one source. A failure, or files set aside, is logged once per incident; a broken source waits
    ``collect.broken_retry_minutes`` between tries, so a refused login is not hammered."""
    now = now or utcnow()
    with app.sessions() as session:
        before = health_by_source(session).get(source.name)
    if not broken_due(before, app.settings.collect.broken_retry_minutes, now):
        log.debug("%s is broken and was tried at %s; not yet again", source.name, before.last_run_at)
        return
    result = run_source(app, source)
    for error in result.errors:
        log.warning("%s: %s", source.name, error)
    with app.sessions.begin() as session:
        health = health_by_source(session)[source.name]
        first_alarm = health.state != "ok" and not health.alarm_logged
        if first_alarm:
            mark_alarm_logged(session, source.name)
        state, problem = health.state, health.error
    if result.failure is None:
        if before is not None and before.state not in ("ok", state):
            log.warning("%s works again after %s", source.name, before.error_code)
        log.info("collected %s: %d new, %d already stored", source.name, result.added, result.duplicates)
        if first_alarm:
            log.error("source %s: %s", source.name, problem)
        return
    if not first_alarm:
        log.debug("%s still failing: %s", source.name, result.failure)
        return
    if isinstance(result.failure, SourceBroken):
        log.error("source %s is broken and stopped: %s", source.name, result.failure)
    else:
        log.warning("source %s failed, trying again at its next run: %s", source.name, result.failure)


def weekly_recap_job(app: App, now: datetime | None = None) -> None:
    """Publish the last complete week to every configured channel (a no-op where already done)."""
    now = now or utcnow()
    week = last_complete_week(now, app.settings.timezone)
    with PUBLISHING:
        _publish_week(app, week, now)


def _publish_week(app: App, week: Week, now: datetime) -> None:
    for name in app.settings.publish.channels:
        try:
            outcome = publish_recap(app.sessions, app.settings, app.channel(name), week, ACTOR, now=now)
        except (PublishingError, ChannelSetupError) as exc:
            log.error("%s", exc)
            continue
        log.info("weekly recap %s on %s: %s", week, name, outcome.status)


def approved_publications_job(app: App) -> None:
    """Send what an admin approved, or asked to try again, in the web app since the last check, and finish
    what a dead process left in flight."""
    with PUBLISHING:
        _publish_waiting(app)


def _publish_waiting(app: App) -> None:
    with app.sessions.begin() as session:
        drafted = draft_resolutions(session, app.settings, ACTOR, utcnow())
    if drafted:
        log.info("%d resolution replies drafted for approval", drafted)
    for publication_id, channel in waiting_publications(app.sessions):
        try:
            outcome = publish_entry(app.sessions, app.settings, app.channel(channel), publication_id, ACTOR)
        except (PublishingError, ChannelSetupError) as exc:
            log.error("%s", exc)
            continue
        log.info("approved publication %d on %s: %s", publication_id, channel, outcome.status)


def scoring_job(app: App) -> None:
    """Score what waits: posts the web app stored (webhook deliveries), or all pending ones after a new model."""
    scored = app.score_pending()
    if scored:
        log.info("scored %d waiting posts", scored)


def statistics_job(app: App) -> None:
    """Refresh the query planner's statistics (``db.refresh_statistics``): the tables grow every day."""
    refresh_statistics(app.engine)


def source_checks_job(app: App) -> None:
    """Check the sources an admin asked about in the web app (``intake.health.request_checks``)."""
    with app.sessions() as session:
        asked = set(requested_checks(session))
    for config in app.settings.sources:
        if config.name in asked:
            _, failure = check_source(app, config)
            log.info("source %s checked on request: %s", config.name, failure or "ok")


def notifications_job(app: App, digest: bool = False, now: datetime | None = None) -> None:
    """Deadline and draft reminders, then what waits to be sent (``digest``: the daily digests)."""
    try:
        sender = sender_for(app.settings)
        report = notification_run(app.sessions, app.settings, sender, CALENDAR, digest=digest, now=now)
    except NotifyConfigError as exc:
        log.error("%s", exc)
        return
    if report.reminders or report.drafts or report.delivery.sent or report.delivery.failed:
        log.info(
            "notifications: %d reminders, %d drafts, %d sent, %d failed",
            report.reminders,
            report.drafts,
            report.delivery.sent,
            report.delivery.failed,
        )


def add_jobs(scheduler: BaseScheduler, app: App) -> None:
    settings = app.settings
    for config in settings.sources:
        if not config.enabled:
            continue
        scheduler.add_job(
            collect_job,
            IntervalTrigger(minutes=config.interval_minutes, timezone=settings.timezone),
            args=[app, app.build_source(config)],
            id=f"collect:{config.name}",
            name=f"kumpulkan {config.name} tiap {config.interval_minutes} menit",
            coalesce=True,
            max_instances=1,
            next_run_time=utcnow(),
        )
    scheduler.add_job(
        weekly_recap_job,
        recap_trigger(settings),
        args=[app],
        id="weekly-recap",
        name="rekap pekanan",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=settings.schedule.misfire_grace_minutes * 60,
    )
    scheduler.add_job(
        approved_publications_job,
        IntervalTrigger(minutes=APPROVED_CHECK_MINUTES, timezone=settings.timezone),
        args=[app],
        id="approved-publications",
        name=f"terbitkan yang disetujui, tiap {APPROVED_CHECK_MINUTES} menit",
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        scoring_job,
        IntervalTrigger(minutes=SCORING_MINUTES, timezone=settings.timezone),
        args=[app],
        id="scoring",
        name="nilai unggahan yang menunggu, tiap menit",
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        source_checks_job,
        IntervalTrigger(minutes=1, timezone=settings.timezone),
        args=[app],
        id="source-checks",
        name="periksa sumber yang diminta di aplikasi web, tiap menit",
        coalesce=True,
        max_instances=1,
    )
    every = settings.notifications.check_minutes
    scheduler.add_job(
        notifications_job,
        IntervalTrigger(minutes=every, timezone=settings.timezone),
        args=[app],
        id="notifications",
        name=f"pemberitahuan: tenggat, draf, kirim; tiap {every} menit",
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        statistics_job,
        CronTrigger(hour=STATISTICS_HOUR, timezone=settings.timezone),
        args=[app],
        id="statistics",
        name=f"perbarui statistik basis data, tiap pukul {STATISTICS_HOUR:02d}.00",
        coalesce=True,
        max_instances=1,
    )
    hour, minute = settings.notifications.digest_time.split(":")
    scheduler.add_job(
        notifications_job,
        CronTrigger(hour=int(hour), minute=int(minute), timezone=settings.timezone),
        args=[app, True],
        id="notifications-digest",
        name="ringkasan harian pemberitahuan",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=settings.schedule.misfire_grace_minutes * 60,
    )


def recap_trigger(settings: Settings) -> CronTrigger:
    hour, minute = settings.schedule.weekly_recap_time.split(":")
    return CronTrigger(
        day_of_week=settings.schedule.weekly_recap_day, hour=int(hour), minute=int(minute), timezone=settings.timezone
    )


def build_scheduler(app: App) -> BackgroundScheduler:
    """The scheduler ``satukanal run`` starts; its jobs run on threads while the main thread waits for a stop."""
    scheduler = BackgroundScheduler(timezone=app.settings.timezone)
    add_jobs(scheduler, app)
    return scheduler


def planned_jobs(app: App, now: datetime | None = None) -> list[JobInfo]:
    """The jobs ``satukanal run`` would schedule, each with its next run time from ``now``."""
    now = now or utcnow()
    scheduler = BackgroundScheduler(timezone=app.settings.timezone)
    add_jobs(scheduler, app)
    return [
        JobInfo(job.id, job.name, job.trigger.get_next_fire_time(None, now.astimezone(app.settings.timezone)))
        for job in scheduler.get_jobs()
    ]


def due_recap_week(settings: Settings, now: datetime) -> Week | None:
    """The last complete week, if its recap time has come; None before that."""
    week = last_complete_week(now, settings.timezone)
    due = recap_trigger(settings).get_next_fire_time(None, week.bounds(settings.timezone)[1])
    return week if due is not None and due <= now else None


def catch_up(app: App, now: datetime | None = None) -> None:
    """At start-up: score what a killed run stored but did not score, finish publications left in flight or
    approved, and publish a recap missed while the scheduler was down, once, if its time has come."""
    scored = app.score_pending()
    if scored:
        log.info("scored %d posts that were waiting", scored)
    approved_publications_job(app)
    now = now or utcnow()
    if due_recap_week(app.settings, now) is not None:
        weekly_recap_job(app, now)
