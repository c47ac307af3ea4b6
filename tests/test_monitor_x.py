"""Collecting from X: the real tweepy client against the fake X and X's recorded answers, every tweet once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import responses
from sqlalchemy import select

from monitor import Retrier
from monitor.records import MAX_TEXT_CHARS
from monitor.x import XSource
from satukanal.intake.models import SourceHealth
from satukanal.intake.service import collect
from satukanal.models import Cursor
from satukanal.review.service import queue
from tests.factories import stored_cursors, stored_posts
from tests.x_fake import MENTIONS, USERS_BY, fake_x
from tests.x_wire import (
    ACCOUNT_ID,
    MENTIONED,
    NOW,
    bearer_client,
    mentions_source,
    recorded,
    recorded_tweets,
    tweet,
    user,
)

pytestmark = pytest.mark.usefixtures("recorded_mentions")


def test_the_recorded_mentions_are_stored_once_and_a_quiet_rerun_costs_one_request(unscored_app, sleeps):
    app = unscored_app
    recording = recorded(MENTIONED)
    body = recording["response_json"]
    authors = {item["id"]: f"warga{index}" for index, item in enumerate(body["data"])}
    enriched = {
        "data": [item | {"author_id": str(9000 + index)} for index, item in enumerate(body["data"])],
        "includes": {"users": [{"id": str(9000 + i), "username": name} for i, name in enumerate(authors.values())]},
        "meta": body["meta"],
    }
    with fake_x() as x:
        x.replay("mentions", enriched, {"meta": {"result_count": 0}})
        first = collect(app.sessions, mentions_source(sleeps), app.own_handles)
        pages = [request.url for request in x.requests("mentions")]
    assert first.failure is None and first.added == 10
    assert f"pagination_token={body['meta']['next_token']}" in pages[1], "the recorded next_token is followed"
    posts = stored_posts(app)
    assert {post_id: (post.text, post.author) for post_id, post in posts.items()} == {
        item["id"]: (item["text"], authors[item["id"]]) for item in body["data"]
    }
    assert stored_cursors(app)[f"mentions:{ACCOUNT_ID}"] == f'{{"since": "{body["meta"]["newest_id"]}"}}'

    with fake_x() as x:
        again = collect(app.sessions, mentions_source(sleeps), app.own_handles)
        calls = list(x.mock.calls)
    assert (again.added, again.failure) == (0, None)
    assert len(calls) == 1, "nothing new: one request, the account id is remembered"
    assert f"since_id={body['meta']['newest_id']}" in calls[0].request.url
    assert len(stored_posts(app)) == 10


def test_the_bare_recording_without_optional_fields_still_stores_every_tweet(unscored_app, sleeps):
    """The recording was made without expansions: no author, no time. Times come from the snowflake ids."""
    app = unscored_app
    body = recorded(MENTIONED)["response_json"]
    with fake_x() as x:
        x.replay("mentions", body | {"meta": body["meta"] | {"next_token": None}})
        result = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert result.failure is None
    posts = stored_posts(app)
    assert sorted(posts) == sorted(item["id"] for item in body["data"])
    newest = posts[body["meta"]["newest_id"]]
    assert newest.created_at.date().isoformat() == "2022-10-07", "the day the recording was made"
    assert newest.author == "id:tidak-diketahui"


def test_a_crash_mid_way_through_the_pages_then_a_rerun_loses_and_duplicates_nothing(unscored_app, sleeps, x):
    app = unscored_app

    def die_after_the_first_feed_page(page, stored):
        if page.cursor_key.startswith("mentions:"):
            raise KeyboardInterrupt("the collector was killed")

    with pytest.raises(KeyboardInterrupt):
        collect(app.sessions, mentions_source(sleeps), app.own_handles, on_page=die_after_the_first_feed_page)
    assert len(stored_posts(app)) == 4
    assert '"resume": "tok4"' in stored_cursors(app)[f"mentions:{ACCOUNT_ID}"]

    resumed = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert resumed.failure is None and resumed.added == 6 and resumed.duplicates == 0
    assert [params.get("pagination_token") for params in x.params("mentions")] == [None, "tok4", "tok8"]
    assert sorted(stored_posts(app)) == sorted(item["id"] for item in recorded_tweets())

    x.add(tweet(1578516295611748400, "@laportuban lampu PJU di Jl. Basuki Rahmat mati min"))
    newer = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert newer.added == 1 and x.params("mentions")[-1]["since_id"] == "1578516295611748353"
    assert len(x.params("mentions")) == 4, "the newer tweet took one request"


def test_an_empty_page_is_a_success(unscored_app, sleeps):
    app = unscored_app
    with responses.RequestsMock() as mock:  # X's two answers, scripted: this test needs no recording
        mock.get(USERS_BY, json={"data": [user(ACCOUNT_ID, "laportuban")]})
        mock.get(MENTIONS, json={"meta": {"result_count": 0}})
        source = mentions_source(sleeps)
        result = collect(app.sessions, source, app.own_handles)
    assert result.failure is None and result.added == 0
    assert result.pages == 2, "the account's id, then the empty page"
    with app.sessions() as session:
        health = session.scalar(select(SourceHealth))
    assert health.state == "ok" and health.last_success_at is not None


def test_our_own_tweets_are_stored_for_the_thread_but_never_queued(app, sleeps):
    with fake_x() as feeds:
        ours = tweet(1900000000000000001, "Info: pemadaman air PDAM Selasa pagi di Kec. Semanding", author=ACCOUNT_ID)
        feeds.include(ours)
        feeds.add(
            tweet(
                1900000000000000002,
                "@laportuban di Desa Penambangan air sudah 3 hari gak mili, tagihan tetap jalan",
                referenced_tweets=[{"type": "replied_to", "id": ours["id"]}],
                in_reply_to_user_id=ACCOUNT_ID,
            ),
            tweet(
                1900000000000000003,
                "@warga7001 Mohon maaf, laporan sudah kami teruskan ke Perumda Air Minum Tirta Lestari",
                author=ACCOUNT_ID,
                referenced_tweets=[{"type": "replied_to", "id": "1900000000000000002"}],
            ),
        )
        result = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    app.score_pending()
    assert result.failure is None
    posts = stored_posts(app)
    assert {post_id: post.is_own for post_id, post in posts.items()} == {
        ours["id"]: True,
        "1900000000000000002": False,
        "1900000000000000003": True,
    }
    assert posts["1900000000000000002"].in_reply_to == ours["id"]
    assert posts["1900000000000000002"].kind == "reply"
    with app.sessions() as session:
        assert [post.platform_id for post in queue(session, flagged=None)] == ["1900000000000000002"]


def test_a_retweet_stores_the_original_once(unscored_app, sleeps):
    app = unscored_app
    original = tweet(1900000000000000010, "@laportuban sampah numpuk di pasar Bangilan sudah seminggu", author="7010")
    with fake_x() as feeds:
        feeds.include(original)
        retweets = [
            tweet(
                1900000000000000011 + n,
                f"RT @warga7010: {original['text']}",
                author=str(7020 + n),
                referenced_tweets=[{"type": "retweeted", "id": original["id"]}],
            )
            for n in range(2)
        ]
        feeds.add(*retweets)
        result = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert result.failure is None
    posts = stored_posts(app)
    assert list(posts) == [original["id"]]
    assert posts[original["id"]].author == "warga7010"
    assert posts[original["id"]].text == original["text"]


def test_hostile_text_media_and_quotes_are_stored_safely(unscored_app, sleeps):
    app = unscored_app
    huge = "jalan rusak " * 3000
    with fake_x() as feeds:
        feeds.media["3_1"] = {"media_key": "3_1", "type": "photo", "url": "https://pbs.twimg.com/media/a.jpg"}
        feeds.add(
            tweet(
                1900000000000000020,
                "@laportuban <script>alert(1)</script> &amp; \u0000\u202e jalan",
                attachments={"media_keys": ["3_1"]},
            ),
            tweet(
                1900000000000000021,
                huge[:270],
                note_tweet={"text": huge},
                referenced_tweets=[{"type": "quoted", "id": "1900000000000000009"}],
            ),
            {"id": "not-a-number", "text": "broken"},
        )
        result = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert result.failure is None
    assert result.errors == ["tweet tanpa id yang sah dilewati: {'id': 'not-a-number', 'text': 'broken'}"]
    posts = stored_posts(app)
    hostile = posts["1900000000000000020"]
    assert hostile.text == "@laportuban <script>alert(1)</script> &  jalan", (
        "controls and the right-to-left override dropped"
    )
    assert hostile.media == [
        {
            "type": "photo",
            "url": "https://pbs.twimg.com/media/a.jpg",
            "preview_url": "https://pbs.twimg.com/media/a.jpg",
        }
    ]
    long_post = posts["1900000000000000021"]
    assert len(long_post.text) == MAX_TEXT_CHARS and long_post.kind == "quote"
    assert long_post.raw["quoted_id"] == "1900000000000000009"


def test_search_uses_its_own_token_and_a_backfill_reaches_back_seven_days_at_most(unscored_app, sleeps, x):
    app = unscored_app
    source = XSource(
        "x-search",
        bearer_client(),
        queries=["@laportuban OR #laportuban"],
        retrier=Retrier(sleep=sleeps),
        since=NOW - timedelta(days=30),
        clock=lambda: NOW.timestamp(),
    )
    result = collect(app.sessions, source, app.own_handles)
    assert result.failure is None and result.added == 10
    searches = x.params("search")
    assert [params.get("next_token") for params in searches] == [None, "tok4", "tok8"]
    assert searches[0]["query"] == "@laportuban OR #laportuban"
    assert searches[0]["start_time"] == "2026-11-16T03:05:00Z"


def test_a_page_token_x_no_longer_accepts_starts_the_feed_again_from_the_top(unscored_app, sleeps, x):
    app = unscored_app
    with app.sessions.begin() as session:
        session.add(Cursor(source="x-mentions", key="account:laportuban", value=ACCOUNT_ID))
        session.add(Cursor(source="x-mentions", key=f"mentions:{ACCOUNT_ID}", value='{"resume": "expired"}'))
    x.accepted_tokens = {"tok4", "tok8"}
    result = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert result.failure is None and result.added == 10
    assert [params.get("pagination_token") for params in x.params("mentions")] == ["expired", None, "tok4", "tok8"]
