"""Collecting from Instagram page by page: a crash, a backfill and a long page token lose and repeat nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest

from satukanal.intake.service import collect
from tests import instagram_fakes as fake
from tests.factories import stored_cursors, stored_posts
from tests.instagram_fakes import (
    TAGS,
    feed_page,
    hashtag_endpoint,
)
from tests.instagram_items import (
    hashtag_page,
    media,
    tagged,
)

pytestmark = pytest.mark.usefixtures("watching_the_fake_instagram_account")


def test_a_crash_while_paging_the_tags_then_a_rerun_loses_and_duplicates_nothing(
    unscored_app, instagram, make_instagram_source
):
    app = unscored_app
    posts = tagged(5)
    page_two = feed_page(posts[2:4], next_max_id=posts[3]["id"])
    pages = {None: feed_page(posts[:2], next_max_id=posts[1]["id"]), posts[3]["id"]: feed_page(posts[4:])}
    instagram.paged(TAGS, pages | {posts[1]["id"]: RuntimeError("the collector was killed")})

    with pytest.raises(RuntimeError):
        collect(app.sessions, make_instagram_source(streams=["tags"]), app.own_handles)
    assert sorted(stored_posts(app)) == ["3710000000000000004", "3710000000000000005"]
    assert f'"resume": "{posts[1]["id"]}"' in stored_cursors(app)["tags"]

    instagram.paged(TAGS, pages | {posts[1]["id"]: page_two})
    resumed = collect(app.sessions, make_instagram_source(streams=["tags"]), app.own_handles)

    assert (resumed.failure, resumed.added, resumed.duplicates) == (None, 3, 0)
    assert instagram.sent(TAGS, "max_id") == [None, posts[1]["id"], posts[1]["id"], posts[3]["id"]]
    assert sorted(stored_posts(app)) == sorted(post["pk"] for post in posts)
    assert stored_cursors(app)["tags"] == '{"since": "3710000000000000005"}'

    newest = media("3710000000000000006", "Laporan nomor 6", taken_at=fake.TAKEN_AT + 6)
    instagram.paged(TAGS, {None: feed_page([newest, posts[0]], next_max_id=posts[0]["id"])})
    newer = collect(app.sessions, make_instagram_source(streams=["tags"]), app.own_handles)
    assert newer.added == 1 and instagram.sent(TAGS, "max_id")[4:] == [None], "the new post took one request"


def test_a_backfill_reads_from_the_top_back_to_its_start_whatever_the_cursor_says(
    unscored_app, instagram, make_instagram_source
):
    app = unscored_app
    posts = tagged(5)
    instagram.paged(
        TAGS,
        {
            None: feed_page(posts[:2], next_max_id=posts[1]["id"]),
            posts[1]["id"]: feed_page(posts[2:4], next_max_id=posts[3]["id"]),
            posts[3]["id"]: feed_page(posts[4:]),
        },
    )
    collect(app.sessions, make_instagram_source(streams=["tags"], max_pages=1), app.own_handles)
    assert '"resume"' in stored_cursors(app)["tags"], "the page limit left the feed half-read"

    since = datetime.fromtimestamp(fake.TAKEN_AT + 2, UTC)  # after post 2 was taken
    backfill = collect(app.sessions, make_instagram_source(streams=["tags"], since=since, max_pages=1), app.own_handles)

    assert (backfill.failure, backfill.added, backfill.duplicates) == (None, 1, 2)
    assert instagram.sent(TAGS, "max_id") == [None, None, posts[1]["id"]], "from the top, past the page limit"
    assert sorted(stored_posts(app)) == ["3710000000000000003", "3710000000000000004", "3710000000000000005"]


def test_a_page_token_too_long_for_the_cursor_column_is_kept_for_the_run_only(
    unscored_app, instagram, make_instagram_source
):
    app = unscored_app
    first, second = tagged(2)
    media_ids = [f"37{n:017d}" for n in range(20)]
    more = {"more_available": True, "next_max_id": "QVFCcGFnZTI", "next_media_ids": media_ids}
    instagram.in_turn("POST", hashtag_endpoint("laportuban"), hashtag_page(first) | more, hashtag_page(second))
    values = []

    result = collect(
        app.sessions,
        make_instagram_source(streams=["hashtags"], hashtags=["laportuban"]),
        app.own_handles,
        on_page=lambda page, stored: values.append(page.cursor_value),
    )

    assert (result.failure, result.added) == (None, 2)
    assert values == ['{"newest": "3710000000000000002"}', '{"since": "3710000000000000002"}']
    form = parse_qs(instagram.calls(hashtag_endpoint("laportuban"))[1].request.body)
    assert form["max_id"] == ["QVFCcGFnZTI"] and json.loads(form["next_media_ids"][0]) == media_ids
    assert (form["tab"], form["media_recency_filter"]) == (["recent"], ["top_recent_posts"])
