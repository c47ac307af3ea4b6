"""The scheduler: its jobs, and a missed recap published once after downtime."""

from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text

from publisher import PublishError
from satukanal.intake.service import store_records
from satukanal.review.service import queue
from satukanal.scheduler import add_jobs, catch_up, collect_job, due_recap_week, statistics_job, weekly_recap_job
from tests.factories import record, row, write_jsonl

MONDAY_10_WIB = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
MONDAY_07_WIB = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)


def test_jobs_collect_each_source_and_recap_on_monday_morning(app):
    scheduler = BackgroundScheduler(timezone=app.settings.timezone)
    add_jobs(scheduler, app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {
        "collect:inbox",
        "weekly-recap",
        "approved-publications",
        "notifications",
        "notifications-digest",
        "source-checks",
        "scoring",
        "statistics",
    }
    assert isinstance(jobs["collect:inbox"].trigger, IntervalTrigger)
    assert jobs["collect:inbox"].trigger.interval.total_seconds() == 15 * 60
    recap = jobs["weekly-recap"]
    assert isinstance(recap.trigger, CronTrigger)
    assert recap.coalesce and recap.max_instances == 1 and recap.misfire_grace_time == 6 * 3600
    following = recap.trigger.get_next_fire_time(None, datetime(2026, 11, 25, tzinfo=UTC))
    assert following.isoformat() == "2026-11-30T08:00:00+07:00"


def test_collection_job_imports_what_lands_in_the_inbox(app):
    inbox = app.settings.sources[0].path
    inbox.mkdir(parents=True)
    write_jsonl(inbox / "wa.jsonl", [row(id="w1", platform="whatsapp", kind="dm")])
    (source,) = app.sources()
    collect_job(app, source)
    collect_job(app, source)
    with app.sessions() as session:
        assert [post.platform_id for post in queue(session, flagged=None)] == ["w1"]


def test_a_missed_recap_is_published_once_at_start(app):
    catch_up(app, now=MONDAY_10_WIB)
    catch_up(app, now=MONDAY_10_WIB)
    folders = sorted(path.name for path in app.settings.publish.outbox_dir.iterdir())
    assert folders == ["weekly-2026-W47"]


def test_nothing_is_caught_up_before_the_recap_is_due(app):
    catch_up(app, now=MONDAY_07_WIB)
    assert not app.settings.publish.outbox_dir.exists()
    assert due_recap_week(app.settings, MONDAY_07_WIB) is None
    assert str(due_recap_week(app.settings, MONDAY_10_WIB)) == "2026-W47"


def test_the_weekly_job_logs_and_survives_a_failing_channel(app, caplog, monkeypatch):
    def broken(self, item):
        raise PublishError("outbox unreachable")

    monkeypatch.setattr("publisher.channels.OutboxChannel.publish", broken)
    weekly_recap_job(app, now=MONDAY_10_WIB)
    assert "penerbitan weekly-2026-W47 ke outbox gagal (tidak dicoba lagi): outbox unreachable" in caplog.text


def test_the_statistics_job_gives_the_planner_statistics_of_the_posts_table(app):
    with app.sessions.begin() as session:
        store_records(session, [record(id=str(number)) for number in range(30)], "test", app.own_handles)
    statistics_job(app)
    with app.sessions() as session:
        if app.engine.dialect.name == "sqlite":
            rows = session.scalar(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'posts'"))
        else:
            analysed = "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'posts' AND last_analyze IS NOT NULL"
            rows = session.scalar(text(analysed))
    assert rows >= 1
