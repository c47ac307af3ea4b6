"""X spend: every post an X source reads and every tweet the office posts is counted under its source and office
month at the prices in the settings, once; the month's forecast extends the spend so far at the same pace."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from publisher import Item, thread_file
from publisher.thread import load_twitter_text
from publisher.x_channel import XChannel
from satukanal.config.sections import XPricesConfig
from satukanal.config.sources import XMentionsConfig, XSearchConfig
from satukanal.intake.service import run_source
from satukanal.models import utcnow
from satukanal.publishing.ledger import APPROVED, new_entry
from satukanal.publishing.service import publish_entry
from satukanal.spend.models import Spend
from satukanal.spend.service import (
    MICRO,
    OWN_MENTION_READ,
    POST,
    POST_WITH_URL,
    PUBLISHING,
    READ,
    count,
    month_spend,
    office_month,
)
from satukanal.wiring import App
from tests.publishing_helpers import DiesAfterPublishing
from tests.x_wire import BEARER, user_client

PRICES = XPricesConfig(own_mention_read=0.002, read=0.01, post=0.03, post_with_url=0.5)
"""Not X's prices of February 2026: what is counted follows the settings."""
SOURCES = (
    XMentionsConfig(name="x-mentions", type="x_mentions", interval_minutes=10),
    XSearchConfig(name="x-search", type="x_search", query="@laportuban"),
)
THREAD = ["Rekap pekan 47: 58 aduan masuk, rinciannya di lapor.go.id", "Terima kasih atas laporan Anda #Tuban"]
"""A thread whose first tweet carries a link X recognises without https://, and whose second has none."""


@pytest.fixture
def x_app(settings):
    spend = settings.x_spend.model_copy(update={"prices": PRICES})
    application = App(replace(settings, sources=SOURCES, x_bearer_token=BEARER, x_spend=spend))
    yield application
    application.close()


def counted(app: App) -> dict[tuple[str, str, str], tuple[int, int]]:
    """Every counter: (source, month, operation) to (posts, cost in millionths of a dollar)."""
    with app.sessions() as session:
        return {
            (row.source, row.month, row.operation): (row.posts, row.cost_micro_usd)
            for row in session.scalars(select(Spend))
        }


def cost(posts: int, price: float) -> int:
    return round(posts * price * MICRO)


@pytest.mark.usefixtures("recorded_mentions")
def test_each_post_an_x_source_reads_is_counted_under_it_at_the_price_of_its_kind(x_app):
    read = {}
    for source in x_app.sources():
        pages: list[int] = []
        result = run_source(x_app, source, on_page=lambda page, stored, pages=pages: pages.append(len(page.records)))
        assert result.failure is None
        read[source.name] = sum(pages)
    assert read["x-mentions"] and read["x-search"], "both sources read the same tweets; each read is paid"
    month = office_month(utcnow(), x_app.settings.timezone).label
    expected = {
        ("x-mentions", month, OWN_MENTION_READ): (
            read["x-mentions"],
            cost(read["x-mentions"], PRICES.own_mention_read),
        ),
        ("x-search", month, READ): (read["x-search"], cost(read["x-search"], PRICES.read)),
    }
    assert counted(x_app) == expected

    run_source(x_app, x_app.sources()[0])
    assert counted(x_app) == expected, "a run with nothing new reads no post"
    with x_app.sessions() as session:
        spend = month_spend(session, x_app.settings, utcnow())
    assert spend.sources["x-search"].spent == pytest.approx(read["x-search"] * PRICES.read)
    assert spend.total.spent == pytest.approx(sum(micro for _, micro in expected.values()) / MICRO)


def test_the_month_is_the_office_month_in_its_time_zone(app):
    zone = app.settings.timezone
    last_minute = datetime(2026, 6, 30, 23, 59, tzinfo=zone)
    with app.sessions.begin() as session:
        count(session, app.settings, "x-mentions", OWN_MENTION_READ, 2, last_minute.astimezone(UTC))
        for _ in range(2):
            count(session, app.settings, "x-mentions", OWN_MENTION_READ, 3, last_minute + timedelta(minutes=1))
    by_month = {month: posts for (_, month, _), (posts, _) in counted(app).items()}
    assert by_month == {"2026-06": 2, "2026-07": 6}, "UTC's 30 June is already July in Tuban from 17:00"
    with app.sessions() as session:
        july = month_spend(session, app.settings, datetime(2026, 7, 2, tzinfo=zone))
    assert july.total.spent == pytest.approx(6 * app.settings.x_spend.prices.own_mention_read)


def test_the_forecast_extends_the_month_so_far_at_the_same_pace(app):
    zone = app.settings.timezone
    now = datetime(2026, 6, 11, tzinfo=zone)  # ten of June's thirty days have passed
    with app.sessions.begin() as session:
        count(session, app.settings, PUBLISHING, POST, 40, now - timedelta(days=3))
    with app.sessions() as session:
        total = month_spend(session, app.settings, now).total
    assert total.spent == pytest.approx(40 * app.settings.x_spend.prices.post)
    assert total.forecast == pytest.approx(total.spent * 30 / 10)
    assert (total.limit, total.level) == (None, "ok"), "no budget set: nothing to warn about"


def approved_thread(app: App, texts: list[str]) -> int:
    with app.sessions.begin() as session:
        item = Item("weekly-2026-W47", {"x-thread.json": thread_file(texts)})
        return new_entry(session, "weekly", "2026-W47", "x", APPROVED, item).id


@pytest.mark.usefixtures("x")
def test_each_tweet_the_office_posts_is_counted_once_dearer_with_a_link_even_across_a_crash(x_app):
    assert [bool(load_twitter_text().extract_urls(text)) for text in THREAD] == [True, False]
    entry_id = approved_thread(x_app, THREAD)
    with pytest.raises(KeyboardInterrupt):
        publish_entry(x_app.sessions, x_app.settings, DiesAfterPublishing(XChannel(user_client())), entry_id, "t")
    assert counted(x_app) == {}, "counted when the ledger records the tweets, not before"

    for expected in ("recovered", "already_published"):
        outcome = publish_entry(x_app.sessions, x_app.settings, XChannel(user_client()), entry_id, "t")
        assert outcome.status == expected and len(outcome.remote_ids) == len(THREAD)
    month = office_month(utcnow(), x_app.settings.timezone).label
    assert counted(x_app) == {
        (PUBLISHING, month, POST_WITH_URL): (1, cost(1, PRICES.post_with_url)),
        (PUBLISHING, month, POST): (1, cost(1, PRICES.post)),
    }


@pytest.mark.usefixtures("x")
def test_a_tweet_published_at_the_first_attempt_is_counted_toward_the_month(x_app):
    entry_id = approved_thread(x_app, THREAD[1:])
    outcome = publish_entry(x_app.sessions, x_app.settings, XChannel(user_client()), entry_id, "t")
    assert outcome.status == "published"
    with x_app.sessions() as session:
        spend = month_spend(session, x_app.settings, utcnow())
    assert spend.total.spent == pytest.approx(PRICES.post)
    assert all(budget.spent == 0 for budget in spend.sources.values()), "posting is no source's reading"


def test_an_office_that_neither_reads_nor_posts_on_x_sees_no_x_spend(client, login):
    login()
    page = client.get("/sumber/").get_data(as_text=True)
    assert "Folder impor" in page and "Biaya X" not in page


def test_a_forecast_above_the_budget_is_said_while_there_is_time_to_act():
    from satukanal.spend.forecast import Budget

    pace_over = Budget(spent=8.8, limit=20.0, forecast=44.27)
    assert pace_over.overrun_expected and "melebihi anggaran bila laju ini berlanjut" in pace_over.words()
    on_track = Budget(spent=1.0, limit=20.0, forecast=15.0)
    assert not on_track.overrun_expected and "melebihi" not in on_track.words()
    used_up = Budget(spent=20.5, limit=20.0, forecast=60.0)
    assert not used_up.overrun_expected, "a paused budget says paused, not a forecast"
    assert not Budget(spent=3.0, limit=None, forecast=9.0).overrun_expected
