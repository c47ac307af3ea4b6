"""XChannel finds a thread as X shows it back, and an interrupted thread is continued, never posted twice."""

from __future__ import annotations

import pytest

from publisher import PublishError
from publisher.x_channel import XChannel
from tests.publishing_helpers import CHANNEL_NOW, THREAD, card, weekly_item
from tests.x_fake import FakeX
from tests.x_wire import MENTIONED, recorded, unavailable, user_client


@pytest.fixture
def channel(x: FakeX) -> XChannel:
    return XChannel(user_client(), clock=lambda: CHANNEL_NOW)


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
        ids.append(x.post(text, reply_to=ids[-1] if ids else None, shown=as_shown))
    return ids


def others_tweets(x: FakeX) -> None:
    """Unrelated tweets on the account: the texts of a recorded timeline."""
    for tweet in recorded(MENTIONED)["response_json"]["data"]:
        x.post(tweet["text"], shown=tweet["text"])


def test_find_published_recognises_a_complete_thread_as_x_shows_it(x: FakeX, channel: XChannel):
    others_tweets(x)
    ids = post_as_x_shows_it(x, THREAD)
    others_tweets(x)

    assert channel.find_published(weekly_item()) == ids
    assert x.requests("tweets") == []


def test_find_published_is_none_for_a_partial_thread_or_none_at_all(x: FakeX, channel: XChannel):
    assert channel.find_published(weekly_item()) is None

    others_tweets(x)
    post_as_x_shows_it(x, THREAD[:2])

    assert channel.find_published(weekly_item()) is None


def test_tweets_with_the_same_text_outside_the_thread_do_not_count(x: FakeX, channel: XChannel):
    post_as_x_shows_it(x, THREAD[:2])
    x.post(THREAD[2])  # the last text, but not a reply to the second tweet

    assert channel.find_published(weekly_item()) is None


LOOKUPS = {"before each attempt": (True, True), "before the first attempt only": (True, False), "never": (False, False)}


@pytest.mark.parametrize("looks", LOOKUPS.values(), ids=LOOKUPS.keys())
def test_an_interrupted_thread_is_continued_not_posted_again(x: FakeX, channel: XChannel, looks: tuple[bool, bool]):
    """The second attempt continues after tweet 2, whether or not find_published was asked before each attempt."""
    x.fail_next(unavailable(), after=2, on="tweets")
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
    assert len(x.requests("upload")) == 1
    assert channel.find_published(item) == ids


def test_a_thread_left_half_posted_by_an_earlier_run_is_finished(x: FakeX, channel: XChannel):
    others_tweets(x)
    first, second = post_as_x_shows_it(x, THREAD[:2])

    ids = channel.publish(weekly_item(card_1=card("red")))

    assert ids[:2] == [first, second]
    assert x.tweet_bodies() == [{"text": THREAD[2], "reply": {"in_reply_to_tweet_id": second}}]
    assert x.requests("upload") == []


def test_a_complete_thread_is_not_posted_again(x: FakeX, channel: XChannel):
    ids = channel.publish(weekly_item(card_1=card("red")))

    assert channel.publish(weekly_item(card_1=card("red"))) == ids
    assert len(x.tweet_bodies()) == 3
    assert len(x.requests("upload")) == 1


def test_a_lone_earlier_copy_of_the_first_tweet_does_not_hide_the_thread(x: FakeX, channel: XChannel):
    x.post(THREAD[0] + " ")  # posted by hand before, reads the same once whitespace is tidied
    ids = post_as_x_shows_it(x, THREAD)

    assert channel.find_published(weekly_item()) == ids
