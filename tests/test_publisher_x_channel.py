"""XChannel on the real tweepy code path, against a fake X account answering in recorded X wire format."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import NamedTuple

import pytest
import requests
import responses
import tweepy
from PIL import Image

from publisher import Item, PublishError, thread_file
from publisher.x_channel import XChannel
from tests.x_fakes import (
    CREDENTIALS,
    ME_URL,
    MEDIA_UPLOAD_URL,
    TWEETS_URL,
    FakeX,
    invalid_request,
    make_client,
    multipart_fields,
    problem,
    recorded,
    recorded_headers,
)

NOW = 1_763_950_000  # the channel's clock, epoch seconds
THREAD = [
    "Rekap aduan warga Tuban pekan 47: 58 aduan masuk, 41 sudah ditindaklanjuti & 17 masih diproses. "
    "Lapor juga lewat lapor.go.id\n\n1/3",
    "Terbanyak: jalan rusak (21), lampu PJU mati (9), sampah (7). Rincian: https://tubankab.go.id/rekap/2026-W47\n\n2/3",
    "Terima kasih atas laporan Anda 🙏 #TubanBumiWali\n\n3/3",
]


def weekly_item(**images: bytes) -> Item:
    """The week's item as the recap renders it: the thread, the Instagram caption and ``card_1=`` ... images."""
    files: dict[str, str | bytes] = {"x-thread.json": thread_file(THREAD), "instagram-caption.txt": "Rekap pekan 47\n"}
    files.update({f"{name.replace('_', '-')}.png": png for name, png in images.items()})
    return Item(key="weekly-2026-W47", files=files)


def card(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def x():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeX(mock)


@pytest.fixture
def channel(x: FakeX) -> XChannel:
    return XChannel(make_client(), clock=lambda: NOW)


def test_thread_is_posted_in_order_each_tweet_replying_to_the_one_before(x: FakeX, channel: XChannel):
    ids = channel.publish(weekly_item())

    bodies = x.tweet_bodies()
    assert [body["text"] for body in bodies] == THREAD
    assert "reply" not in bodies[0]
    assert [body["reply"]["in_reply_to_tweet_id"] for body in bodies[1:]] == ids[:2]
    assert not any("media" in body for body in bodies)
    assert ids == [tweet["id"] for tweet in x.tweets]
    assert len(set(ids)) == 3


def timeline_reads(x: FakeX) -> int:
    return len(x.requests_to("GET", f"https://api.twitter.com/2/users/{x.account_id}/tweets"))


def test_the_account_is_looked_up_once(x: FakeX, channel: XChannel):
    channel.publish(weekly_item())
    channel.find_published(weekly_item())

    assert len(x.requests_to("GET", ME_URL)) == 1
    assert timeline_reads(x) == 2


def test_publish_right_after_find_published_reads_the_timeline_once(x: FakeX):
    now = [NOW]
    channel = XChannel(make_client(), clock=lambda: now[0])

    assert channel.find_published(weekly_item()) is None
    ids = channel.publish(weekly_item())
    assert timeline_reads(x) == 1

    now[0] += 3600
    assert channel.find_published(weekly_item()) == ids
    now[0] += 3600
    assert channel.publish(weekly_item()) == ids  # an hour on, the account is read again
    assert timeline_reads(x) == 3
    assert len(x.tweet_bodies()) == 3


def test_a_given_account_id_spares_the_lookup(x: FakeX):
    channel = XChannel(make_client(), user_id=x.account_id)

    assert channel.publish(weekly_item()) == [tweet["id"] for tweet in x.tweets]
    assert x.requests_to("GET", ME_URL) == []


def test_cards_go_to_the_v2_media_upload_and_onto_the_first_tweet_only(x: FakeX, channel: XChannel):
    red, blue = card("red"), card("blue")

    channel.publish(weekly_item(card_2=blue, card_1=red))

    uploads = [multipart_fields(request) for request in x.requests_to("POST", MEDIA_UPLOAD_URL)]
    assert [fields["media"] for fields in uploads] == [red, blue]
    assert all(fields["media_category"] == b"tweet_image" for fields in uploads)
    bodies = x.tweet_bodies()
    assert bodies[0]["media"]["media_ids"] == list(x.media)
    assert [x.media[media_id] for media_id in bodies[0]["media"]["media_ids"]] == [red, blue]
    assert not any("media" in body for body in bodies[1:])


def test_no_more_than_four_cards_are_attached(x: FakeX, channel: XChannel):
    cards = {
        f"card_{number}": card(color) for number, color in enumerate(["red", "green", "blue", "white", "black"], 1)
    }

    channel.publish(weekly_item(**cards))

    assert list(x.media.values()) == [cards[f"card_{number}"] for number in range(1, 5)]
    assert len(x.tweet_bodies()[0]["media"]["media_ids"]) == 4


def rate_limited(**headers: str):
    status, _, body = problem(429, "Too Many Requests", "Too Many Requests")
    return status, recorded_headers(recorded("test_client_create_and_delete_tweet"), **headers), body


def rate_limited_until(reset: int):
    return rate_limited(x_rate_limit_remaining="0", x_rate_limit_reset=str(reset))


def without_reset():
    status, headers, body = rate_limited()
    del headers["x-rate-limit-reset"]
    return status, headers, body


class Answer(NamedTuple):
    """What X answers (built when the test runs, as recordings may be absent) and what the channel must make of it."""

    make: Callable[[], tuple[int, dict[str, str], str] | Exception]
    retryable: bool
    retry_after: float | None
    says: str


def unavailable():
    return problem(503, "Service Unavailable", "Service Unavailable")


def unauthorized():
    return problem(401, "Unauthorized", "Unauthorized")


def duplicate():
    return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")


ANSWERS = {
    "429 with reset": Answer(lambda: rate_limited_until(NOW + 900), True, 900, "429"),
    "429 without reset": Answer(without_reset, True, None, "429"),
    "503": Answer(unavailable, True, None, "503"),
    "401": Answer(unauthorized, False, None, "variabel lingkungan"),
    "403 duplicate": Answer(duplicate, False, None, "duplicate content"),
    "400 too long": Answer(lambda: invalid_request("Your Tweet text is too long."), False, None, "text is too long"),
    "cut-off JSON": Answer(
        lambda: (201, {"content-type": "application/json"}, '{"data": {"id": "14'), True, None, "tidak terbaca"
    ),
    "HTML page": Answer(
        lambda: (200, {"content-type": "text/html"}, "<html>Over capacity</html>"), True, None, "tidak terbaca"
    ),
    "connection refused": Answer(lambda: requests.ConnectionError("refused"), True, None, "tidak dapat menghubungi X"),
    "timeout": Answer(lambda: requests.ReadTimeout("read timed out"), True, None, "tidak dapat menghubungi X"),
}


@pytest.mark.parametrize("answer", ANSWERS.values(), ids=ANSWERS.keys())
def test_errors_posting_a_tweet_say_whether_trying_again_helps(x: FakeX, channel: XChannel, answer):
    x.fail_next("tweets", answer.make())

    with pytest.raises(PublishError) as caught:
        channel.publish(weekly_item())

    assert caught.value.retryable is answer.retryable
    assert caught.value.retry_after == answer.retry_after
    assert answer.says in str(caught.value)
    assert "tweet 1 dari 3" in str(caught.value)
    assert not any(value in str(caught.value) for value in CREDENTIALS.values())


def test_refused_credentials_say_to_renew_the_access_token(x: FakeX, channel: XChannel):
    x.fail_next("timeline", unauthorized())

    with pytest.raises(PublishError) as caught:
        channel.publish(weekly_item())

    assert not caught.value.retryable
    assert "Access Token" in str(caught.value)
    assert x.tweets == []


UPLOAD_ANSWERS = {name: ANSWERS[name] for name in ["429 with reset", "503", "401", "HTML page", "timeout"]}


@pytest.mark.parametrize("answer", UPLOAD_ANSWERS.values(), ids=UPLOAD_ANSWERS.keys())
def test_upload_errors_are_judged_alike_and_nothing_is_tweeted(x: FakeX, channel: XChannel, answer):
    x.fail_next("upload", answer.make(), after=1)

    with pytest.raises(PublishError) as caught:
        channel.publish(weekly_item(card_1=card("red"), card_2=card("blue")))

    assert (caught.value.retryable, caught.value.retry_after) == (answer.retryable, answer.retry_after)
    assert answer.says in str(caught.value)
    assert "card-2.png" in str(caught.value)
    assert x.tweets == []


def post_as_x_shows_it(x: FakeX, texts: list[str]) -> list[str]:
    """The thread as X returns it in a timeline: links shortened, & escaped, the photo link after the first tweet."""
    shown = [
        "Rekap aduan warga Tuban pekan 47: 58 aduan masuk, 41 sudah ditindaklanjuti &amp; 17 masih diproses. "
        "Lapor juga lewat https://t.co/Ab12Cd34Ef\n\n1/3 https://t.co/Xy98Zw76Vu",
        "Terbanyak: jalan rusak (21), lampu PJU mati (9), sampah (7). Rincian: https://t.co/Gh56Ij78Kl\n\n2/3",
        THREAD[2],
    ]
    ids: list[str] = []
    for text, as_shown in zip(texts, shown, strict=False):
        ids.append(x.add_tweet(text, reply_to=ids[-1] if ids else None, shown=as_shown))
    return ids


def others_tweets(x: FakeX) -> None:
    """Unrelated tweets on the account: the texts of a recorded timeline."""
    for tweet in recorded("test_client_get_users_mentions")["response_json"]["data"]:
        x.add_tweet(tweet["text"], shown=tweet["text"])


def test_find_published_recognises_a_complete_thread_as_x_shows_it(x: FakeX, channel: XChannel):
    others_tweets(x)
    ids = post_as_x_shows_it(x, THREAD)
    others_tweets(x)

    assert channel.find_published(weekly_item()) == ids
    assert x.requests_to("POST", TWEETS_URL) == []


def test_find_published_is_none_for_a_partial_thread_or_none_at_all(x: FakeX, channel: XChannel):
    assert channel.find_published(weekly_item()) is None

    others_tweets(x)
    post_as_x_shows_it(x, THREAD[:2])

    assert channel.find_published(weekly_item()) is None


def test_tweets_with_the_same_text_outside_the_thread_do_not_count(x: FakeX, channel: XChannel):
    post_as_x_shows_it(x, THREAD[:2])
    x.add_tweet(THREAD[2])  # the last text, but not a reply to the second tweet

    assert channel.find_published(weekly_item()) is None


LOOKUPS = {"before each attempt": (True, True), "before the first attempt only": (True, False), "never": (False, False)}


@pytest.mark.parametrize("looks", LOOKUPS.values(), ids=LOOKUPS.keys())
def test_an_interrupted_thread_is_continued_not_posted_again(x: FakeX, channel: XChannel, looks: tuple[bool, bool]):
    """The second attempt continues after tweet 2, whether or not find_published was asked before each attempt."""
    x.fail_next("tweets", unavailable(), after=2)
    item = weekly_item(card_1=card("red"))
    if looks[0]:
        assert channel.find_published(item) is None
    with pytest.raises(PublishError) as caught:
        channel.publish(item)
    assert caught.value.retryable
    first_run = [tweet["id"] for tweet in x.tweets]
    assert len(first_run) == 2

    if looks[1]:
        assert channel.find_published(item) is None
    ids = channel.publish(item)

    assert ids[:2] == first_run
    assert [tweet["text"] for tweet in x.tweets] == THREAD
    assert x.tweet_bodies()[-1] == {"text": THREAD[2], "reply": {"in_reply_to_tweet_id": first_run[1]}}
    assert len(x.requests_to("POST", MEDIA_UPLOAD_URL)) == 1
    assert channel.find_published(item) == ids


def test_a_thread_left_half_posted_by_an_earlier_run_is_finished(x: FakeX, channel: XChannel):
    others_tweets(x)
    first, second = post_as_x_shows_it(x, THREAD[:2])

    ids = channel.publish(weekly_item(card_1=card("red")))

    assert ids[:2] == [first, second]
    assert x.tweet_bodies() == [{"text": THREAD[2], "reply": {"in_reply_to_tweet_id": second}}]
    assert x.requests_to("POST", MEDIA_UPLOAD_URL) == []


def test_a_complete_thread_is_not_posted_again(x: FakeX, channel: XChannel):
    ids = channel.publish(weekly_item(card_1=card("red")))

    assert channel.publish(weekly_item(card_1=card("red"))) == ids
    assert len(x.tweet_bodies()) == 3
    assert len(x.requests_to("POST", MEDIA_UPLOAD_URL)) == 1


def test_credentials_travel_only_in_the_oauth_header(x: FakeX, channel: XChannel):
    channel.publish(weekly_item(card_1=card("red")))

    assert {MEDIA_UPLOAD_URL, TWEETS_URL} <= {call.request.url for call in x.mock.calls}
    for call in x.mock.calls:
        request = call.request
        body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
        other_headers = " ".join(str(value) for name, value in request.headers.items() if name != "Authorization")
        authorization = request.headers["Authorization"]
        authorization = authorization.decode() if isinstance(authorization, bytes) else authorization
        for name, value in CREDENTIALS.items():
            assert value not in request.url, name
            assert value.encode() not in body, name
            assert value not in other_headers, name
        assert CREDENTIALS["consumer_secret"] not in authorization
        assert CREDENTIALS["access_token_secret"] not in authorization


def test_an_item_without_a_thread_is_refused_before_asking_x(x: FakeX, channel: XChannel):
    with pytest.raises(PublishError) as caught:
        channel.publish(Item(key="weekly-2026-W47", files={"instagram-caption.txt": "Rekap\n"}))

    assert not caught.value.retryable
    assert "x-thread.json" in str(caught.value)
    assert len(x.mock.calls) == 0


def test_a_client_without_user_credentials_is_refused():
    with pytest.raises(ValueError):
        XChannel(tweepy.Client(bearer_token="app-only"))


def test_a_lone_earlier_copy_of_the_first_tweet_does_not_hide_the_thread(x: FakeX, channel: XChannel):
    x.add_tweet(THREAD[0] + " ")  # posted by hand before, reads the same once whitespace is tidied
    ids = post_as_x_shows_it(x, THREAD)

    assert channel.find_published(weekly_item()) == ids
