"""Collecting from Instagram: the real instagrapi client against a fake i.instagram.com, every item once."""

from __future__ import annotations

import pytest

from satukanal.intake.service import collect
from satukanal.review.service import queue
from tests import instagram_fakes as fake
from tests.factories import stored_cursors, stored_posts
from tests.instagram_fakes import (
    INBOX,
    OUR_POSTS,
    PENDING,
    TAGS,
    USER_ID,
    USERNAME,
    comments_endpoint,
    feed_page,
    hashtag_endpoint,
    inbox_page,
)
from tests.instagram_items import (
    CDN,
    CITIZEN,
    CITIZEN_ID,
    OUR_PK,
    QUIET_PK,
    REQUEST_THREAD,
    STRANGER,
    STRANGER_ID,
    THREAD,
    comment,
    comments_page,
    hashtag_page,
    media,
    microseconds,
    our_post,
    shared_post,
    story_mention,
    text_message,
    thread,
)

pytestmark = pytest.mark.usefixtures("watching_the_fake_instagram_account")


def test_every_stream_is_collected_once_and_a_quiet_rerun_asks_once_per_feed(
    unscored_app, instagram, make_instagram_source
):
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
    instagram_source = make_instagram_source(hashtags=["#LaporTuban"])

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


def test_only_new_comments_are_read_and_our_reply_is_ours_and_never_queued(
    unscored_app, instagram, make_instagram_source
):
    app = unscored_app
    first_two = [comment("17900000000000002", "Air mati lagi min"), comment("17900000000000001", "Sampai jam berapa?")]
    instagram.reply("GET", OUR_POSTS, feed_page([our_post(OUR_PK, "Info air", 2), our_post(QUIET_PK, "Info jalan", 1)]))
    instagram.reply("GET", comments_endpoint(OUR_PK), comments_page(*first_two))
    instagram.reply("GET", comments_endpoint(QUIET_PK), comments_page(comment("17800000000000001", "Kapan diaspal?")))
    instagram_source = make_instagram_source(streams=["comments"])
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


def test_a_post_shared_into_our_messages_is_stored_once_as_that_post(unscored_app, instagram, make_instagram_source):
    app = unscored_app
    shared = media(
        "3730000000000000001", "Jembatan di Desa Kebonharjo retak", user_pk="5550003", username="warga.kerek"
    )
    message = shared_post("29000000000000000000000000000006", shared, microseconds(60))
    instagram.reply("GET", INBOX, inbox_page(thread(THREAD, message)))
    instagram_source = make_instagram_source(streams=["tags", "direct"])

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


def test_a_burst_of_messages_longer_than_the_inbox_shows_is_read_to_the_last_one_stored(
    unscored_app, instagram, make_instagram_source
):
    app = unscored_app
    first = text_message("29000000000000000000000000000010", "Halo min", microseconds(100))
    instagram.reply("GET", INBOX, inbox_page(thread(THREAD, first)))
    instagram_source = make_instagram_source(streams=["direct"])
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


def test_a_watched_account_other_than_ours_is_looked_up_once(unscored_app, instagram, make_instagram_source):
    app = unscored_app
    instagram.reply("GET", "users/laportuban/usernameinfo/", {"user": fake.user("laportuban"), "status": "ok"})
    instagram_source = make_instagram_source(streams=["tags"], account="@LaporTuban")

    collect(app.sessions, instagram_source, app.own_handles)
    collect(app.sessions, instagram_source, app.own_handles)

    assert stored_cursors(app)["account:laportuban"] == USER_ID
    assert len(instagram.calls("users/laportuban/usernameinfo/")) == 1
