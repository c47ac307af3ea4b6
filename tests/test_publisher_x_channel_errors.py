"""XChannel's errors against the fake X: every answer X may give says whether trying again helps, and leaks no key."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest
import requests

from publisher import PublishError
from publisher.x_channel import XChannel
from tests.publishing_helpers import CHANNEL_NOW, card, weekly_item
from tests.x_fake import FakeX
from tests.x_wire import (
    CREDENTIALS,
    credits_depleted,
    duplicate,
    invalid_request,
    rate_limited,
    unauthorized,
    unavailable,
    user_client,
)


@pytest.fixture
def channel(x: FakeX) -> XChannel:
    return XChannel(user_client(), clock=lambda: CHANNEL_NOW)


class Answer(NamedTuple):
    """What X answers (built when the test runs, as recordings may be absent) and what the channel must make of it."""

    make: Callable[[], tuple[int, dict[str, str], str] | Exception]
    retryable: bool
    retry_after: float | None
    says: str


ANSWERS = {
    "429 with reset": Answer(lambda: rate_limited(reset=CHANNEL_NOW + 900), True, 900, "429"),
    "429 without reset": Answer(lambda: rate_limited(reset=None), True, None, "429"),
    "503": Answer(unavailable, True, None, "503"),
    "401": Answer(unauthorized, False, None, "variabel lingkungan"),
    "403 duplicate": Answer(duplicate, False, None, "teksnya sama dengan tweet akun ini sebelumnya"),
    "402 credits": Answer(credits_depleted, False, None, "kredit habis"),
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
    x.fail_next(answer.make(), on="tweets")

    with pytest.raises(PublishError) as caught:
        channel.publish(weekly_item())

    assert caught.value.retryable is answer.retryable
    assert caught.value.retry_after == answer.retry_after
    assert answer.says in str(caught.value)
    assert "tweet 1 dari 3" in str(caught.value)
    assert not any(value in str(caught.value) for value in CREDENTIALS.values())


def test_refused_credentials_say_to_renew_the_access_token(x: FakeX, channel: XChannel):
    x.fail_next(unauthorized(), on="timeline")

    with pytest.raises(PublishError) as caught:
        channel.publish(weekly_item())

    assert not caught.value.retryable
    assert "Access Token" in str(caught.value)
    assert x.tweets == []


UPLOAD_ANSWERS = {name: ANSWERS[name] for name in ["429 with reset", "503", "401", "HTML page", "timeout"]}


@pytest.mark.parametrize("answer", UPLOAD_ANSWERS.values(), ids=UPLOAD_ANSWERS.keys())
def test_upload_errors_are_judged_alike_and_nothing_is_tweeted(x: FakeX, channel: XChannel, answer):
    x.fail_next(answer.make(), after=1, on="upload")

    with pytest.raises(PublishError) as caught:
        channel.publish(weekly_item(card_1=card("red"), card_2=card("blue")))

    assert (caught.value.retryable, caught.value.retry_after) == (answer.retryable, answer.retry_after)
    assert answer.says in str(caught.value)
    assert "card-2.png" in str(caught.value)
    assert x.tweets == []
