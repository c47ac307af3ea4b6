"""Instagram collection through Meta's official Graph API (Instagram API with Facebook Login): tags and comments.

The counterpart of ``monitor.instagram`` (instagrapi) for an account connected to a Facebook Page, with its tags
and comments streams, cursor keys and wording, so the team meets one behaviour whichever way an account is read:

``tags``                    media that tag the watched account (``GET /{user-id}/tags``), newest first, by time
``posts``                   our ``recent_posts`` latest media, stored as ours so comment threads have their post
``comments:<media id>``     the page cursor of one post's comments while they are being read ...
``comment_count:<id>``      ... read again only once the post's ``comments_count`` has grown past this one

Each feed keeps a ``FeedCursor`` written after every page, so a run that dies half-way resumes from Meta's page
cursor; a run with nothing new costs one request per feed. Tags are placed by their ``timestamp`` (whole seconds;
media ids carry no documented order) and paging stops at the first one stored before. A post's comments are read
whole once its count grows: Meta documents no order for them, and a new reply is listed under its comment,
however old; the store skips what it has. Every record comes from ``monitor.instagram_graph_items``.

The token lives in ``GraphClient`` and travels in a header. Its expiry is not something the token can be asked
without putting it in a URL (``debug_token``), so the configuration passes ``token_expires_at``: ``check`` warns
``TOKEN_WARNING`` ahead and refuses an expired token; a run logs the warning.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from monitor import graph_api
from monitor.errors import RateLimited, SourceBroken, SourceError, SourceUnavailable, TemporaryFailure
from monitor.feeds import Batch, FeedCursor, Item, Newer, feed_pages, newest_id, read_each
from monitor.graph_api import GraphClient, GraphError, GraphPage
from monitor.instagram_graph_items import (
    COMMENT_FIELDS,
    OWN_MEDIA_FIELDS,
    TAG_FIELDS,
    THREAD_FIELDS,
    comment_record,
    comment_records,
    graph_id,
    media_record,
    more_replies,
    skipped,
)
from monitor.records import PostRecord, RecordError
from monitor.retry import Retrier
from monitor.sources import Page

log = logging.getLogger(__name__)

STREAMS = ("tags", "comments")
TOKEN_WARNING = timedelta(days=14)
PAGE_SIZE = 50
PERMISSIONS = ("instagram_basic", "instagram_manage_comments", "pages_read_engagement", "pages_show_list")
TOKEN_CODE, PERMISSION_CODE = "instagram-graph-token", "instagram-graph-permission"
ADVICE_TOKEN = "Buat token akses jangka panjang (long-lived) yang baru untuk akun ini di Meta for Developers"
ADVICE_PERMISSION = f"Beri aplikasi Meta izin {', '.join(PERMISSIONS)} untuk akun ini, lalu buat token akses baru"
TEMPORARY = {
    graph_api.SERVER: "server Meta sedang bermasalah",
    graph_api.UNREACHABLE: "tidak dapat menghubungi Meta",
    graph_api.UNREADABLE: "jawaban Meta tidak terbaca",
}


class Gone(Exception):
    """A post or comment deleted between the answer that listed it and the request that reads what hangs on it."""


class InstagramGraphSource:
    """Collects what reaches the Instagram professional account ``user_id`` (handle ``account``) through
    ``client``.

    ``since`` (a backfill) reads every item from that time instead of what is new since the cursors, with no page
    limit; ``max_pages`` bounds one feed in an ordinary run, and the next run continues.
    """

    platform = "instagram"

    def __init__(
        self,
        name: str,
        client: GraphClient,
        user_id: str,
        account: str,
        *,
        streams: Sequence[str] = STREAMS,
        recent_posts: int = 12,
        retrier: Retrier,
        since: datetime | None = None,
        max_pages: int | None = 50,
        token_expires_at: datetime | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        unknown = [stream for stream in streams if stream not in STREAMS]
        if unknown:
            raise ValueError(f"unknown Instagram Graph stream {unknown[0]!r}; choose from {', '.join(STREAMS)}")
        if graph_id(user_id) is None:
            raise ValueError(f"Instagram user id {user_id!r} is not a number")
        self.name = name
        self.client = client
        self.user_id = user_id
        self.account = account.strip().lstrip("@").lower()
        self.streams = tuple(streams)
        self.recent_posts = recent_posts
        self.retrier = retrier
        self.since = since.astimezone(UTC) if since is not None else None
        self.max_pages = None if since is not None else max_pages
        self.token_expires_at = token_expires_at.astimezone(UTC) if token_expires_at is not None else None
        self.clock = clock

    def pages(self, cursors: Mapping[str, str]) -> Iterator[Page]:
        """Every stream's new items; a token about to expire is logged once per run, for the logs' alarms."""
        warning = self._token_warning()
        if warning:
            log.warning("%s: %s", self.name, warning)
        for stream in self.streams:
            if stream == "tags":
                yield from self._feed("tags", self._tags, cursors)
            else:
                yield from self._comment_pages(cursors)

    def check(self) -> list[str]:
        """Ask Meta once per feed, without retrying, whether this source can read it; what it found, as lines,
        a warning first when the token expires soon. Raises the ``SourceError`` a run would meet, and
        ``SourceBroken`` without asking when the token has expired."""
        if self.token_expires_at is not None and self.token_expires_at <= self.clock():
            raise SourceBroken(f"token akses Meta habis pada {self._expiry}", TOKEN_CODE, ADVICE_TOKEN)
        patient, self.retrier = self.retrier, Retrier(attempts=1)
        try:
            lines = self._probe()
        finally:
            self.retrier = patient
        warning = self._token_warning()
        expiry = [f"token berlaku sampai {self._expiry}"] if self.token_expires_at is not None else []
        return ([warning] if warning else []) + lines + expiry

    def _probe(self) -> list[str]:
        account = self._ask("membaca akun", partial(self.client.get, self.user_id, fields="username,media_count"))
        username = str(account.get("username") or "?")
        lines = [f"akun @{username} (id {self.user_id}): {account.get('media_count', '?')} postingan"]
        if username.lower() != self.account:
            lines.insert(0, f"PERINGATAN: id {self.user_id} milik @{username}, bukan @{self.account} yang dipantau")
        for stream in self.streams:
            if stream == "tags":
                self._edge(f"membaca tag @{self.account}", f"{self.user_id}/tags", None, TAG_FIELDS, limit=1)
                lines.append(f"tag @{self.account} dapat dibaca")
            else:
                posts, _ = self._recent_posts()
                lines.append(f"{len(posts)} postingan terbaru @{self.account} dapat dibaca")
                if posts:
                    post = posts[0][0].record
                    path = f"{post.platform_id}/comments"
                    self._edge(f"membaca komentar {post.url}", path, None, THREAD_FIELDS, limit=1)
                    lines.append("komentar dapat dibaca")
        return lines

    @property
    def _expiry(self) -> str:
        return f"{self.token_expires_at:%Y-%m-%d %H:%M} UTC"

    def _token_warning(self) -> str | None:
        """A warning when the token expires within ``TOKEN_WARNING`` (or has), else None."""
        if self.token_expires_at is None:
            return None
        left = self.token_expires_at - self.clock()
        if left > TOKEN_WARNING:
            return None
        if left <= timedelta(0):
            return f"token akses Meta sudah habis pada {self._expiry}"
        days = math.ceil(left / timedelta(days=1))
        return f"PERINGATAN: token akses Meta habis dalam {days} hari ({self._expiry}); perpanjang sebelum itu"

    def _feed(
        self, key: str, fetch: Callable[[str | None, Newer], Batch], cursors: Mapping[str, str]
    ) -> Generator[Page, None, bool]:
        return feed_pages(key, fetch, cursors, self.since, self.max_pages)

    def _tags(self, after: str | None, newer: Newer) -> Batch:
        """A page of media that tag the account; those placed at or before the cursor end the feed."""
        page = self._edge(f"membaca tag @{self.account}", f"{self.user_id}/tags", after, TAG_FIELDS)
        items, errors = read_each(
            page.data,
            partial(media_record, kind="tag", account=self.account),
            (RecordError,),
            partial(skipped, "postingan"),
        )
        return Batch.of(items, newer, page.after, errors)

    def _comment_pages(self, cursors: Mapping[str, str]) -> Iterator[Page]:
        posts, errors = self._recent_posts()
        since = FeedCursor.loads(cursors.get("posts")).since
        # By time even in a backfill: a post older than its start still anchors the new comments read from it.
        known = Newer(position=int(since) if since else None)
        fresh = [item.record for item, _ in posts if known(item.position, item.when)]
        newest = newest_id([since, *(str(item.position) for item, _ in posts)])
        yield Page(fresh, "posts", FeedCursor(since=newest).dumps(), errors)
        for item, count in posts:
            yield from self._post_comments(item.record, count, cursors)

    def _recent_posts(self) -> tuple[list[tuple[Item, int]], list[str]]:
        """Our ``recent_posts`` latest media, newest first, with their comment counts."""
        path, read = f"{self.user_id}/media", partial(media_record, kind="post", account=self.account)
        page = self._edge(f"membaca postingan @{self.account}", path, None, OWN_MEDIA_FIELDS, limit=self.recent_posts)
        posts, errors = [], []
        for raw in page.data[: self.recent_posts]:
            try:
                count = raw.get("comments_count")
                posts.append((read(raw, author=self.account), count if isinstance(count, int) else 0))
            except RecordError as exc:
                errors.append(skipped("postingan", raw, exc))
        return posts, errors

    def _post_comments(self, post: PostRecord, count: int, cursors: Mapping[str, str]) -> Iterator[Page]:
        """The comments on one of our posts; nothing is asked while its comment count has not grown."""
        key, count_key = f"comments:{post.platform_id}", f"comment_count:{post.platform_id}"
        seen = int(cursors[count_key]) if cursors.get(count_key, "").isdigit() else 0
        resuming = FeedCursor.loads(cursors.get(key)).resume is not None
        if self.since is None and not resuming and count <= seen:
            if count < seen:  # comments were deleted: remember the lower count, or the next new one goes unnoticed
                yield Page(records=[], cursor_key=count_key, cursor_value=str(count))
            return
        if (yield from self._feed(key, partial(self._comments, post), cursors)):
            yield Page(records=[], cursor_key=count_key, cursor_value=str(count))

    def _comments(self, post: PostRecord, after: str | None, newer: Newer) -> Batch:
        """A page of a post's comments with their replies, all of them (a backfill: those after its start).

        A post deleted since it was listed has no comments left to read: it is skipped with a line, not the run."""
        action = f"membaca komentar {post.url}"
        try:
            page = self._edge(action, f"{post.platform_id}/comments", after, THREAD_FIELDS, gone_ok=True)
        except Gone as exc:
            return Batch([], None, [f"komentar {post.url} dilewati: postingan sudah tidak ada ({exc})"])
        items, errors = [], []
        for raw in page.data:
            thread, lines = comment_records(raw, post, self.account)
            found, more = self._replies(post, raw, action)
            items, errors = items + thread + found, errors + lines + more
        new = [item for item in items if newer.start is None or item.when > newer.start]
        return Batch(new, page.after, errors)

    def _replies(self, post: PostRecord, raw: dict, action: str) -> tuple[list[Item], list[str]]:
        """The replies to comment ``raw`` beyond those its answer listed; a comment deleted meanwhile keeps
        those listed and costs a line."""
        items, errors = [], []
        parent, following = graph_id(raw.get("id")), more_replies(raw)
        read = partial(comment_record, post=post, account=self.account, parent=parent)
        while parent is not None and following is not None:
            try:
                replies = self._edge(action, f"{parent}/replies", following, COMMENT_FIELDS, gone_ok=True)
            except Gone as exc:
                errors.append(f"balasan komentar {parent} dilewati: komentar sudah tidak ada ({exc})")
                break
            found, lines = read_each(replies.data, read, (RecordError,), partial(skipped, "komentar"))
            items, errors = items + found, errors + lines
            following = replies.after if replies.after != following else None
        return items, errors

    def _edge(
        self, action: str, path: str, after: str | None, fields: str, limit: int = PAGE_SIZE, gone_ok: bool = False
    ) -> GraphPage:
        call = partial(self.client.edge, path, after=after, limit=limit, fields=fields)
        return self._ask(action, call, gone_ok)

    def _ask(self, action: str, call: Callable[[], Any], gone_ok: bool = False) -> Any:
        """``call`` through the retrier, with a ``GraphError`` turned into the ``SourceError`` it means, or, with
        ``gone_ok``, into ``Gone`` when what was asked about no longer exists."""

        def attempt() -> Any:
            try:
                return call()
            except GraphError as exc:
                if gone_ok and exc.missing:
                    raise Gone(str(exc)) from None
                raise source_error(exc, action) from None

        return self.retrier.call(attempt, f"{self.name}: {action}")


def source_error(exc: GraphError, action: str) -> SourceError:
    """What a Graph API failure means for a collection run, worded for the team (never with the token)."""
    if exc.kind == graph_api.TOKEN:
        return SourceBroken(f"Meta menolak token akses saat {action} ({exc})", TOKEN_CODE, ADVICE_TOKEN)
    if exc.kind == graph_api.PERMISSION:
        return SourceBroken(f"Meta menolak izin saat {action} ({exc})", PERMISSION_CODE, ADVICE_PERMISSION)
    if exc.kind == graph_api.RATE_LIMITED:
        return RateLimited(f"Meta meminta jeda saat {action} ({exc})", retry_after=exc.retry_after)
    if exc.kind in TEMPORARY:
        return TemporaryFailure(f"{TEMPORARY[exc.kind]} saat {action} ({exc})")
    return SourceUnavailable(f"Meta menolak permintaan saat {action}: {exc}")
