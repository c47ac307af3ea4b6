"""The weekly recap: figures, rendering, the outbox contract and exactly-once publishing."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from publisher import Month, OutboxChannel, PublishError, RenderError, tweet_length
from satukanal.models import AuditEntry, Publication
from satukanal.publishing.ledger import PublishingError, approve
from satukanal.publishing.recap import recap_figures
from satukanal.publishing.service import publish_entry, publish_recap
from tests.factories import COMPLAINT, add_posts, record
from tests.publishing_helpers import AFTER, WEEK, CrashAfterPublish

NOVEMBER = Month(2026, 11)


def test_weekly_figures_count_the_week_in_jakarta_time(busy_week):
    with busy_week.sessions() as session:
        figures = recap_figures(session, busy_week.settings, WEEK)
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
    first = publish_recap(app.sessions, app.settings, channel, WEEK, "tester", now=AFTER)
    folder = app.settings.publish.outbox_dir / "weekly-2026-W47"
    assert first.status == "published"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["card-1.png", "card-2.png", "instagram-caption.txt", "x-thread.json"], "highlights make card 2"
    with Image.open(folder / "card-1.png") as card:
        assert (card.format, card.size) == ("PNG", (1080, 1350))
    thread = json.loads((folder / "x-thread.json").read_text(encoding="utf-8"))
    assert thread and all(tweet_length(tweet) <= 280 for tweet in thread)
    assert "16–22 November 2026" in thread[0]
    caption = (folder / "instagram-caption.txt").read_text(encoding="utf-8")
    assert len(caption) <= 2200 and "#LaporTuban" in caption
    published = "\n".join(thread) + caption
    for secret in ("0812-3456-7890", "3523012345678901", "Sugihwaras"):
        assert secret not in published

    mtime = (folder / "x-thread.json").stat().st_mtime_ns
    second = publish_recap(app.sessions, app.settings, channel, WEEK, "tester", now=AFTER + timedelta(hours=1))
    assert second.status == "already_published"
    assert (folder / "x-thread.json").stat().st_mtime_ns == mtime
    assert len(list(app.settings.publish.outbox_dir.iterdir())) == 1


def test_a_week_that_is_not_over_is_refused(app):
    with pytest.raises(PublishingError, match="belum berakhir"):
        publish_recap(app.sessions, app.settings, app.channel("outbox"), WEEK, "t", now=AFTER - timedelta(hours=10))


def test_dry_run_renders_without_publishing(busy_week):
    app = busy_week
    outcome = publish_recap(app.sessions, app.settings, app.channel("outbox"), WEEK, "t", dry_run=True, now=AFTER)
    assert outcome.status == "dry_run" and json.loads(outcome.item.files["x-thread.json"])
    assert not app.settings.publish.outbox_dir.exists()
    with app.sessions() as session:
        assert session.scalars(select(Publication)).all() == []


def test_a_crash_between_the_platform_and_the_ledger_does_not_post_twice(busy_week):
    app = busy_week
    with pytest.raises(KeyboardInterrupt):
        publish_recap(
            app.sessions, app.settings, CrashAfterPublish(app.settings.publish.outbox_dir), WEEK, "t", now=AFTER
        )
    with app.sessions() as session:
        assert session.scalar(select(Publication.status)) == "in_flight"

    restarted = publish_recap(app.sessions, app.settings, app.channel("outbox"), WEEK, "t", now=AFTER)
    assert restarted.status == "recovered"
    assert len(list(app.settings.publish.outbox_dir.iterdir())) == 1
    with app.sessions() as session:
        entry = session.scalar(select(Publication))
        assert entry.status == "published" and len(entry.remote_ids) == 4


class Unwritable(OutboxChannel):
    def __init__(self, folder: Path, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(folder)
        self.error = PublishError("disk full", retryable=retryable, retry_after=retry_after)
        self.calls = 0

    def publish(self, item):
        self.calls += 1
        raise self.error


def test_a_failed_publication_is_retried_with_backoff_then_visible_and_retried_by_hand(busy_week):
    app = busy_week
    waits = []
    channel = Unwritable(app.settings.publish.outbox_dir, retryable=True)
    with pytest.raises(PublishingError, match="gagal: disk full"):
        publish_recap(app.sessions, app.settings, channel, WEEK, "t", now=AFTER, sleep=waits.append)
    assert channel.calls == app.settings.publish.retry_attempts == 4
    assert waits == [30, 60, 120], "the wait doubles between attempts"
    with app.sessions() as session:
        entry = session.scalar(select(Publication))
        assert (entry.status, entry.error, entry.attempts) == ("failed", "disk full", 4)
        stored = entry.content

    add_posts(app, record(id="9", text=COMPLAINT, created_at="2026-11-20T08:00:00+07:00"))
    retried = publish_recap(app.sessions, app.settings, app.channel("outbox"), WEEK, "t", now=AFTER)
    assert retried.status == "published"
    with app.sessions() as session:
        assert session.scalar(select(Publication.content)) == stored, "the retry sends what was first rendered"


def test_content_errors_are_not_retried_and_rate_limits_wait_as_asked(busy_week):
    app = busy_week
    refused = Unwritable(app.settings.publish.outbox_dir, retryable=False)
    with pytest.raises(PublishingError, match="tidak dicoba lagi"):
        publish_recap(app.sessions, app.settings, refused, WEEK, "t", now=AFTER, sleep=pytest.fail)
    assert refused.calls == 1

    waits = []
    limited = Unwritable(app.settings.publish.outbox_dir, retryable=True, retry_after=5000)
    with pytest.raises(PublishingError):
        publish_recap(app.sessions, app.settings, limited, WEEK, "t", now=AFTER, sleep=waits.append)
    assert waits == [900, 900, 900], "the platform's reset time, capped at publish.retry_wait_max_seconds"


def test_with_approval_a_recap_waits_as_a_draft_until_an_admin_approves_it(busy_week):
    app = busy_week
    settings = replace(app.settings, publish=app.settings.publish.model_copy(update={"require_approval": True}))
    channel = app.channel("outbox")
    draft = publish_recap(app.sessions, settings, channel, WEEK, "scheduler", now=AFTER)
    assert draft.status == "draft" and not app.settings.publish.outbox_dir.exists()
    again = publish_recap(app.sessions, settings, channel, WEEK, "scheduler", now=AFTER)
    assert (again.status, again.publication_id) == ("awaiting_approval", draft.publication_id)
    with pytest.raises(PublishingError, match="masih draf"):
        publish_entry(app.sessions, settings, channel, draft.publication_id, "admin")

    approve(app.sessions, draft.publication_id, "admin1")
    with pytest.raises(PublishingError, match="bukan draf"):
        approve(app.sessions, draft.publication_id, "admin1")
    sent = publish_entry(app.sessions, settings, channel, draft.publication_id, "scheduler")
    assert sent.status == "published"
    files = app.settings.publish.outbox_dir / "weekly-2026-W47"
    assert (files / "x-thread.json").read_text(encoding="utf-8") == draft.item.files["x-thread.json"]
    with app.sessions() as session:
        entry = session.scalar(select(Publication))
        assert (entry.status, entry.approved_by) == ("published", "admin1")
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert [a for a in actions if a.startswith("publication.")] == [
            "publication.draft",
            "publication.approve",
            "publication.publish",
        ]


def with_thread_template(settings, folder: Path, text: str):
    """Settings whose X-thread template is ``text``, overriding the bundled one."""
    custom = folder / "templates" / "weekly"
    custom.mkdir(parents=True)
    (custom / "x-thread.txt.j2").write_text(text, encoding="utf-8")
    return replace(settings, publish=settings.publish.model_copy(update={"templates_dir": folder / "templates"}))


def test_a_broken_template_names_the_template_and_line(busy_week, tmp_path: Path):
    app = busy_week
    settings = with_thread_template(app.settings, tmp_path, "Rekap {{ period }}\n{{ f.no_such_figure }}\n")
    with pytest.raises(RenderError, match=r"weekly/x-thread.txt.j2, baris 2: .*no_such_figure"):
        publish_recap(app.sessions, settings, app.channel("outbox"), WEEK, "t", now=AFTER)


def test_templates_run_sandboxed(busy_week, tmp_path: Path):
    app = busy_week
    settings = with_thread_template(app.settings, tmp_path, "{{ f.__class__.__init__.__globals__ }}")
    with pytest.raises(RenderError, match="x-thread.txt.j2"):
        publish_recap(app.sessions, settings, app.channel("outbox"), WEEK, "t", now=AFTER)


def test_cli_publishes_a_week_once(cli_run, busy_week):
    first = cli_run("publish", "weekly", "--week", "2026-W47", "--channel", "outbox")
    assert first.exit_code == 0, first.output
    assert "2026-W47 di outbox: diterbitkan" in first.stdout
    second = cli_run("publish", "weekly", "--week", "2026-W47", "--channel", "outbox")
    assert second.exit_code == 0
    assert "2026-W47 di outbox: sudah pernah diterbitkan; tidak ada yang dilakukan" in second.stdout
    bad = cli_run("publish", "weekly", "--week", "2026-47")
    assert bad.exit_code == 2 and "bukan pekan ISO" in bad.stderr
    unknown = cli_run("publish", "weekly", "--week", "2026-W46", "--channel", "telegram")
    assert unknown.exit_code == 1 and "kanal 'telegram' tidak dikonfigurasi" in unknown.stderr


def test_the_monthly_recap_counts_the_whole_month_once(busy_week):
    app = busy_week
    december = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    with app.sessions() as session:
        month, week = recap_figures(session, app.settings, NOVEMBER), recap_figures(session, app.settings, WEEK)
    assert (month.posts_received, week.posts_received) == (4, 3), "the 10 November post counts for the month only"
    outcome = publish_recap(app.sessions, app.settings, app.channel("outbox"), NOVEMBER, "t", now=december)
    folder = app.settings.publish.outbox_dir / "monthly-2026-11"
    assert outcome.status == "published" and (folder / "card-1.png").exists()
    thread = json.loads((folder / "x-thread.json").read_text(encoding="utf-8"))
    assert "November 2026" in thread[0] and all(tweet_length(tweet) <= 280 for tweet in thread)
    again = publish_recap(app.sessions, app.settings, app.channel("outbox"), NOVEMBER, "t", now=december)
    assert again.status == "already_published"


def test_cli_refuses_a_month_that_is_not_over(cli_run, app):
    future = cli_run("publish", "monthly", "--month", "2099-01", "--channel", "outbox")
    assert future.exit_code == 1 and "2099-01 belum berakhir" in future.stderr
    bad = cli_run("publish", "monthly", "--month", "2026-13")
    assert bad.exit_code == 2 and "bukan bulan seperti 2026-11" in bad.stderr
