"""X (Twitter) collection: mentions of the watched accounts and search queries, through tweepy's v2 ``Client``.

Each feed (``mentions:<account id>``, ``search:<query digest>``) keeps a
``FeedCursor``: X pages newest first, so the cursor records the page token
and the newest id seen after every page, and moves ``since_id`` forward only
when the last page is stored. Watched accounts' numeric ids are looked up
once and kept as cursors too (``account:<handle>``), so a run with nothing
new costs one request per feed.

A retweet is never an item of its own: the original tweet, which X includes
in the answer, is stored instead (once, whoever retweets it). Tweets our own
accounts posted are stored, marked as ours by the store, and the ones a
collected tweet answers are kept as well, for the thread.

The client is built at the edge with ``return_type=dict``, so answers are
X's JSON as sent; whatever X leaves out (includes, optional fields) the
records do without. tweepy's own rate-limit sleeping is off: ``Retrier``
waits, capped.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import requests
import tweepy

from monitor.errors import RateLimited, SourceBroken, SourceError, TemporaryFailure
from monitor.feeds import FeedCursor
from monitor.retry import Retrier
from monitor.sources import Page
from monitor.wire import dicts, mapping
from monitor.x_records import page_records

log = logging.getLogger(__name__)

PAGE_SIZE = 100  # the most either endpoint returns per page
CHECK_PAGE_SIZE = {"mentions": 5, "search": 10}  # the fewest each endpoint accepts
SEARCH_WINDOW = timedelta(days=7) - timedelta(minutes=5)  # recent search reaches back 7 days, less a margin
TWEET_FIELDS = [
    "created_at",
    "author_id",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "attachments",
    "lang",
    "note_tweet",
]
EXPANSIONS = ["author_id", "referenced_tweets.id", "referenced_tweets.id.author_id", "attachments.media_keys"]
USER_FIELDS = ["username", "name"]
MEDIA_FIELDS = ["type", "url", "preview_image_url", "width", "height"]

ADVICE_CREDENTIALS = "Buat ulang kunci di X Developer Portal (Bearer Token, atau Access Token dan Access Token Secret)"
ADVICE_CREDITS = (
    "Kredit API X (bayar per pemakaian) sudah habis. Isi ulang kredit di console X Developer (Billing), atau "
    "tunggu batas pengeluaran bulanan di sana diperbarui"
)
ADVICE_TIER = (
    "Tingkat akses aplikasi X ini tidak boleh membaca mention atau pencarian. Di X Developer Portal, pasang "
    "aplikasi pada sebuah Project dengan paket yang mencakup GET /2/users/:id/mentions dan pencarian terbaru "
    "(paket Basic atau lebih tinggi)"
)


class XFeed:
    """One stream of tweets: the mentions of an account, or a search query."""

    def __init__(self, kind: str, target: str) -> None:
        self.kind = kind  # "mentions" (target: handle) or "search" (target: query)
        self.target = target

    @property
    def label(self) -> str:
        return f"mention @{self.target}" if self.kind == "mentions" else f"pencarian {self.target!r}"

    def key(self, account_id: str | None) -> str:
        if self.kind == "mentions":
            return f"mentions:{account_id}"
        return "search:" + hashlib.sha256(self.target.encode()).hexdigest()[:16]


class XSource:
    """Collects tweets aimed at the watched accounts: ``mentions`` of handles and search ``queries``.

    ``since`` (a backfill) reads every tweet from that time instead of what is
    new since the cursor, with no page limit; the cursor still ends at the
    newest tweet. ``max_pages`` bounds one ordinary run; the next continues.
    """

    platform = "x"

    def __init__(
        self,
        name: str,
        client: tweepy.Client,
        *,
        mentions: list[str] = (),
        queries: list[str] = (),
        user_auth: bool = False,
        own_handles: frozenset[str] = frozenset(),
        retrier: Retrier | None = None,
        since: datetime | None = None,
        max_pages: int | None = 50,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.name = name
        self.client = client
        self.feeds = [XFeed("mentions", handle) for handle in mentions] + [XFeed("search", q) for q in queries]
        self.user_auth = user_auth
        self.own_handles = own_handles
        self.retrier = retrier or Retrier()
        self.since = since
        self.max_pages = None if since is not None else max_pages
        self.clock = clock
        self.posts_read_in_check = 0

    def pages(self, cursors: Mapping[str, str]) -> Iterator[Page]:
        handles = [feed.target for feed in self.feeds if feed.kind == "mentions"]
        account_ids = {handle: cursors[f"account:{handle}"] for handle in handles if f"account:{handle}" in cursors}
        missing = [handle for handle in handles if handle not in account_ids]
        if missing:
            for handle, account_id in self.account_ids(missing).items():
                account_ids[handle] = account_id
                yield Page(records=[], cursor_key=f"account:{handle}", cursor_value=account_id)
        for feed in self.feeds:
            yield from self._feed_pages(feed, account_ids.get(feed.target), cursors)

    def check(self) -> list[str]:
        """Ask X, once per feed and without retrying, whether this source can read it; what it found, as lines.

        Raises the ``SourceError`` a run would meet (refused credentials, an
        access tier that may not read mentions, an unknown account). X bills the
        posts a check is handed like those of a run: ``posts_read_in_check``
        says how many, also when a later feed fails.
        """
        self.posts_read_in_check = 0
        handles = [feed.target for feed in self.feeds if feed.kind == "mentions"]
        account_ids = self.account_ids(handles, retry=False) if handles else {}
        facts = []
        for feed in self.feeds:
            account_id = account_ids.get(feed.target)
            body = self._fetch(feed, account_id, None, None, page_size=CHECK_PAGE_SIZE[feed.kind])
            self.posts_read_in_check += len(dicts(body.get("data")))
            facts.append(f"{feed.label} dapat dibaca" + (f" (id akun {account_id})" if account_id else ""))
        return facts

    def account_ids(self, handles: list[str], retry: bool = True) -> dict[str, str]:
        """The numeric ids of ``handles``, in one request; an unknown handle breaks the source."""
        lookup = partial(
            self._request, "mencari akun", self.client.get_users, usernames=handles, user_auth=self.user_auth
        )
        body = self.retrier.call(lookup, f"{self.name}: mencari akun") if retry else lookup()
        found = {user.get("username", "").lower(): str(user.get("id")) for user in dicts(body.get("data"))}
        unknown = [handle for handle in handles if not found.get(handle, "").isdigit()]
        if unknown:
            raise SourceBroken(
                f"akun X @{unknown[0]} tidak ditemukan",
                "x-account-unknown",
                "Periksa nama akun X yang dipantau",
            )
        return {handle: found[handle] for handle in handles}

    def _feed_pages(self, feed: XFeed, account_id: str | None, cursors: Mapping[str, str]) -> Iterator[Page]:
        key = feed.key(account_id)
        cursor = FeedCursor.loads(cursors.get(key))
        if self.since is not None:
            cursor = FeedCursor(since=cursor.since)  # a backfill reads from its own start, not where a run stopped
        since_id = None if self.since is not None else cursor.since
        restarted = False
        pages = 0
        while True:
            try:
                body = self.retrier.call(
                    partial(self._fetch, feed, account_id, since_id, cursor.resume), f"{self.name}: {feed.label}"
                )
            except SourceBroken as exc:
                if exc.code != "x-bad-request" or cursor.resume is None or restarted:
                    raise
                log.warning("%s: X refused the stored page token for %s; reading again from the top", self.name, key)
                cursor, restarted = cursor.restarted(), True
                continue
            records, errors, ids = page_records(
                body, feed.target if feed.kind == "mentions" else None, self.own_handles
            )
            next_token = mapping(body.get("meta")).get("next_token")
            cursor = cursor.after_page(ids, next_token if isinstance(next_token, str) else None)
            yield Page(records=records, cursor_key=key, cursor_value=cursor.dumps(), errors=errors)
            pages += 1
            if cursor.resume is None or (self.max_pages is not None and pages >= self.max_pages):
                return

    def _fetch(
        self, feed: XFeed, account_id: str | None, since_id: str | None, token: str | None, page_size: int = PAGE_SIZE
    ) -> dict:
        fields = {
            "expansions": EXPANSIONS,
            "tweet_fields": TWEET_FIELDS,
            "user_fields": USER_FIELDS,
            "media_fields": MEDIA_FIELDS,
            "max_results": page_size,
            "since_id": since_id,
            "start_time": self._start_time(feed),
            "user_auth": self.user_auth,
        }
        fields = {name: value for name, value in fields.items() if value is not None}
        if feed.kind == "mentions":
            return self._request(
                f"membaca {feed.label}", self.client.get_users_mentions, account_id, pagination_token=token, **fields
            )
        return self._request(
            f"membaca {feed.label}", self.client.search_recent_tweets, feed.target, next_token=token, **fields
        )

    def _start_time(self, feed: XFeed) -> str | None:
        if self.since is None:
            return None
        start = self.since.astimezone(UTC)
        if feed.kind == "search":
            earliest = datetime.fromtimestamp(self.clock(), UTC) - SEARCH_WINDOW
            if start < earliest:
                log.warning("%s: X recent search reaches back 7 days only; reading from %s", self.name, earliest)
                start = earliest
        return start.strftime("%Y-%m-%dT%H:%M:%SZ")

    def _request(self, action: str, method: Callable[..., Any], *args: Any, **params: Any) -> dict:
        """One call through tweepy, with every way it can fail turned into a ``SourceError``."""
        try:
            body = method(*args, **params)
        except tweepy.HTTPException as exc:
            raise self._refusal(exc, action) from None
        except requests.JSONDecodeError:
            raise TemporaryFailure(f"jawaban X tidak terbaca (bukan JSON) saat {action}") from None
        except requests.RequestException as exc:
            raise TemporaryFailure(f"tidak dapat menghubungi X saat {action} ({type(exc).__name__})") from None
        if not isinstance(body, dict):
            raise TemporaryFailure(f"jawaban X tidak terbaca saat {action}: bukan objek JSON")
        return body

    def _refusal(self, exc: tweepy.HTTPException, action: str) -> SourceError:
        status = exc.response.status_code
        detail = "; ".join(str(message) for message in exc.api_messages)[:300] or f"{status} {exc.response.reason}"
        if isinstance(exc, tweepy.TooManyRequests):
            reset = getattr(exc, "reset_time", None)
            wait = None if reset is None else max(0.0, reset - self.clock())
            return RateLimited(f"X membatasi jumlah permintaan saat {action} (HTTP 429)", retry_after=wait)
        if isinstance(exc, tweepy.TwitterServerError):
            return TemporaryFailure(f"server X sedang bermasalah saat {action} (HTTP {status})")
        if status == 402:
            return SourceBroken(
                f"kredit habis: X menolak {action} (HTTP 402, {detail}); pengumpulan berhenti sampai kredit diisi",
                "x-credits",
                ADVICE_CREDITS,
            )
        if isinstance(exc, tweepy.Unauthorized):
            return SourceBroken(
                f"X menolak kredensial saat {action} (HTTP 401): token tidak berlaku, kedaluwarsa atau dicabut",
                "x-unauthorized",
                ADVICE_CREDENTIALS,
            )
        if isinstance(exc, tweepy.Forbidden):
            if 453 in exc.api_codes or "client-not-enrolled" in exc.response.text:
                return SourceBroken(
                    f"X menolak {action} (HTTP 403, {detail}): akses aplikasi tidak mencakup endpoint ini",
                    "x-access-tier",
                    ADVICE_TIER,
                )
            return SourceBroken(f"X menolak {action} (HTTP 403): {detail}", "x-forbidden", ADVICE_TIER)
        if isinstance(exc, tweepy.NotFound):
            return SourceBroken(
                f"X tidak menemukan yang diminta saat {action} (HTTP 404)",
                "x-not-found",
                "Periksa nama akun yang dipantau",
            )
        return SourceBroken(
            f"X menolak permintaan saat {action} (HTTP {status}): {detail}",
            "x-bad-request",
            "Periksa kueri pencarian (sintaks pencarian X)",
        )
