"""Collecting from Instagram when it refuses: challenges, refused sessions, pauses, unreadable and hostile items."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from monitor import Retrier, SourceBroken, SourceUnavailable
from monitor.records import MAX_TEXT_CHARS
from satukanal.intake.models import SourceHealth
from satukanal.intake.service import collect
from tests import instagram_fakes as fake
from tests.factories import stored_cursors, stored_posts
from tests.instagram_fakes import (
    INBOX,
    OUR_POSTS,
    TAGS,
    USER_ID,
    USERNAME,
    comments_endpoint,
    feed_page,
    hashtag_endpoint,
    inbox_page,
)
from tests.instagram_items import (
    OUR_PK,
    PLEASE_WAIT,
    THREAD,
    comment,
    comments_page,
    hashtag_page,
    media,
    microseconds,
    our_post,
    tagged,
    text_message,
    thread,
)

pytestmark = pytest.mark.usefixtures("watching_the_fake_instagram_account")


def test_a_challenge_stops_the_source_at_once_and_keeps_what_was_stored(
    unscored_app, instagram, make_instagram_source, sleeps
):
    app = unscored_app
    instagram.reply("GET", TAGS, feed_page(tagged(2)))
    instagram.reply("GET", OUR_POSTS, fake.challenge(), status=400)

    result = collect(app.sessions, make_instagram_source(streams=["tags", "comments", "direct"]), app.own_handles)

    assert isinstance(result.failure, SourceBroken) and result.failure.code == "instagram-challenge"
    assert "Buka aplikasi Instagram di ponsel" in result.failure.advice
    assert "satukanal sources check" in result.failure.advice
    assert len(instagram.calls(OUR_POSTS)) == 1 and sleeps == [], "never retried"
    assert instagram.challenge_calls() == [], "the challenge is left to a person"
    assert instagram.calls(INBOX) == [], "the run stops there"
    assert sorted(stored_posts(app)) == ["3710000000000000001", "3710000000000000002"]
    with app.sessions() as session:
        health = session.scalar(select(SourceHealth))
    assert (health.state, health.error_code) == ("broken", "instagram-challenge")


def test_after_a_challenge_the_next_run_logs_in_again_from_the_session_file(
    unscored_app, instagram, make_instagram_source
):
    app = unscored_app
    instagram.reply("GET", TAGS, fake.challenge(), status=400)
    tags = make_instagram_source(streams=["tags"])
    assert collect(app.sessions, tags, app.own_handles).failure.code == "instagram-challenge"

    instagram.reply("GET", TAGS, feed_page(tagged(1)))
    again = collect(app.sessions, tags, app.own_handles)

    assert again.failure is None and again.added == 1
    assert len(instagram.calls("accounts/current_user/")) == 2, "the refused client was not reused"


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ((403, fake.LOGIN_REQUIRED), "instagram-login-required"),
        (
            (400, {"message": "feedback_required", "feedback_message": "Coba lagi nanti", "status": "fail"}),
            "instagram-restricted",
        ),
    ],
)
def test_a_refused_session_or_a_restriction_breaks_the_source(
    unscored_app, instagram, make_instagram_source, sleeps, answer, code
):
    app = unscored_app
    instagram.in_turn("GET", TAGS, answer)
    result = collect(app.sessions, make_instagram_source(streams=["tags"]), app.own_handles)
    assert isinstance(result.failure, SourceBroken) and result.failure.code == code
    assert len(instagram.calls(TAGS)) == 1 and sleeps == []


@pytest.mark.parametrize("status", [429, 400])
def test_please_wait_a_few_minutes_waits_capped_then_finishes(
    unscored_app, instagram, make_instagram_source, sleeps, status
):
    app = unscored_app
    instagram.in_turn("GET", TAGS, (status, PLEASE_WAIT), feed_page(tagged(2)))
    retrier = Retrier(max_wait=120, sleep=sleeps)

    result = collect(app.sessions, make_instagram_source(streams=["tags"], retrier=retrier), app.own_handles)

    assert result.failure is None and result.added == 2
    assert sleeps == [120], "Instagram names no time: 300 s, capped by the retrier"
    assert len(instagram.calls(TAGS)) == 2


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ((200, '{"items": [{"pk": "3710000000000000003", "taken_'), "bukan JSON"),
        ((502, "<html><body>502 Bad Gateway</body></html>"), "HTTP 502"),
    ],
)
def test_an_unreadable_answer_gives_up_for_this_run_keeping_the_complete_pages(
    unscored_app, instagram, make_instagram_source, sleeps, answer, says
):
    app = unscored_app
    posts = tagged(4)
    instagram.paged(TAGS, {None: feed_page(posts[:2], next_max_id=posts[1]["id"]), posts[1]["id"]: answer})

    result = collect(app.sessions, make_instagram_source(streams=["tags"]), app.own_handles)

    assert isinstance(result.failure, SourceUnavailable) and says in str(result.failure)
    assert sleeps == [5, 10, 20] and len(instagram.calls(TAGS)) == 5, "backed off, then gave up"
    assert sorted(stored_posts(app)) == ["3710000000000000003", "3710000000000000004"]
    assert f'"resume": "{posts[1]["id"]}"' in stored_cursors(app)["tags"], "the next run continues there"


def test_a_malformed_item_is_skipped_with_a_message_and_the_rest_is_stored(
    unscored_app, instagram, make_instagram_source
):
    app = unscored_app
    ownerless = media("3710000000000000077", "Tanpa pemilik") | {"user": None}
    undated = media("3710000000000000078", "Tanpa tanggal") | {"taken_at": "kemarin"}
    instagram.reply("GET", TAGS, feed_page([tagged(2)[0], ownerless, undated, tagged(2)[1]]))
    broken = text_message("29000000000000000000000000000009", "Jam berapa?", microseconds(90)) | {"timestamp": "x"}
    fine = text_message("29000000000000000000000000000008", "Min, ada pohon tumbang", microseconds(80))
    instagram.reply("GET", INBOX, inbox_page(thread(THREAD, fine) | {"items": [broken, fine]}))

    result = collect(app.sessions, make_instagram_source(streams=["tags", "direct"]), app.own_handles)

    assert result.failure is None
    assert result.errors == [
        "postingan 3710000000000000077 tidak terbaca, dilewati (AttributeError)",
        "postingan 3710000000000000078 tidak terbaca, dilewati (ValidationError)",
        "pesan 29000000000000000000000000000009 tidak terbaca, dilewati (ValueError)",
    ]
    assert sorted(stored_posts(app)) == [
        "29000000000000000000000000000008",
        "3710000000000000001",
        "3710000000000000002",
    ]


def test_hostile_comment_text_is_stored_cleaned_and_truncated_without_breaking_the_page(
    unscored_app, instagram, make_instagram_source
):
    app = unscored_app
    hostile = "<script>alert('x')</script>\x00\x1b[31m Jalan e\u0301\u202e rusak\ud800 " + "lubang " * 4300
    assert len(hostile) > 30_000
    instagram.reply("GET", OUR_POSTS, feed_page([our_post(OUR_PK, "Info", 2)]))
    instagram.reply(
        "GET",
        comments_endpoint(OUR_PK),
        comments_page(comment("17900000000000002", hostile), comment("17900000000000001", "Biasa saja")),
    )

    result = collect(app.sessions, make_instagram_source(streams=["comments"]), app.own_handles)

    assert result.failure is None and result.errors == [] and result.added == 3
    text = stored_posts(app)["17900000000000002"].text
    assert text.startswith("<script>alert('x')</script>[31m Jalan \u00e9 rusak lubang "), "kept as text"
    assert len(text) == MAX_TEXT_CHARS
    assert not any(char in text for char in "\x00\x1b\ud800")
    assert stored_posts(app)["17900000000000001"].text == "Biasa saja"


def test_check_asks_each_feed_once_without_retrying(instagram, make_instagram_source, sleeps):
    instagram.in_turn("POST", hashtag_endpoint("laportuban"), (429, PLEASE_WAIT))
    instagram_source = make_instagram_source(hashtags=["laportuban"])
    with pytest.raises(SourceUnavailable, match="Instagram meminta jeda"):
        instagram_source.check()
    assert sleeps == [] and len(instagram.calls(hashtag_endpoint("laportuban"))) == 1

    instagram.reply("POST", hashtag_endpoint("laportuban"), hashtag_page())
    assert instagram_source.check() == [
        f"tag @{USERNAME} dapat dibaca (id akun {USER_ID})",
        f"0 postingan terbaru @{USERNAME} dapat dibaca",
        "tagar #laportuban dapat dibaca",
        "pesan langsung dapat dibaca",
        "permintaan pesan dapat dibaca",
    ]
