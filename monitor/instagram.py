"""Instagram collection through instagrapi (Instagram's private mobile API): tags, comments, hashtags, direct messages.

Each feed keeps a ``FeedCursor`` written after every page, so a run that dies half-way is resumed from its page
token; a run with nothing new costs one request per feed. The cursor keys:

``tags``                    posts that tag the watched account (by media pk)
``posts``                   the account's own latest posts, stored as ours so comment threads have their post
``comments:<media pk>``     comments on one of those posts (by comment pk) ...
``comment_count:<pk>``      ... read again only once the post's comment count has grown past this one
``hashtag:<name>``          recent posts of a hashtag (by media pk)
``direct:inbox``,           direct-message threads and message requests (people who do not follow the account),
``direct:pending``          by item timestamp in microseconds; story mentions arrive here (``monitor.instagram_direct``)
``account:<handle>``        the watched account's id, when it is not the logged-in account

Requests go through ``Client.private_request`` with the endpoints and parameters of instagrapi's own page
functions, and every item is read on its own with instagrapi's extractors, because the page functions parse an
answer in one go (one odd item loses the page), ``user_medias_paginated_v1`` returns an empty page for any error
that is not a ``PrivateError`` (a 5xx would look like the end of the feed), and the direct-message extractor turns
Instagram's microsecond timestamps into naive local seconds. The client comes from ``client_factory`` with its
``handle_exception`` re-raising (``satukanal.platforms.instagram``), so a challenge is never answered by the job.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any

import requests
from instagrapi import Client
from instagrapi.exceptions import ClientError
from instagrapi.extractors import extract_media_v1
from instagrapi.types import Media as InstagramMedia

from monitor.errors import SourceBroken
from monitor.feeds import Batch, FeedCursor, Item, Newer, feed_pages, newest_id
from monitor.instagram_direct import BOXES, Inbox, inbox_batch, inbox_params, thread_params
from monitor.instagram_errors import source_error
from monitor.instagram_items import (
    MALFORMED,
    comment_item,
    hashtag_form,
    hashtag_next_token,
    next_max_id,
    post_record,
    read_all,
    section_medias,
    skipped,
)
from monitor.records import PostRecord
from monitor.retry import Retrier
from monitor.sources import Page
from monitor.wire import dicts, mapping

STREAMS = ("tags", "comments", "hashtags", "direct")


class InstagramSource:
    """Collects what reaches the watched Instagram account, through a client logged in to it.

    ``since`` (a backfill) reads every item from that time instead of what is new since the cursors, with no page
    limit; ``max_pages`` bounds one feed in an ordinary run, and the next run continues.
    """

    platform = "instagram"

    def __init__(
        self,
        name: str,
        client_factory: Callable[[], Client],
        *,
        account: str,
        streams: Sequence[str] = STREAMS,
        hashtags: Sequence[str] = (),
        recent_posts: int = 12,
        retrier: Retrier | None = None,
        since: datetime | None = None,
        max_pages: int | None = 50,
    ) -> None:
        unknown = [stream for stream in streams if stream not in STREAMS]
        if unknown:
            raise ValueError(f"unknown Instagram stream {unknown[0]!r}; choose from {', '.join(STREAMS)}")
        self.name = name
        self.client_factory = client_factory
        self.account = account.strip().lstrip("@").lower()
        self.streams = tuple(streams)
        self.hashtags = tuple(tag.strip().lstrip("#").lower() for tag in hashtags if tag.strip())
        self.recent_posts = recent_posts
        self.retrier = retrier or Retrier()
        self.since = since.astimezone(UTC) if since is not None else None
        self.max_pages = None if since is not None else max_pages
        self._client: Client | None = None

    @property
    def client(self) -> Client:
        """The logged-in client, built on first use (``client_factory`` may raise ``SourceBroken``)."""
        if self._client is None:
            self._client = self.client_factory()
        return self._client

    def pages(self, cursors: Mapping[str, str]) -> Iterator[Page]:
        """Every stream's new items. When Instagram refuses the session, the client is dropped, so the next
        run logs in again from the session file (which a live check may have renewed)."""
        try:
            yield from self._streams(cursors)
        except SourceBroken:
            self._client = None
            raise

    def _streams(self, cursors: Mapping[str, str]) -> Iterator[Page]:
        account_id = None
        if {"tags", "comments"} & set(self.streams):
            account_id = self._known_id(cursors)
            if account_id is None:
                account_id = self._look_up_id()
                yield Page(records=[], cursor_key=f"account:{self.account}", cursor_value=account_id)
        for stream in self.streams:
            if stream == "tags":
                yield from self._feed("tags", partial(self._tags, account_id), cursors)
            elif stream == "comments":
                yield from self._comment_pages(account_id, cursors)
            elif stream == "hashtags":
                for tag in self.hashtags:
                    yield from self._feed(f"hashtag:{tag}", partial(self._hashtag, tag), cursors)
            else:
                for box in BOXES:
                    yield from self._feed(f"direct:{box}", partial(self._direct, box), cursors)

    def check(self) -> list[str]:
        """Ask Instagram once per feed, without retrying, whether this source can read it; what it found, as lines.

        Raises the ``SourceError`` a run would meet: a challenge, a refused session, a restriction, an unknown
        account.
        """
        patient, self.retrier = self.retrier, Retrier(attempts=1)
        try:
            return list(self._probe())
        finally:
            self.retrier = patient

    def _probe(self) -> Iterator[str]:
        account_id = None
        if {"tags", "comments"} & set(self.streams):
            account_id = self._known_id({}) or self._look_up_id()
        for stream in self.streams:
            if stream == "tags":
                self._tags(account_id, None, Newer())
                yield f"tag @{self.account} dapat dibaca (id akun {account_id})"
            elif stream == "comments":
                posts, _ = self._recent_posts(account_id)
                yield f"{len(posts)} postingan terbaru @{self.account} dapat dibaca"
            elif stream == "hashtags":
                for tag in self.hashtags:
                    self._hashtag(tag, None, Newer())
                    yield f"tagar #{tag} dapat dibaca"
            else:
                for box, (_, label) in BOXES.items():
                    self._direct(box, None, Newer())
                    yield f"{label} dapat dibaca"

    def _known_id(self, cursors: Mapping[str, str]) -> str | None:
        """The watched account's id without asking: the logged-in account's, or the one remembered in a cursor."""
        if self.account == (self.client.username or "").lower():
            return str(self.client.user_id)
        remembered = cursors.get(f"account:{self.account}", "")
        return remembered if remembered.isdigit() else None

    def _look_up_id(self) -> str:
        user = self._ask(f"mencari akun @{self.account}", partial(self.client.user_info_by_username_v1, self.account))
        return str(user.pk)

    def _feed(
        self, key: str, fetch: Callable[[str | None, Newer], Batch], cursors: Mapping[str, str]
    ) -> Generator[Page, None, bool]:
        return feed_pages(key, fetch, cursors, self.since, self.max_pages)

    def _tags(self, account_id: str, token: str | None, newer: Newer) -> Batch:
        """A page of posts that tag the account, as instagrapi's ``usertag_medias_v1_chunk`` asks for them."""
        body = self._get(f"membaca tag @{self.account}", f"usertags/{account_id}/feed/", params={"max_id": token})
        items, errors = read_all(dicts(body.get("items")), partial(self._media_item, "tag", None), "postingan")
        return Batch.of(items, newer, next_max_id(body, "more_available"), errors)

    def _comment_pages(self, account_id: str, cursors: Mapping[str, str]) -> Iterator[Page]:
        posts, errors = self._recent_posts(account_id)
        since = FeedCursor.loads(cursors.get("posts")).since
        # By pk even in a backfill: a post older than its start still anchors the new comments read from it.
        known = Newer(position=int(since) if since else None)
        fresh = [record for record, _ in posts if known(int(record.platform_id), record.created_at)]
        newest = newest_id([since, *(record.platform_id for record, _ in posts)])
        yield Page(fresh, "posts", FeedCursor(since=newest).dumps(), errors)
        for record, media in posts:
            yield from self._post_comments(record, media, cursors)

    def _recent_posts(self, account_id: str) -> tuple[list[tuple[PostRecord, InstagramMedia]], list[str]]:
        """The account's ``recent_posts`` latest posts (pinned ones first, as Instagram lists them), as records and
        as instagrapi's models (for their comment counts), with the parameters of ``user_medias_paginated_v1``."""
        posts: list[tuple[PostRecord, InstagramMedia]] = []
        errors: list[str] = []
        token = None
        while len(posts) < self.recent_posts:
            params = {"max_id": token, "count": self.recent_posts, "rank_token": self.client.rank_token}
            params["ranked_content"] = "true"
            body = self._get(f"membaca postingan @{self.account}", f"feed/user/{account_id}/", params=params)
            raws = dicts(body.get("items"))
            for raw in raws:
                try:
                    media = extract_media_v1(raw)
                    posts.append((post_record(media, raw, "post", self.account), media))
                except MALFORMED as exc:
                    errors.append(skipped("postingan", raw, exc))
            token = next_max_id(body, "more_available")
            if token is None or not raws:
                break
        return posts[: self.recent_posts], errors

    def _post_comments(self, post: PostRecord, media: InstagramMedia, cursors: Mapping[str, str]) -> Iterator[Page]:
        """The new comments on one of our posts; nothing is asked while its comment count has not grown."""
        key, count_key = f"comments:{post.platform_id}", f"comment_count:{post.platform_id}"
        seen = int(cursors[count_key]) if cursors.get(count_key, "").isdigit() else 0
        count = media.comment_count or 0
        resuming = FeedCursor.loads(cursors.get(key)).resume is not None
        if self.since is None and not resuming and count <= seen:
            if count < seen:  # comments were deleted: remember the lower count, or the next new one goes unnoticed
                yield Page(records=[], cursor_key=count_key, cursor_value=str(count))
            return
        if (yield from self._feed(key, partial(self._comments, post, media.id), cursors)):
            yield Page(records=[], cursor_key=count_key, cursor_value=str(count))

    def _comments(self, post: PostRecord, media_id: str, token: str | None, newer: Newer) -> Batch:
        """A page of comments, newest first, older ones behind ``next_max_id`` (instagrapi's ``media_comments``)."""
        body = self._get(f"membaca komentar {post.url}", f"media/{media_id}/comments/", params={"max_id": token})
        read = partial(comment_item, post, self.account)
        items, errors = read_all(dicts(body.get("comments")), read, "komentar")
        return Batch.of(items, newer, next_max_id(body, "has_more_comments"), errors)

    def _hashtag(self, tag: str, token: str | None, newer: Newer) -> Batch:
        """A page of a hashtag's recent posts (instagrapi's ``hashtag_medias_v1_chunk``, the "recent" tab)."""
        form = hashtag_form(self.client.uuid, self.client.rank_token, token)
        body = self._get(f"membaca tagar #{tag}", f"tags/{tag}/sections/", data=form)
        read = partial(self._media_item, "mention", {"hashtag": tag})
        items, errors = read_all(section_medias(body), read, "postingan")
        return Batch.of(items, newer, hashtag_next_token(body), errors)

    def _direct(self, box: str, token: str | None, newer: Newer) -> Batch:
        """A page of threads of the inbox or of the message requests, newest activity first (instagrapi's
        ``direct_threads_chunk`` and ``direct_pending_chunk``)."""
        endpoint, label = BOXES[box]
        params = inbox_params(token)
        body = self._get(f"membaca {label}", endpoint, params=params)
        client = self.client
        inbox = Inbox(self.account, str(client.user_id), client.username or self.account, pending=box == "pending")
        return inbox_batch(body, inbox, newer, older=partial(self._older_messages, label))

    def _older_messages(self, label: str, thread_id: str, token: str) -> dict:
        """The messages of a thread before ``token`` (instagrapi's ``direct_thread``)."""
        params = thread_params(token)
        body = self._get(f"membaca {label} sebelumnya", f"direct_v2/threads/{thread_id}/", params=params)
        return mapping(body.get("thread"))

    def _media_item(self, kind: str, extra: Mapping[str, Any] | None, raw: dict) -> Item:
        record = post_record(extract_media_v1(raw), raw, kind, self.account, extra)
        return Item(record, int(record.platform_id), record.created_at)

    def _get(self, action: str, endpoint: str, *, params: dict | None = None, data: dict | None = None) -> dict:
        """One private API request (a form POST when ``data`` is given), through the retrier."""
        client = self.client
        return self._ask(
            action, partial(client.private_request, endpoint, data=data, params=params, with_signature=False)
        )

    def _ask(self, action: str, call: Callable[[], Any]) -> Any:
        """``call`` through the retrier, with every way instagrapi and requests fail turned into a ``SourceError``."""

        def attempt() -> Any:
            try:
                return call()
            except (ClientError, requests.RequestException) as exc:
                raise source_error(exc, action) from None

        return self.retrier.call(attempt, f"{self.name}: {action}")
