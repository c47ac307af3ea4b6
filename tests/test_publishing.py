"""The weekly recap: figures, rendering, the outbox contract and exactly-once publishing."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from publisher import OutboxChannel, PublishError, RenderError, Week, tweet_length
from satukanal.lifecycle import Status
from satukanal.models import Publication
from satukanal.publishing import PublishingError, publish_weekly
from satukanal.recap import weekly_figures
from satukanal.review import confirm, reject
from satukanal.tickets import set_status
from tests.factories import record
from tests.test_review import COMPLAINT, add_posts

WEEK = Week(2026, 47)  # 16–22 November 2026
AFTER = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Tuban


@pytest.fixture
def busy_week(app):
    """Posts in weeks 46 and 47, one confirmed and resolved in 47, one rejected, one own reply."""
    ids = add_posts(
        app,
        record(id="1", text=COMPLAINT, created_at="2026-11-17T08:00:00+07:00"),
        record(
            id="2",
            text="Lampu PJU di Jl. Sunan Kalijaga Kec. Tuban mati, gelap",
            created_at="2026-11-18T19:00:00+07:00",
        ),
        record(id="3", text="promo slot gacor", created_at="2026-11-19T10:00:00+07:00"),
        record(
            id="4",
            author="laportuban",
            text="Terima kasih, sudah kami teruskan",
            created_at="2026-11-19T11:00:00+07:00",
        ),
        record(
            id="5",
            platform="instagram",
            text="Sampah numpuk di pasar Kec. Rengel",
            created_at="2026-11-10T08:00:00+07:00",
        ),
    )
    moment = datetime(2026, 11, 17, 3, 0, tzinfo=UTC)
    with app.sessions.begin() as session:
        number = confirm(session, app.settings, ids[0], "m", now=moment).ticket.number
        confirm(session, app.settings, ids[1], "m", now=moment + timedelta(days=1))
        reject(session, ids[2], "m", "spam", now=moment + timedelta(days=2))
        for day, status in enumerate(
            [Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI, Status.SELESAI], 1
        ):
            set_status(session, number, status, "liaison", now=moment + timedelta(days=day))
    return app


def test_weekly_figures_count_the_week_in_jakarta_time(busy_week):
    with busy_week.sessions() as session:
        figures = weekly_figures(session, busy_week.settings, WEEK)
    assert figures.posts_received == 3  # our own reply does not count, week 46 does not count
    assert (figures.confirmed, figures.rejected) == (2, 1)
    assert (figures.tickets_opened, figures.tickets_resolved, figures.in_progress) == (2, 1, 1)
    assert figures.median_days_to_resolve == 4.0
    assert figures.previous["posts_received"] == 1
    assert figures.change("posts_received") == 2
    assert {count.label: count.count for count in figures.by_agency} == {
        "Perumda Air Minum Tirta Lestari": 1,
        "Dinas PUPR PRKP": 1,
    }
    assert [h.summary for h in figures.highlights] == ["Air bersih PDAM di Kec. Jenu"]
    assert {count.label for count in figures.by_status} == {"Selesai", "Belum Terverifikasi"}


def test_publishing_twice_writes_one_recap_within_platform_limits(busy_week):
    app = busy_week
    channel = app.channel("outbox")
    first = publish_weekly(app.sessions, app.settings, channel, WEEK, "tester", now=AFTER)
    folder = app.settings.outbox_dir / "weekly-2026-W47"
    assert first.status == "published"
    assert sorted(p.name for p in folder.iterdir()) == ["instagram-caption.txt", "x-thread.json"]
    thread = json.loads((folder / "x-thread.json").read_text(encoding="utf-8"))
    assert thread and all(tweet_length(tweet) <= 280 for tweet in thread)
    assert "16–22 November 2026" in thread[0]
    caption = (folder / "instagram-caption.txt").read_text(encoding="utf-8")
    assert len(caption) <= 2200 and "#LaporTuban" in caption
    published = "\n".join(thread) + caption
    for secret in ("0812-3456-7890", "3523012345678901", "Sugihwaras"):
        assert secret not in published

    mtime = (folder / "x-thread.json").stat().st_mtime_ns
    second = publish_weekly(app.sessions, app.settings, channel, WEEK, "tester", now=AFTER + timedelta(hours=1))
    assert second.status == "already_published"
    assert (folder / "x-thread.json").stat().st_mtime_ns == mtime
    assert len(list(app.settings.outbox_dir.iterdir())) == 1


def test_a_week_that_is_not_over_is_refused(app):
    with pytest.raises(PublishingError, match="belum berakhir"):
        publish_weekly(app.sessions, app.settings, app.channel("outbox"), WEEK, "t", now=AFTER - timedelta(hours=10))


def test_dry_run_renders_without_publishing(busy_week):
    app = busy_week
    outcome = publish_weekly(app.sessions, app.settings, app.channel("outbox"), WEEK, "t", dry_run=True, now=AFTER)
    assert outcome.status == "dry_run" and outcome.rendered.x_thread
    assert not app.settings.outbox_dir.exists()
    with app.sessions() as session:
        assert session.scalars(select(Publication)).all() == []


class CrashAfterPublish(OutboxChannel):
    """The platform accepts the post, then the process dies before the ledger write."""

    def publish(self, item):
        super().publish(item)
        raise KeyboardInterrupt("killed")


def test_a_crash_between_the_platform_and_the_ledger_does_not_post_twice(busy_week):
    app = busy_week
    with pytest.raises(KeyboardInterrupt):
        publish_weekly(app.sessions, app.settings, CrashAfterPublish(app.settings.outbox_dir), WEEK, "t", now=AFTER)
    with app.sessions() as session:
        assert session.scalar(select(Publication.status)) == "in_flight"

    restarted = publish_weekly(app.sessions, app.settings, app.channel("outbox"), WEEK, "t", now=AFTER)
    assert restarted.status == "recovered"
    assert len(list(app.settings.outbox_dir.iterdir())) == 1
    with app.sessions() as session:
        entry = session.scalar(select(Publication))
        assert entry.status == "published" and len(entry.remote_ids) == 2


class Unwritable(OutboxChannel):
    def publish(self, item):
        raise PublishError("disk full", retryable=True)


def test_a_failed_publication_is_visible_and_can_be_retried(busy_week):
    app = busy_week
    with pytest.raises(PublishingError, match="gagal: disk full"):
        publish_weekly(app.sessions, app.settings, Unwritable(app.settings.outbox_dir), WEEK, "t", now=AFTER)
    with app.sessions() as session:
        entry = session.scalar(select(Publication))
        assert (entry.status, entry.error) == ("failed", "disk full")
    retried = publish_weekly(app.sessions, app.settings, app.channel("outbox"), WEEK, "t", now=AFTER)
    assert retried.status == "published"


def with_thread_template(settings, folder: Path, text: str):
    """Settings whose X-thread template is ``text``, overriding the bundled one."""
    custom = folder / "templates" / "weekly"
    custom.mkdir(parents=True)
    (custom / "x-thread.txt.j2").write_text(text, encoding="utf-8")
    return replace(settings, templates_dir=folder / "templates")


def test_a_broken_template_names_the_template_and_line(busy_week, tmp_path: Path):
    app = busy_week
    settings = with_thread_template(app.settings, tmp_path, "Rekap {{ period }}\n{{ f.no_such_figure }}\n")
    with pytest.raises(RenderError, match=r"weekly/x-thread.txt.j2, baris 2: .*no_such_figure"):
        publish_weekly(app.sessions, settings, app.channel("outbox"), WEEK, "t", now=AFTER)


def test_templates_run_sandboxed(busy_week, tmp_path: Path):
    app = busy_week
    settings = with_thread_template(app.settings, tmp_path, "{{ f.__class__.__init__.__globals__ }}")
    with pytest.raises(RenderError, match="x-thread.txt.j2"):
        publish_weekly(app.sessions, settings, app.channel("outbox"), WEEK, "t", now=AFTER)


def test_cli_publishes_a_week_once(cli_run, busy_week):
    first = cli_run("publish", "weekly", "--week", "2026-W47", "--channel", "outbox")
    assert first.exit_code == 0, first.output
    assert "2026-W47 diterbitkan di outbox" in first.stdout
    second = cli_run("publish", "weekly", "--week", "2026-W47", "--channel", "outbox")
    assert second.exit_code == 0
    assert "2026-W47 sudah pernah diterbitkan di outbox; tidak ada yang dilakukan." in second.stdout
    bad = cli_run("publish", "weekly", "--week", "2026-47")
    assert bad.exit_code == 2 and "bukan pekan ISO" in bad.stderr
    unknown = cli_run("publish", "weekly", "--week", "2026-W46", "--channel", "telegram")
    assert unknown.exit_code == 1 and "kanal 'telegram' tidak dikonfigurasi" in unknown.stderr
