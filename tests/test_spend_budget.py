"""X budgets: a warning at 80 %, a pause at 100 % that skips or stops collection and says why (a run, `satukanal
collect`, `satukanal sources check`, the Sumber page) until the office month turns; publishing is never paused."""

from __future__ import annotations

import logging
import math
from datetime import date, datetime, timedelta

import pytest

from publisher import Item, format_day, thread_file
from publisher.x_channel import XChannel
from satukanal.config.settings import X_BEARER_TOKEN_ENV
from satukanal.intake.health import broken_due, health_by_source
from satukanal.intake.service import run_source
from satukanal.models import utcnow
from satukanal.publishing.ledger import APPROVED, new_entry
from satukanal.publishing.service import publish_entry
from satukanal.spend.forecast import WARNING
from satukanal.spend.service import BUDGET_CODE, OWN_MENTION_READ, POST, PUBLISHING, budget_pause, count, month_spend
from satukanal.web.badges import decimal
from satukanal.wiring import App
from tests.x_wire import BEARER, user_client

CONFIGURED = """
[[sources]]
name = "x-mentions"
type = "x_mentions"
interval_minutes = 10
monthly_budget_usd = 1.0

[x_spend]
monthly_budget_usd = 5.0

[x_spend.prices]
own_mention_read = 0.002
"""

pytestmark = pytest.mark.usefixtures("recorded_mentions")


@pytest.fixture
def env(env, config_file):
    """The test configuration with an X mentions source on a budget of its own within an overall one."""
    config_file.write_text(config_file.read_text() + CONFIGURED, encoding="utf-8")
    return env | {X_BEARER_TOKEN_ENV: BEARER}


def read_before(app: App, posts: int, now: datetime | None = None) -> None:
    """Mentions the source read earlier this month."""
    with app.sessions.begin() as session:
        count(session, app.settings, "x-mentions", OWN_MENTION_READ, posts, now or utcnow())


def posts_for(app: App, dollars: float) -> int:
    return round(dollars / app.settings.x_spend.prices.own_mention_read)


def this_month(app: App):
    with app.sessions() as session:
        return month_spend(session, app.settings, utcnow())


def approved_tweet(app: App, text: str) -> int:
    with app.sessions.begin() as session:
        item = Item(f"acknowledgement-{text[-6:]}", {"x-thread.json": thread_file([text])})
        return new_entry(session, "acknowledgement", text[-6:], "x", APPROVED, item).id


def test_a_run_stops_after_the_page_that_uses_the_budget_up_and_the_next_asks_x_nothing(app, x):
    (config,) = app.settings.sources
    read_before(app, posts_for(app, config.monthly_budget_usd) - (x.page_size + 1))  # used up on the second page
    (source,) = app.sources()
    pages: list[int] = []
    result = run_source(app, source, on_page=lambda page, stored: pages.append(len(page.records)))
    assert [posts for posts in pages if posts] == [x.page_size, x.page_size]
    assert result.failure.code == BUDGET_CODE
    budget = this_month(app).sources["x-mentions"]
    assert budget.level == "paused" and budget.spent >= config.monthly_budget_usd
    assert result.failure.args[0].startswith("anggaran X bulan ini habis")

    asked = len(x.mock.calls)
    again = run_source(app, source)
    assert len(x.mock.calls) == asked, "a paused source asks X nothing"
    assert again.failure.code == BUDGET_CODE and again.added == 0
    with app.sessions() as session:
        health = health_by_source(session)["x-mentions"]
    assert (health.state, health.error_code) == ("broken", BUDGET_CODE)
    assert broken_due(health, app.settings.collect.broken_retry_minutes, utcnow()), "looked at again every run"


def test_the_posts_x_hands_sources_check_count_toward_the_sources_spend(app, x, cli_run):
    before = this_month(app).sources["x-mentions"].spent
    result = cli_run("sources", "check")
    assert result.exit_code == 0, result.output
    (mentions,) = [call.response for call in x.mock.calls if call.request.url.split("?")[0].endswith("/mentions")]
    handed = len(mentions.json()["data"])
    spent = this_month(app).sources["x-mentions"].spent - before
    assert handed > 0 and math.isclose(spent, handed * app.settings.x_spend.prices.own_mention_read)


def test_crossing_80_percent_is_logged_once_and_sources_check_warns_without_failing(app, x, cli_run, caplog):
    caplog.set_level(logging.WARNING, logger="satukanal.spend.service")
    (config,) = app.settings.sources
    read_before(app, posts_for(app, 0.79 * config.monthly_budget_usd))  # the run's ten mentions pass 80 %
    (source,) = app.sources()
    assert run_source(app, source).failure is None
    crossed = [record.getMessage() for record in caplog.records if "monthly budget" in record.getMessage()]
    assert len(crossed) == 1 and "source x-mentions" in crossed[0]

    result = cli_run("sources", "check")
    spend = this_month(app)
    budget = spend.sources["x-mentions"]
    assert budget.level == WARNING
    assert result.exit_code == 0, result.output
    assert "x-mentions (x_mentions, tiap 10 menit): baik" in result.output
    assert f"biaya X bulan ini: {budget.words().split(', perkiraan')[0]}, perkiraan akhir bulan US$ " in result.output
    assert f"peringatan: {budget.percent} % anggaran X bulan ini terpakai" in result.output
    total = spend.total.words().split(", perkiraan")[0]
    assert f"Biaya X bulan ini (semua sumber dan publikasi): {total}" in result.output


def test_a_paused_source_fails_collect_and_the_check_and_says_so_on_the_sumber_page(app, x, cli_run, client, login):
    (config,) = app.settings.sources
    read_before(app, posts_for(app, config.monthly_budget_usd))
    collected = cli_run("collect", "--source", "x-mentions")
    assert collected.exit_code == 1
    assert "x-mentions: berhenti: anggaran X bulan ini habis" in collected.output

    result = cli_run("sources", "check")
    assert result.exit_code == 1
    assert "x-mentions (x_mentions, tiap 10 menit): BERMASALAH" in result.output
    assert "masalah: anggaran X bulan ini habis" in result.output
    assert "yang harus dilakukan: Naikkan monthly_budget_usd sumber ini di berkas konfigurasi" in result.output
    offline = cli_run("sources", "check", "--offline")
    assert offline.exit_code == 1 and "masalah: anggaran X bulan ini habis" in offline.output
    assert x.requests("mentions") == [], "neither the runs nor the checks asked X"

    login()
    page = client.get("/sumber/").get_data(as_text=True)
    budget = this_month(app).sources["x-mentions"]
    assert "Anggaran X habis" in page and "Anggaran habis: pengumpulan X dijeda" in page
    figures = f"US$&nbsp;{decimal(budget.spent, 2)} dari US$&nbsp;{decimal(budget.limit, 2)} ({budget.percent}&nbsp;%)"
    assert figures in page, "amounts kept whole when the line wraps on a phone"
    assert "perkiraan akhir bulan US$&nbsp;" in page and "semua sumber dan yang diterbitkan di X" in page


def test_a_budget_nearly_used_up_is_shown_on_the_sumber_page(app, client, login):
    (config,) = app.settings.sources
    read_before(app, posts_for(app, 0.9 * config.monthly_budget_usd))
    login()
    page = client.get("/sumber/").get_data(as_text=True)
    assert "Hampir habis: pada 100 % pengumpulan X berhenti sampai bulan depan" in page
    assert "Berjalan normal" not in page and "Belum pernah dijalankan" in page, "a warning, not a pause"


def test_publishing_is_never_paused_and_its_spend_counts_toward_the_overall_budget(app, x):
    overall, post = app.settings.x_spend.monthly_budget_usd, app.settings.x_spend.prices.post
    with app.sessions.begin() as session:
        count(session, app.settings, PUBLISHING, POST, math.ceil(overall / post), utcnow())
    paused = budget_pause(app.sessions, app.settings, "x-mentions")
    assert paused is not None and "semua sumber dan publikasi" in paused.args[0], "the source's own budget is untouched"
    assert "x_spend.monthly_budget_usd" in paused.advice

    spent = this_month(app).total.spent
    entry_id = approved_tweet(app, "@warga_latsari Aduan Anda tercatat sebagai tiket TBN-2026-000123")
    outcome = publish_entry(app.sessions, app.settings, XChannel(user_client()), entry_id, "t")
    assert outcome.status == "published" and len(x.requests("tweets")) == 1
    assert this_month(app).total.spent == pytest.approx(spent + post)


def test_a_pause_lifts_when_the_office_month_turns(app):
    (config,) = app.settings.sources
    evening = datetime(2026, 6, 30, 23, 30, tzinfo=app.settings.timezone)
    read_before(app, posts_for(app, config.monthly_budget_usd), now=evening)
    paused = budget_pause(app.sessions, app.settings, "x-mentions", evening)
    assert paused is not None and format_day(date(2026, 7, 1)) in paused.advice, "says when it resumes"
    assert budget_pause(app.sessions, app.settings, "x-mentions", evening + timedelta(hours=1)) is None
