"""What an instagrapi error means, decided once for the collector, the publishing channel and the login.

::

    CHALLENGE        Instagram asks the account holder to confirm a login (challenge, captcha)
    LOGIN            the saved session, the sessionid or the password is refused
    RESTRICTED       the account is limited: feedback required, suspended, blocked, a bare 403
    UNKNOWN_ACCOUNT  the account asked about does not exist
    RATE_LIMITED     "please wait a few minutes", throttling, HTTP 429; ``retry_after`` says how long
    UNREACHABLE      the network: connection refused or reset, timeouts, an answer cut short
    UNREADABLE       an answer instagrapi could not parse
    SERVER           Instagram's servers failed (HTTP 5xx)
    REFUSED          anything else Instagram refused

The first four need a person; the next four pass with time. Each caller words
the kind for its own readers: the collector here (``source_error``), the
channel in ``publisher.instagram_channel``, the login in ``satukanal.platforms.instagram``;
``publisher`` imports this module for that.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import requests
from instagrapi.exceptions import (
    AccountSuspended,
    BadCredentials,
    BadPassword,
    CaptchaChallengeRequired,
    ChallengeError,
    ClientConnectionError,
    ClientForbiddenError,
    ClientIncompleteReadError,
    ClientJSONDecodeError,
    ClientLoginRequired,
    ClientRequestTimeout,
    ClientThrottledError,
    ClientUnauthorizedError,
    FeedbackRequired,
    LoginRequired,
    PleaseWaitFewMinutes,
    RateLimitError,
    ReloginAttemptExceeded,
    SentryBlock,
    TwoFactorRequired,
    UserNotFound,
)
from pydantic import ValidationError

from monitor.errors import RateLimited, SourceBroken, SourceError, SourceUnavailable, TemporaryFailure

PLEASE_WAIT_SECONDS = 300.0
"""Instagram asks for "a few minutes" without a number: the pause asked for then (callers cap it)."""


class Kind(Enum):
    CHALLENGE = "challenge"
    LOGIN = "login"
    RESTRICTED = "restricted"
    UNKNOWN_ACCOUNT = "unknown-account"
    RATE_LIMITED = "rate-limited"
    UNREACHABLE = "unreachable"
    UNREADABLE = "unreadable"
    SERVER = "server"
    REFUSED = "refused"

    @property
    def needs_person(self) -> bool:
        return self in NEEDS_PERSON


NEEDS_PERSON = frozenset({Kind.CHALLENGE, Kind.LOGIN, Kind.RESTRICTED, Kind.UNKNOWN_ACCOUNT})
_BY_TYPE: tuple[tuple[tuple[type[BaseException], ...], Kind], ...] = (
    ((ChallengeError, CaptchaChallengeRequired), Kind.CHALLENGE),
    (
        (
            LoginRequired,
            ClientLoginRequired,
            ClientUnauthorizedError,
            BadPassword,
            BadCredentials,
            TwoFactorRequired,
            ReloginAttemptExceeded,
        ),
        Kind.LOGIN,
    ),
    ((FeedbackRequired, AccountSuspended, SentryBlock, ClientForbiddenError), Kind.RESTRICTED),
    ((UserNotFound,), Kind.UNKNOWN_ACCOUNT),
    ((PleaseWaitFewMinutes, RateLimitError, ClientThrottledError), Kind.RATE_LIMITED),
    (
        (requests.RequestException, ClientConnectionError, ClientRequestTimeout, ClientIncompleteReadError),
        Kind.UNREACHABLE,
    ),
    ((ClientJSONDecodeError, ValidationError), Kind.UNREADABLE),
)


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    status: int | None = None
    """The HTTP status of Instagram's answer, when there was one."""
    retry_after: float | None = None
    """For ``RATE_LIMITED``: seconds to wait, from ``Retry-After`` or else ``PLEASE_WAIT_SECONDS``."""


def classify(exc: BaseException) -> Verdict:
    """The kind of ``exc``, raised by instagrapi, requests or pydantic while talking to Instagram."""
    status = _status(exc)
    kind = next((kind for types, kind in _BY_TYPE if isinstance(exc, types)), None)
    if kind is None and status == 429:
        kind = Kind.RATE_LIMITED
    if kind is None:
        kind = Kind.SERVER if status is not None and status >= 500 else Kind.REFUSED
    if kind is Kind.RATE_LIMITED:
        return Verdict(kind, status, _retry_after(exc) or PLEASE_WAIT_SECONDS)
    return Verdict(kind, status)


def _status(exc: BaseException) -> int | None:
    # instagrapi's ``ClientError.code`` stays None for error answers (a failed Response is falsy), so read the answer.
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("Retry-After", "") if response is not None else ""
    return float(value) if value.isdigit() else None


ADVICE_CHALLENGE = (
    "Buka aplikasi Instagram di ponsel yang biasa dipakai akun ini dan konfirmasi bahwa login itu dari Anda"
)
ADVICE_LOGIN = "Login ulang ke akun ini"
ADVICE_RESTRICTED = "Buka aplikasi Instagram di ponsel yang biasa dipakai akun ini dan baca pemberitahuan pembatasannya"
ADVICE_ACCOUNT = "Periksa nama akun Instagram yang dipantau"
BROKEN = {
    Kind.CHALLENGE: ("instagram-challenge", "Instagram meminta verifikasi akun", ADVICE_CHALLENGE),
    Kind.LOGIN: ("instagram-login-required", "Instagram tidak menerima sesi login lagi", ADVICE_LOGIN),
    Kind.RESTRICTED: ("instagram-restricted", "Instagram membatasi akun", ADVICE_RESTRICTED),
    Kind.UNKNOWN_ACCOUNT: ("instagram-account-unknown", "Instagram tidak menemukan akun", ADVICE_ACCOUNT),
}
"""What only a person can mend, by kind (``monitor.instagram_errors``): (code, what happened, what to do)."""


def source_error(exc: BaseException, action: str) -> SourceError:
    """What an instagrapi error means for a collection run, worded for the team."""
    verdict, name = classify(exc), type(exc).__name__
    if verdict.kind in BROKEN:
        code, what, advice = BROKEN[verdict.kind]
        return SourceBroken(f"{what} saat {action} ({name})", code, advice)
    if verdict.kind is Kind.RATE_LIMITED:
        return RateLimited(f"Instagram meminta jeda saat {action} ({name})", retry_after=verdict.retry_after)
    if verdict.kind is Kind.UNREADABLE:
        return TemporaryFailure(f"jawaban Instagram tidak terbaca (bukan JSON) saat {action}")
    if verdict.kind is Kind.UNREACHABLE:
        return TemporaryFailure(f"tidak dapat menghubungi Instagram saat {action} ({name})")
    if verdict.kind is Kind.SERVER:
        return TemporaryFailure(f"server Instagram sedang bermasalah saat {action} (HTTP {verdict.status})")
    return SourceUnavailable(f"Instagram menolak permintaan saat {action} ({name}, HTTP {verdict.status or '?'})")
