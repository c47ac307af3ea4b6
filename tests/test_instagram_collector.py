"""Collecting from Instagram: the real instagrapi client against a fake i.instagram.com, every item once."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from monitor import Retrier, SourceBroken, SourceUnavailable
from monitor.instagram import InstagramSource
from monitor.records import MAX_TEXT_CHARS
from satukanal.intake.service import collect
from satukanal.models import SourceHealth
from satukanal.review.service import queue
from tests import instagram_fakes as fake
from tests.factories import stored_cursors, stored_posts
from tests.instagram_fakes import (
    CDN,
    CITIZEN,
    CITIZEN_ID,
    INBOX,
    OUR_POSTS,
    PENDING,
    PLEASE_WAIT,
    STRANGER,
    STRANGER_ID,
    TAGS,
    USER_ID,
    USERNAME,
    comment,
    comments_endpoint,
    comments_page,
    feed_page,
    hashtag_endpoint,
    hashtag_page,
    inbox_page,
    media,
    microseconds,
    our_post,
    story_mention,
    text_message,
    thread,
)

OUR_PK = "3700000000000000100"
QUIET_PK = "3700000000000000090"
THREAD = "340282366841710300949128100000000001"
REQUEST_THREAD = "340282366841710300949128100000000002"


@pytest.fixture
def config_file(config_file: Path) -> Path:
    """The test configuration watching the fake's account, so that its posts and messages count as ours."""
    config_file.write_text(
        config_file.read_text() + f'\n[accounts.instagram]\nwatched = ["{USERNAME}"]\n', encoding="utf-8"
    )
    return config_file


@pytest.fixture
def instagram(monkeypatch):
    with fake.fake_instagram(monkeypatch) as instagram:
        instagram.quiet()
        yield instagram


@pytest.fixture
def source(instagram, tmp_path: Path, sleeps):
    """Builds the source the application would, its client logged in from a saved session on first use."""

    def build(**options) -> InstagramSource:
        options.setdefault("retrier", Retrier(sleep=sleeps))
        options.setdefault("account", USERNAME)
        session_file = tmp_path / "instagram-session.json"
        return InstagramSource("instagram", lambda: fake.logged_in_client(session_file, instagram), **options)

    return build


def tagged(count: int) -> list[dict]:
    """``count`` posts tagging the account, newest first."""
    return [
        media(f"37100000000000000{n:02d}", f"Laporan nomor {n}", taken_at=fake.TAKEN_AT + n)
        for n in range(count, 0, -1)
    ]


def test_every_stream_is_collected_once_and_a_quiet_rerun_asks_once_per_feed(unscored_app, instagram, source):
    app = unscored_app
    tags = [
        media("3710000000000000002", "@humas.uji jalan di Jl. Basuki Rahmat berlubang, tolong diperbaiki"),
        media("3710000000000000001", "Lampu PJU di Desa Sugihwaras mati sejak Senin"),
    ]
    instagram.reply("GET", TAGS, feed_page(tags))
    instagram.reply("GET", OUR_POSTS, feed_page([our_post(OUR_PK, "Info pemadaman air PDAM hari Selasa", 2)]))
    instagram.reply(
        "GET",
        comments_endpoint(OUR_PK),
        comments_page(comment("17900000000000002", "Air mati lagi min"), comment("17900000000000001", "Sampai jam?")),
    )
    hashtag_post = media("3720000000000000001", "#laportuban sampah numpuk", user_pk="5550003", username="warga.kerek")
    instagram.reply("POST", hashtag_endpoint("laportuban"), hashtag_page(hashtag_post))
    conversation = thread(
        THREAD,
        text_message("29000000000000000000000000000002", "Min, saluran air di depan SD mampet", microseconds(20)),
        story_mention("29000000000000000000000000000003", microseconds(30)),
        text_message("29000000000000000000000000000004", "Baik, kami teruskan ke DLHP", microseconds(40), USER_ID),
    )
    instagram.reply("GET", INBOX, inbox_page(conversation))
    request = text_message("29000000000000000000000000000005", "Permisi, mau lapor", microseconds(50), STRANGER_ID)
    request_thread = thread(REQUEST_THREAD, request, user_pk=STRANGER_ID, username=STRANGER, pending=True)
    instagram.reply("GET", PENDING, inbox_page(request_thread))
    instagram_source = source(hashtags=["#LaporTuban"])

    first = collect(app.sessions, instagram_source, app.own_handles)

    assert first.failure is None and first.errors == []
    posts = stored_posts(app)
    assert {post_id: (post.kind, post.author, post.is_own) for post_id, post in posts.items()} == {
        "3710000000000000002": ("tag", CITIZEN, False),
        "3710000000000000001": ("tag", CITIZEN, False),
        OUR_PK: ("post", USERNAME, True),
        "17900000000000002": ("comment", CITIZEN, False),
        "17900000000000001": ("comment", CITIZEN, False),
        "3720000000000000001": ("mention", "warga.kerek", False),
        "29000000000000000000000000000002": ("dm", CITIZEN, False),
        "29000000000000000000000000000003": ("dm", CITIZEN, False),
        "29000000000000000000000000000004": ("dm", USERNAME, True),
        "29000000000000000000000000000005": ("dm", STRANGER, False),
    }
    assert first.added == 10
    tag = posts["3710000000000000002"]
    assert tag.url == f"https://www.instagram.com/p/{tags[0]['code']}/"
    assert (tag.account, tag.author_id, tag.created_at.timestamp()) == (USERNAME, CITIZEN_ID, fake.TAKEN_AT)
    assert tag.media == [
        {
            "type": "photo",
            "url": f"{CDN}post-3710000000000000002-1080.jpg",
            "preview_url": f"{CDN}post-3710000000000000002-150.jpg",
            "width": 1080,
            "height": 1350,
        }
    ]
    reply = posts["17900000000000002"]
    assert (reply.in_reply_to, reply.url) == (OUR_PK, posts[OUR_PK].url)
    assert reply.raw == {"media_pk": OUR_PK}
    assert posts["3720000000000000001"].raw["hashtag"] == "laportuban"
    mention = posts["29000000000000000000000000000003"]
    assert mention.text == f"(menyebut @{USERNAME} di story)"
    assert mention.raw == {"thread_id": THREAD, "story_mention": True, "story_pk": "3799000000000000001"}
    assert (
        mention.media[0]["url"] == f"{CDN}story-1080.jpg" and mention.media[0]["preview_url"] == f"{CDN}story-150.jpg"
    )
    assert mention.created_at.timestamp() == fake.TAKEN_AT + 30, "direct timestamps are microseconds"
    assert posts["29000000000000000000000000000005"].raw == {"thread_id": REQUEST_THREAD, "message_request": True}

    second = collect(app.sessions, instagram_source, app.own_handles)

    assert (second.added, second.failure, second.errors) == (0, None, [])
    feeds = [TAGS, OUR_POSTS, comments_endpoint(OUR_PK), hashtag_endpoint("laportuban"), INBOX, PENDING]
    assert [len(instagram.calls(endpoint)) for endpoint in feeds] == [2, 2, 1, 2, 2, 2], (
        "nothing new: one request per feed, and none for comments while the count stands"
    )
    assert len(instagram.calls("accounts/current_user/")) == 1, "the client is built once"
    assert stored_cursors(app)["direct:inbox"] == f'{{"since": "{microseconds(40)}"}}'


def test_only_new_comments_are_read_and_our_reply_is_ours_and_never_queued(unscored_app, instagram, source):
    app = unscored_app
    first_two = [comment("17900000000000002", "Air mati lagi min"), comment("17900000000000001", "Sampai jam berapa?")]
    instagram.reply("GET", OUR_POSTS, feed_page([our_post(OUR_PK, "Info air", 2), our_post(QUIET_PK, "Info jalan", 1)]))
    instagram.reply("GET", comments_endpoint(OUR_PK), comments_page(*first_two))
    instagram.reply("GET", comments_endpoint(QUIET_PK), comments_page(comment("17800000000000001", "Kapan diaspal?")))
    instagram_source = source(streams=["comments"])
    assert collect(app.sessions, instagram_source, app.own_handles).added == 5

    ours = comment("17900000000000004", "Sore ini sudah normal kembali", user_pk=USER_ID, username=USERNAME)
    newer = comment("17900000000000003", "Di Kec. Semanding juga mati", user_pk="5550004", username="warga.semanding")
    instagram.reply("GET", OUR_POSTS, feed_page([our_post(OUR_PK, "Info air", 4), our_post(QUIET_PK, "Info jalan", 1)]))
    instagram.reply("GET", comments_endpoint(OUR_PK), comments_page(ours, newer, *first_two, next_max_id="QVFEb2xkZXI"))

    second = collect(app.sessions, instagram_source, app.own_handles)

    assert (second.failure, second.added, second.duplicates) == (None, 2, 0)
    assert len(instagram.calls(comments_endpoint(OUR_PK))) == 2
    assert instagram.sent(comments_endpoint(OUR_PK), "max_id") == [None, None], "older comments were known"
    assert len(instagram.calls(comments_endpoint(QUIET_PK))) == 1, "its comment count did not change"
    posts = stored_posts(app)
    reply = posts["17900000000000004"]
    assert (reply.kind, reply.author, reply.is_own, reply.in_reply_to) == ("comment", USERNAME, True, OUR_PK)
    with app.sessions() as session:
        waiting = {post.platform_id for post in queue(session, flagged=None)}
    assert waiting == {"17900000000000001", "17900000000000002", "17900000000000003", "17800000000000001"}

    third = collect(app.sessions, instagram_source, app.own_handles)
    assert third.added == 0 and len(instagram.calls(comments_endpoint(OUR_PK))) == 2


def test_a_post_shared_into_our_messages_is_stored_once_as_that_post(unscored_app, instagram, source):
    app = unscored_app
    shared = media(
        "3730000000000000001", "Jembatan di Desa Kebonharjo retak", user_pk="5550003", username="warga.kerek"
    )
    message = fake.shared_post("29000000000000000000000000000006", shared, microseconds(60))
    instagram.reply("GET", INBOX, inbox_page(thread(THREAD, message)))
    instagram_source = source(streams=["tags", "direct"])

    first = collect(app.sessions, instagram_source, app.own_handles)

    assert first.failure is None and first.errors == []
    posts = stored_posts(app)
    assert list(posts) == ["3730000000000000001"], "the post, not a second item for the message"
    post = posts["3730000000000000001"]
    assert (post.author, post.author_id, post.text) == ("warga.kerek", "5550003", "Jembatan di Desa Kebonharjo retak")
    assert post.url == f"https://www.instagram.com/p/{shared['code']}/", (
        "the shortcode of the pk, not of '<pk>_<owner>'"
    )
    assert post.raw == {"media_type": 1, "thread_id": THREAD, "shared_by": CITIZEN}
    assert stored_cursors(app)["direct:inbox"] == f'{{"since": "{microseconds(60)}"}}'

    instagram.reply("GET", TAGS, feed_page([shared]))
    second = collect(app.sessions, instagram_source, app.own_handles)
    assert (second.added, second.duplicates) == (0, 1), "tagged later, the same post is a duplicate"
    assert len(stored_posts(app)) == 1


def test_a_challenge_stops_the_source_at_once_and_keeps_what_was_stored(unscored_app, instagram, source, sleeps):
    app = unscored_app
    instagram.reply("GET", TAGS, feed_page(tagged(2)))
    instagram.reply("GET", OUR_POSTS, fake.challenge(), status=400)

    result = collect(app.sessions, source(streams=["tags", "comments", "direct"]), app.own_handles)

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


def test_after_a_challenge_the_next_run_logs_in_again_from_the_session_file(unscored_app, instagram, source):
    app = unscored_app
    instagram.reply("GET", TAGS, fake.challenge(), status=400)
    tags = source(streams=["tags"])
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
def test_a_refused_session_or_a_restriction_breaks_the_source(unscored_app, instagram, source, sleeps, answer, code):
    app = unscored_app
    instagram.in_turn("GET", TAGS, answer)
    result = collect(app.sessions, source(streams=["tags"]), app.own_handles)
    assert isinstance(result.failure, SourceBroken) and result.failure.code == code
    assert len(instagram.calls(TAGS)) == 1 and sleeps == []


@pytest.mark.parametrize("status", [429, 400])
def test_please_wait_a_few_minutes_waits_capped_then_finishes(unscored_app, instagram, source, sleeps, status):
    app = unscored_app
    instagram.in_turn("GET", TAGS, (status, PLEASE_WAIT), feed_page(tagged(2)))
    retrier = Retrier(max_wait=120, sleep=sleeps)

    result = collect(app.sessions, source(streams=["tags"], retrier=retrier), app.own_handles)

    assert result.failure is None and result.added == 2
    assert sleeps == [120], "Instagram names no time: 300 s, capped by the retrier"
    assert len(instagram.calls(TAGS)) == 2


def test_a_crash_while_paging_the_tags_then_a_rerun_loses_and_duplicates_nothing(unscored_app, instagram, source):
    app = unscored_app
    posts = tagged(5)
    page_two = feed_page(posts[2:4], next_max_id=posts[3]["id"])
    pages = {None: feed_page(posts[:2], next_max_id=posts[1]["id"]), posts[3]["id"]: feed_page(posts[4:])}
    instagram.paged(TAGS, pages | {posts[1]["id"]: RuntimeError("the collector was killed")})

    with pytest.raises(RuntimeError):
        collect(app.sessions, source(streams=["tags"]), app.own_handles)
    assert sorted(stored_posts(app)) == ["3710000000000000004", "3710000000000000005"]
    assert f'"resume": "{posts[1]["id"]}"' in stored_cursors(app)["tags"]

    instagram.paged(TAGS, pages | {posts[1]["id"]: page_two})
    resumed = collect(app.sessions, source(streams=["tags"]), app.own_handles)

    assert (resumed.failure, resumed.added, resumed.duplicates) == (None, 3, 0)
    assert instagram.sent(TAGS, "max_id") == [None, posts[1]["id"], posts[1]["id"], posts[3]["id"]]
    assert sorted(stored_posts(app)) == sorted(post["pk"] for post in posts)
    assert stored_cursors(app)["tags"] == '{"since": "3710000000000000005"}'

    newest = media("3710000000000000006", "Laporan nomor 6", taken_at=fake.TAKEN_AT + 6)
    instagram.paged(TAGS, {None: feed_page([newest, posts[0]], next_max_id=posts[0]["id"])})
    newer = collect(app.sessions, source(streams=["tags"]), app.own_handles)
    assert newer.added == 1 and instagram.sent(TAGS, "max_id")[4:] == [None], "the new post took one request"


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ((200, '{"items": [{"pk": "3710000000000000003", "taken_'), "bukan JSON"),
        ((502, "<html><body>502 Bad Gateway</body></html>"), "HTTP 502"),
    ],
)
def test_an_unreadable_answer_gives_up_for_this_run_keeping_the_complete_pages(
    unscored_app, instagram, source, sleeps, answer, says
):
    app = unscored_app
    posts = tagged(4)
    instagram.paged(TAGS, {None: feed_page(posts[:2], next_max_id=posts[1]["id"]), posts[1]["id"]: answer})

    result = collect(app.sessions, source(streams=["tags"]), app.own_handles)

    assert isinstance(result.failure, SourceUnavailable) and says in str(result.failure)
    assert sleeps == [5, 10, 20] and len(instagram.calls(TAGS)) == 5, "backed off, then gave up"
    assert sorted(stored_posts(app)) == ["3710000000000000003", "3710000000000000004"]
    assert f'"resume": "{posts[1]["id"]}"' in stored_cursors(app)["tags"], "the next run continues there"


def test_a_malformed_item_is_skipped_with_a_message_and_the_rest_is_stored(unscored_app, instagram, source):
    app = unscored_app
    ownerless = media("3710000000000000077", "Tanpa pemilik") | {"user": None}
    undated = media("3710000000000000078", "Tanpa tanggal") | {"taken_at": "kemarin"}
    instagram.reply("GET", TAGS, feed_page([tagged(2)[0], ownerless, undated, tagged(2)[1]]))
    broken = text_message("29000000000000000000000000000009", "Jam berapa?", microseconds(90)) | {"timestamp": "x"}
    fine = text_message("29000000000000000000000000000008", "Min, ada pohon tumbang", microseconds(80))
    instagram.reply("GET", INBOX, inbox_page(thread(THREAD, fine) | {"items": [broken, fine]}))

    result = collect(app.sessions, source(streams=["tags", "direct"]), app.own_handles)

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
    unscored_app, instagram, source
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

    result = collect(app.sessions, source(streams=["comments"]), app.own_handles)

    assert result.failure is None and result.errors == [] and result.added == 3
    text = stored_posts(app)["17900000000000002"].text
    assert text.startswith("<script>alert('x')</script>[31m Jalan \u00e9 rusak lubang "), "kept as text"
    assert len(text) == MAX_TEXT_CHARS
    assert not any(char in text for char in "\x00\x1b\ud800")
    assert stored_posts(app)["17900000000000001"].text == "Biasa saja"


def test_a_burst_of_messages_longer_than_the_inbox_shows_is_read_to_the_last_one_stored(
    unscored_app, instagram, source
):
    app = unscored_app
    first = text_message("29000000000000000000000000000010", "Halo min", microseconds(100))
    instagram.reply("GET", INBOX, inbox_page(thread(THREAD, first)))
    instagram_source = source(streams=["direct"])
    collect(app.sessions, instagram_source, app.own_handles)

    burst = [
        text_message(f"290000000000000000000000000000{n}", f"Foto ke-{n}", microseconds(n * 10)) for n in (11, 12, 13)
    ]
    shown = thread(THREAD, *burst[1:], has_older=True, oldest_cursor="older-than-12")
    instagram.reply("GET", INBOX, inbox_page(shown))
    instagram.reply(
        "GET",
        f"direct_v2/threads/{THREAD}/",
        {"thread": {"items": [burst[0], first], "has_older": True, "oldest_cursor": "older-than-11"}},
    )

    result = collect(app.sessions, instagram_source, app.own_handles)

    assert (result.failure, result.added, result.duplicates) == (None, 3, 0)
    assert instagram.sent(f"direct_v2/threads/{THREAD}/", "cursor") == ["older-than-12"], "until a stored one"


def test_a_watched_account_other_than_ours_is_looked_up_once(unscored_app, instagram, source):
    app = unscored_app
    instagram.reply("GET", "users/laportuban/usernameinfo/", {"user": fake.user("laportuban"), "status": "ok"})
    instagram_source = source(streams=["tags"], account="@LaporTuban")

    collect(app.sessions, instagram_source, app.own_handles)
    collect(app.sessions, instagram_source, app.own_handles)

    assert stored_cursors(app)["account:laportuban"] == USER_ID
    assert len(instagram.calls("users/laportuban/usernameinfo/")) == 1


def test_check_asks_each_feed_once_without_retrying(instagram, source, sleeps):
    instagram.in_turn("POST", hashtag_endpoint("laportuban"), (429, PLEASE_WAIT))
    instagram_source = source(hashtags=["laportuban"])
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


def test_a_backfill_reads_from_the_top_back_to_its_start_whatever_the_cursor_says(unscored_app, instagram, source):
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
    collect(app.sessions, source(streams=["tags"], max_pages=1), app.own_handles)
    assert '"resume"' in stored_cursors(app)["tags"], "the page limit left the feed half-read"

    since = datetime.fromtimestamp(fake.TAKEN_AT + 2, UTC)  # after post 2 was taken
    backfill = collect(app.sessions, source(streams=["tags"], since=since, max_pages=1), app.own_handles)

    assert (backfill.failure, backfill.added, backfill.duplicates) == (None, 1, 2)
    assert instagram.sent(TAGS, "max_id") == [None, None, posts[1]["id"]], "from the top, past the page limit"
    assert sorted(stored_posts(app)) == ["3710000000000000003", "3710000000000000004", "3710000000000000005"]


def test_a_page_token_too_long_for_the_cursor_column_is_kept_for_the_run_only(unscored_app, instagram, source):
    app = unscored_app
    first, second = tagged(2)
    media_ids = [f"37{n:017d}" for n in range(20)]
    more = {"more_available": True, "next_max_id": "QVFCcGFnZTI", "next_media_ids": media_ids}
    instagram.in_turn("POST", hashtag_endpoint("laportuban"), hashtag_page(first) | more, hashtag_page(second))
    values = []

    result = collect(
        app.sessions,
        source(streams=["hashtags"], hashtags=["laportuban"]),
        app.own_handles,
        on_page=lambda page, stored: values.append(page.cursor_value),
    )

    assert (result.failure, result.added) == (None, 2)
    assert values == ['{"newest": "3710000000000000002"}', '{"since": "3710000000000000002"}']
    form = parse_qs(instagram.calls(hashtag_endpoint("laportuban"))[1].request.body)
    assert form["max_id"] == ["QVFCcGFnZTI"] and json.loads(form["next_media_ids"][0]) == media_ids
    assert (form["tab"], form["media_recency_filter"]) == (["recent"], ["top_recent_posts"])
