"""The Graph API Instagram channel against a fake graph.facebook.com: recaps, replies, failures and exactly once.
Only the HTTP layer is fake (``tests.graph_fakes``): the real ``GraphClient`` sends every request through a
``requests.Session``, so paths, form fields and headers are checked as Meta would receive them."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import select

from monitor.graph_api import GraphClient
from publisher import instagram_graph as limits
from publisher.channels import REPLY_TARGET_FILE, REPLY_TEXT_FILE, Item, PublishError, ReplyTarget
from publisher.instagram_graph import InstagramGraphChannel
from satukanal.models import Publication
from satukanal.publishing.service import publish_recap
from tests import graph_fakes as fake
from tests.graph_fakes import CITIZEN, PAGE_ID, TOKEN, USER_ID
from tests.publishing_helpers import AFTER, WEEK

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CAPTION = "Rekap aduan warganet Tuban, pekan 47 (16–22 November 2026)\n\n12 aduan diterima.\n\n#Tuban #LaporTuban"
TEXT = "Terima kasih, aduan Anda tentang jalan berlubang sudah kami teruskan ke Dinas PUPR."
COMMENT_ID, MEDIA_ID = "17900000000000011", "17990000000000001"


def card_url(item: Item, name: str) -> str:
    return f"https://satukanal.example.go.id/kartu/{item.key}/{name}"


def recap(cards: int = 1, caption: str = CAPTION) -> Item:
    files: dict[str, str | bytes] = {"instagram-caption.txt": caption + "\n"}
    return Item("weekly-2026-W47", files | {f"card-{n}.png": b"\x89PNG dummy" for n in range(1, cards + 1)})


def reply(kind: str, text: str = TEXT, **target) -> Item:
    files = {REPLY_TARGET_FILE: ReplyTarget(kind, **target).to_json(), REPLY_TEXT_FILE: text + "\n"}
    return Item(f"reply-{kind}", files)


def message(window_ends: datetime | None = NOW + timedelta(hours=3), **options) -> Item:
    return reply("message", id="aWdfZAG1mid", recipient=CITIZEN, window_ends=window_ends, **options)


def channel_for(sleeps, **options) -> InstagramGraphChannel:
    client = GraphClient(requests.Session(), TOKEN)
    return InstagramGraphChannel(client, USER_ID, card_url, clock=lambda: NOW, sleep=sleeps, **options)


@pytest.fixture
def graph():
    with fake.fake_graph() as graph:
        yield graph


@pytest.fixture
def channel(graph, sleeps):
    return channel_for(sleeps)


def test_a_carousel_checks_the_quota_then_builds_one_container_per_card_in_order_and_publishes(graph, channel):
    item = recap(cards=limits.CARD_LIMIT)  # card-10 comes after card-9

    (media_id,) = channel.publish(item)

    quota, *cards, carousel, status, published = graph.received
    assert (quota.method, quota.path) == ("GET", f"{USER_ID}/content_publishing_limit")
    assert quota.query["fields"] == "quota_usage,config"
    urls = [card_url(item, f"card-{n}.png") for n in range(1, limits.CARD_LIMIT + 1)]
    assert [(call.path, call.form) for call in cards] == [
        (f"{USER_ID}/media", {"image_url": url, "is_carousel_item": "true"}) for url in urls
    ]
    children = [container_id for container_id, container in graph.containers.items() if container.get("item")]
    assert carousel.form == {"media_type": "CAROUSEL", "children": ",".join(children), "caption": CAPTION}
    assert (status.method, status.path) == ("GET", published.form["creation_id"])
    assert graph.posts == [{"id": media_id, "caption": CAPTION, "timestamp": fake.TIMESTAMP, "images": urls}]
    # The token travels in the Authorization header only, never in a URL or a form.
    assert {call.headers["Authorization"] for call in graph.received} == {f"Bearer {TOKEN}"}
    assert not [call for call in graph.received if "access_token" in call.url or TOKEN in call.url + str(call.form)]


def test_one_card_is_posted_as_a_single_image(graph, channel):
    item = recap(cards=1)

    assert channel.publish(item) == [graph.posts[0]["id"]]

    (created,) = graph.calls("POST", f"{USER_ID}/media")
    assert created.form == {"image_url": card_url(item, "card-1.png"), "caption": CAPTION}


@pytest.mark.parametrize("total", [50, None], ids=["from-config", "default"])
def test_the_quota_from_metas_config_is_checked_before_any_container(graph, channel, total):
    limit = total or limits.DEFAULT_QUOTA
    graph.quota_total, graph.quota_usage = total, limit - 1
    channel.publish(recap(cards=2))  # the last post the quota allows
    sent = len(graph.received)

    with pytest.raises(PublishError) as failed:
        channel.publish(recap(cards=2))

    assert failed.value.retryable and f"{limit} dari {limit}" in str(failed.value)
    assert [call.path for call in graph.received[sent:]] == [f"{USER_ID}/content_publishing_limit"]


def test_the_container_is_checked_until_meta_has_finished_it(graph, channel, sleeps):
    graph.statuses = ["IN_PROGRESS", "IN_PROGRESS"]

    assert channel.publish(recap(cards=2)) == [graph.posts[0]["id"]]

    (published,) = graph.calls("POST", f"{USER_ID}/media_publish")
    assert len(graph.calls("GET", published.form["creation_id"])) == len(graph.statuses) + 1 == len(sleeps) + 1


@pytest.mark.parametrize(
    ("statuses", "retryable", "words"),
    [
        pytest.param(["IN_PROGRESS"] * (limits.STATUS_CHECKS + 1), True, ["belum selesai"], id="never-ready"),
        pytest.param(["ERROR"], False, ["status ERROR", "satukanal.example.go.id"], id="error"),
        pytest.param(["EXPIRED"], False, ["status EXPIRED"], id="expired"),
    ],
)
def test_a_container_meta_has_not_finished_is_never_published(graph, channel, sleeps, statuses, retryable, words):
    graph.statuses = statuses

    with pytest.raises(PublishError) as failed:
        channel.publish(recap(cards=2))

    assert failed.value.retryable is retryable and all(word in str(failed.value) for word in words)
    assert len(sleeps) == (limits.STATUS_CHECKS - 1 if retryable else 0)
    assert not graph.calls("POST", f"{USER_ID}/media_publish") and not graph.posts


def test_find_published_finds_the_post_by_its_caption_however_reflowed_and_never_guesses(graph, channel):
    ours = {"id": "17918000000000047", "caption": CAPTION.replace("\n\n", " \r\n") + "  "}
    graph.posts = [{"id": "17918000000000050", "caption": "Info vaksinasi"}, ours]
    assert channel.find_published(recap()) == [ours["id"]]
    graph.posts.remove(ours)
    assert channel.find_published(recap()) is None

    graph.fail_once("GET", f"{USER_ID}/media", *fake.SERVER_ERROR)
    with pytest.raises(PublishError) as failed:
        channel.find_published(recap())
    assert failed.value.retryable, "a failed lookup is not 'not there'"


def test_a_publish_whose_answer_was_lost_is_recovered_by_the_ledger_not_posted_twice(busy_week, graph, sleeps):
    app = busy_week
    graph.lose_answer_once("POST", f"{USER_ID}/media_publish")

    outcome = publish_recap(app.sessions, app.settings, channel_for(sleeps), WEEK, "t", now=AFTER, sleep=sleeps)

    (post,) = graph.posts
    assert (outcome.status, outcome.remote_ids) == ("recovered", [post["id"]])
    assert len(graph.calls("POST", f"{USER_ID}/media_publish")) == 1 and len(sleeps) == 1
    with app.sessions() as session:
        entry = session.scalar(select(Publication))
    assert (entry.status, entry.remote_ids) == ("published", [post["id"]])
    assert post["caption"] == entry.content["files"]["instagram-caption.txt"].strip()


def test_a_comment_is_answered_in_its_thread_and_found_there_again(graph, channel):
    graph.comment(COMMENT_ID, {"id": "17911000000000001", "text": "Kapan diperbaiki?", "username": "warga.jenu"})
    item = reply("comment", id=COMMENT_ID, media_id=MEDIA_ID)
    assert channel.find_published(item) is None

    (reply_id,) = channel.publish(item)

    (sent,) = graph.calls("POST", f"{COMMENT_ID}/replies")
    assert sent.form == {"message": TEXT}
    assert channel.find_published(item) == [reply_id]


@pytest.mark.parametrize(("kind", "comment"), [("mentioned_comment", {"comment_id": COMMENT_ID}), ("media", {})])
def test_a_mention_is_answered_through_the_mentions_edge(graph, channel, kind, comment):
    item = reply(kind, id=comment.get("comment_id", MEDIA_ID), media_id=MEDIA_ID)

    (reply_id,) = channel.publish(item)

    (sent,) = graph.calls("POST", f"{USER_ID}/mentions")
    assert sent.form == {"media_id": MEDIA_ID} | comment | {"message": TEXT}
    assert graph.mention_replies == [{"id": reply_id} | sent.form]
    asked = len(graph.received)
    assert channel.find_published(item) is None, "Meta cannot list our replies to a mention"
    assert len(graph.received) == asked


def test_a_lost_answer_to_a_mention_reply_is_left_to_a_person_while_a_comment_reply_is_retried(graph, channel):
    graph.lose_answer_once("POST", f"{USER_ID}/mentions")
    with pytest.raises(PublishError) as mention:
        channel.publish(reply("media", id=MEDIA_ID))
    graph.comment(COMMENT_ID)
    graph.lose_answer_once("POST", f"{COMMENT_ID}/replies")
    with pytest.raises(PublishError) as comment:
        channel.publish(reply("comment", id=COMMENT_ID))

    assert not mention.value.retryable and "periksa dulu" in str(mention.value)
    assert comment.value.retryable
    assert channel.find_published(reply("comment", id=COMMENT_ID)) == [graph.replies[COMMENT_ID][0]["id"]]


@pytest.mark.parametrize("messaging_id", [None, PAGE_ID])
def test_a_message_inside_the_window_is_sent_and_found_again(graph, sleeps, messaging_id):
    channel, owner = channel_for(sleeps, messaging_id=messaging_id), messaging_id or USER_ID
    graph.citizen_wrote(TEXT)  # the citizen's own words, the same as ours, are not our reply
    item = message()
    assert channel.find_published(item) is None

    (message_id,) = channel.publish(item)

    (sent,) = graph.calls("POST", f"{owner}/messages")
    sent_json = {key: json.loads(value) for key, value in sent.form.items()}
    assert sent_json == {"recipient": {"id": CITIZEN}, "message": {"text": TEXT}}
    assert channel.find_published(item) == [message_id]
    looked = graph.calls("GET", f"{owner}/conversations")[-1]
    assert (looked.query["platform"], looked.query["user_id"]) == ("instagram", CITIZEN)


def test_a_message_outside_the_window_is_refused_with_the_reason(graph, channel):
    late = message(window_ends=NOW - timedelta(minutes=1))
    with pytest.raises(PublishError) as ours:
        channel.publish(late)
    assert not graph.received, "nothing is sent once the window is known to be closed"

    graph.window_closed.add(CITIZEN)
    with pytest.raises(PublishError) as metas:
        channel.publish(message(window_ends=None))  # the end unknown: Meta decides

    assert str(ours.value) == ReplyTarget.of(late).window_closed(NOW) and "24 jam" in str(metas.value)
    assert not ours.value.retryable and not metas.value.retryable


COMMENT, PERMISSION = reply("comment", id=COMMENT_ID), (403, fake.error(200, "(#200) Permissions error"))
LIMIT, MEDIA, PUBLISH = f"{USER_ID}/content_publishing_limit", f"{USER_ID}/media", f"{USER_ID}/media_publish"
REFUSED = (400, fake.error(36003, "The aspect ratio is not supported.", 2207009))


RETRY, NO_RETRY = (True, None), (False, None)


@pytest.mark.parametrize(
    ("item", "method", "path", "answer", "verdict", "words"),
    [
        pytest.param(recap(), "GET", LIMIT, fake.TOKEN_EXPIRED, NO_RETRY, "SATUKANAL_META_ACCESS_TOKEN", id="token"),
        pytest.param(recap(), "POST", MEDIA, fake.rate_limited(17), (True, 17 * 60), "jeda", id="rate-limited"),
        pytest.param(recap(), "POST", PUBLISH, fake.SERVER_ERROR, RETRY, "HTTP 500", id="server-error"),
        pytest.param(recap(), "POST", PUBLISH, fake.PUBLISHING_LIMIT, RETRY, "batas unggahan", id="quota"),
        pytest.param(recap(), "POST", MEDIA, REFUSED, NO_RETRY, "aspect ratio is not supported", id="refused"),
        pytest.param(recap(), "GET", LIMIT, PERMISSION, NO_RETRY, "instagram_content_publish", id="publish"),
        pytest.param(COMMENT, "POST", f"{COMMENT_ID}/replies", PERMISSION, NO_RETRY, "instagram_manage_comments"),
        pytest.param(message(), "POST", f"{USER_ID}/messages", PERMISSION, NO_RETRY, "instagram_manage_messages"),
    ],
)
def test_what_meta_answers_decides_whether_to_retry(graph, channel, item, method, path, answer, verdict, words):
    status, body, *headers = answer
    echoed = body | {"error": body["error"] | {"message": f"{body['error']['message']} {TOKEN}"}}
    graph.comment(COMMENT_ID)
    graph.fail_once(method, path, status, echoed, *headers)

    with pytest.raises(PublishError) as failed:
        channel.publish(item)

    assert (failed.value.retryable, failed.value.retry_after) == verdict
    assert words in str(failed.value) and not graph.posts
    assert TOKEN not in str(failed.value), "not even when Meta's message repeats it"


HOSTILE = "<script>alert('x')</script> &amp; \u202eTUBAN\u202c Jl. Sunan\u200d 👩‍👩‍👧 é\u0301 ﷽ 𝕋𝕦𝕓𝕒𝕟 %2F%00? a=b&c=d"


def test_hostile_text_reaches_meta_unchanged(graph, channel):
    channel.publish(recap(cards=2, caption=HOSTILE))
    graph.comment(COMMENT_ID)
    channel.publish(reply("comment", HOSTILE, id=COMMENT_ID))

    assert graph.posts[0]["caption"] == HOSTILE and graph.replies[COMMENT_ID][0]["text"] == HOSTILE
    assert channel.find_published(recap(caption=HOSTILE)) == [graph.posts[0]["id"]]


CAPTION_OVER, MESSAGE_OVER, CARDS_OVER = limits.CAPTION_LIMIT + 1, limits.MESSAGE_LIMIT + 1, limits.CARD_LIMIT + 1


@pytest.mark.parametrize(
    ("item", "words"),
    [
        pytest.param(recap(caption="a" * CAPTION_OVER), f"{CAPTION_OVER} karakter", id="caption"),
        pytest.param(recap(caption="  "), "0 karakter", id="empty-caption"),
        pytest.param(recap(cards=CARDS_OVER), f"{CARDS_OVER} kartu", id="eleven-cards"),
        pytest.param(recap(cards=0), "card-1.png", id="no-card"),
        pytest.param(message(text="b" * MESSAGE_OVER), f"{MESSAGE_OVER} karakter", id="message"),
        pytest.param(reply("comment", "c" * CAPTION_OVER, id=COMMENT_ID), f"{CAPTION_OVER} karakter", id="comment"),
    ],
)
def test_what_instagram_would_refuse_is_refused_before_any_request(graph, channel, item, words):
    with pytest.raises(PublishError) as refused:
        channel.publish(item)

    assert not refused.value.retryable and words in str(refused.value)
    assert not graph.received
