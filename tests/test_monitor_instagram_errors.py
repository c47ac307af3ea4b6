"""One reading of instagrapi's errors for the collector, the publishing channel and the login."""

import pytest
from instagrapi.exceptions import (
    AccountSuspended,
    BadPassword,
    ChallengeRequired,
    ClientForbiddenError,
    ClientThrottledError,
    FeedbackRequired,
    LoginRequired,
    PleaseWaitFewMinutes,
    RateLimitError,
    SentryBlock,
)

from monitor import RateLimited, SourceBroken
from monitor.instagram_errors import PLEASE_WAIT_SECONDS, Kind, classify, source_error
from publisher.instagram_channel import _publish_error
from satukanal.platforms.instagram import _advice

NEEDS_A_PERSON = [
    (ChallengeRequired, Kind.CHALLENGE, "instagram-challenge"),
    (LoginRequired, Kind.LOGIN, "instagram-login-required"),
    (BadPassword, Kind.LOGIN, "instagram-login-required"),
    (FeedbackRequired, Kind.RESTRICTED, "instagram-restricted"),
    (ClientForbiddenError, Kind.RESTRICTED, "instagram-restricted"),
    (AccountSuspended, Kind.RESTRICTED, "instagram-restricted"),
    (SentryBlock, Kind.RESTRICTED, "instagram-restricted"),
]


@pytest.mark.parametrize(("error", "kind", "code"), NEEDS_A_PERSON)
def test_what_needs_a_person_stops_the_collector_the_channel_and_the_login_alike(error, kind, code):
    exc = error("refused")
    assert classify(exc).kind is kind and kind.needs_person
    stopped = source_error(exc, "membaca tag")
    assert isinstance(stopped, SourceBroken) and stopped.code == code
    assert not _publish_error(exc).retryable
    advice = _advice(exc, "laportuban")
    wanted = {
        Kind.CHALLENGE: "meminta verifikasi",
        Kind.LOGIN: "menolak",
        Kind.RESTRICTED: "membatasi akun",
    }[kind]
    assert wanted in advice


@pytest.mark.parametrize("error", [PleaseWaitFewMinutes, RateLimitError, ClientThrottledError])
def test_every_kind_of_throttling_waits_in_the_collector_and_the_channel(error):
    exc = error("slow down")
    assert classify(exc).kind is Kind.RATE_LIMITED
    waited = source_error(exc, "membaca tag")
    assert isinstance(waited, RateLimited) and waited.retry_after == PLEASE_WAIT_SECONDS
    published = _publish_error(exc)
    assert published.retryable and published.retry_after == PLEASE_WAIT_SECONDS
    assert "jeda" in _advice(exc, "laportuban")
