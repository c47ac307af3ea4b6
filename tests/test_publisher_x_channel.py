"""XChannel on the real tweepy code path, against the fake X: a thread posted in order, cards on its first tweet."""

from __future__ import annotations

import pytest
import tweepy

from publisher import Item, PublishError
from publisher.x_channel import XChannel
from tests.publishing_helpers import CHANNEL_NOW, THREAD, card, weekly_item
from tests.x_fake import MEDIA_UPLOAD_URL, TWEETS_URL, FakeX
from tests.x_wire import CREDENTIALS, multipart_fields, user_client


@pytest.fixture
def channel(x: FakeX) -> XChannel:
    return XChannel(user_client(), clock=lambda: CHANNEL_NOW)


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
    return len(x.requests("timeline"))


def test_the_account_is_looked_up_once(x: FakeX, channel: XChannel):
    channel.publish(weekly_item())
    channel.find_published(weekly_item())

    assert len(x.requests("me")) == 1
    assert timeline_reads(x) == 2


def test_publish_right_after_find_published_reads_the_timeline_once(x: FakeX):
    now = [CHANNEL_NOW]
    channel = XChannel(user_client(), clock=lambda: now[0])

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
    channel = XChannel(user_client(), user_id=x.account_id)

    assert channel.publish(weekly_item()) == [tweet["id"] for tweet in x.tweets]
    assert x.requests("me") == []


def test_cards_go_to_the_v2_media_upload_and_onto_the_first_tweet_only(x: FakeX, channel: XChannel):
    red, blue = card("red"), card("blue")

    channel.publish(weekly_item(card_2=blue, card_1=red))

    uploads = [multipart_fields(request) for request in x.requests("upload")]
    assert [fields["media"] for fields in uploads] == [red, blue]
    assert all(fields["media_category"] == b"tweet_image" for fields in uploads)
    bodies = x.tweet_bodies()
    assert bodies[0]["media"]["media_ids"] == list(x.uploads)
    assert [x.uploads[media_id] for media_id in bodies[0]["media"]["media_ids"]] == [red, blue]
    assert not any("media" in body for body in bodies[1:])


def test_no_more_than_four_cards_are_attached(x: FakeX, channel: XChannel):
    cards = {
        f"card_{number}": card(color) for number, color in enumerate(["red", "green", "blue", "white", "black"], 1)
    }

    channel.publish(weekly_item(**cards))

    assert list(x.uploads.values()) == [cards[f"card_{number}"] for number in range(1, 5)]
    assert len(x.tweet_bodies()[0]["media"]["media_ids"]) == 4


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
