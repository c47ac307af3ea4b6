"""Direct messages: threads of the inbox and of the message requests turned into records.

The inbox lists threads by their latest activity, newest first, each with its latest few messages; a feed's
cursor is the timestamp of the newest message stored, in microseconds as Instagram sends it. A thread whose
shown messages are all new may hide more behind its ``oldest_cursor``: those are read too, except on a feed's
very first run, which takes what the inbox shows.

What becomes a record (kind ``dm``): text messages and links, photos and videos sent directly, replies to our
stories, and story mentions. Instagram sends a story mention as an item of type ``reel_share`` whose
``reel_share.type`` is ``mention``; instagrapi has no model for it and keeps ``reel_share`` as the raw dict,
which is what is read here (text, and the story's image). A shared post (``media_share``) is stored as the
post's own record, so the same post seen later as a tag is a duplicate, not a second item. Messages the
logged-in account sent are stored under its username, so the store marks them as ours.

Each item is read with instagrapi's ``extract_direct_message`` on a copy (the extractor rewrites the dict it
reads); the time comes from the raw microseconds, since the model keeps naive local seconds.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from instagrapi.extractors import extract_direct_message, extract_media_v1
from instagrapi.types import DirectMessage
from instagrapi.utils import InstagramIdCodec

from monitor.feeds import Batch, Item, Newer
from monitor.instagram_items import (
    MALFORMED,
    attachments,
    author_name,
    clean,
    digits,
    post_record,
    skipped,
)
from monitor.records import Media, PostRecord
from monitor.wire import compact, dicts, mapping

BOXES = {"inbox": ("direct_v2/inbox/", "pesan langsung"), "pending": ("direct_v2/pending_inbox/", "permintaan pesan")}
"""The two direct-message boxes: (endpoint, what the team calls it)."""

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

OlderMessages = Callable[[str, str], Mapping[str, Any]]
"""(thread id, cursor) → the thread's messages before that cursor, as ``direct_v2/threads/{id}/`` answers."""


@dataclass(frozen=True)
class Inbox:
    """Whose threads these are: the watched account the records are aimed at, and the logged-in viewer."""

    account: str
    viewer_id: str
    viewer_name: str
    pending: bool = False
    """The message requests: people who do not follow the account."""


def inbox_batch(body: Mapping[str, Any], inbox: Inbox, newer: Newer, older: OlderMessages) -> Batch:
    """The new messages of one page of threads."""
    box = mapping(body.get("inbox"))
    items: list[Item] = []
    errors: list[str] = []
    reached_old = False
    for thread in dicts(box.get("threads")):
        activity = _microseconds(thread.get("last_activity_at"))
        if activity is None:
            errors.append(f"utas pesan {str(thread.get('thread_id', 'tanpa id'))[:40]} tanpa waktu; dilewati")
            continue
        if not newer(activity, from_microseconds(activity)):
            reached_old = reached_old or not thread.get("is_pin")  # a pinned thread is listed first, however old
            continue
        found, problems = thread_items(_with_older(thread, newer, older), inbox)
        items.extend(item for item in found if newer(item.position, item.when))
        errors.extend(problems)
    token = box.get("oldest_cursor")
    return Batch(items, str(token) if box.get("has_older") and token else None, errors, reached_old)


def thread_items(thread: Mapping[str, Any], inbox: Inbox) -> tuple[list[Item], list[str]]:
    """Every message of ``thread`` that carries something to read, and a line for each one that cannot be read."""
    thread_id = str(thread.get("thread_id") or "")
    people = dicts(thread.get("users")) + dicts(thread.get("left_users"))
    names = {str(user.get("pk") or user.get("id")): user.get("username") for user in people}
    names[inbox.viewer_id] = inbox.viewer_name
    items, errors = [], []
    for raw in dicts(thread.get("items")):
        try:
            item = _message(raw, thread_id, names, inbox)
        except MALFORMED as exc:
            errors.append(skipped("pesan", raw, exc))
            continue
        if item is not None:
            items.append(item)
    return items, errors


def from_microseconds(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


def _with_older(thread: Mapping[str, Any], newer: Newer, older: OlderMessages) -> Mapping[str, Any]:
    """``thread`` with the messages the inbox left out, while they are still new (see the module's docstring)."""
    while newer.bounded and thread.get("has_older") and thread.get("oldest_cursor"):
        shown = dicts(thread.get("items"))
        oldest = _microseconds(shown[-1].get("timestamp")) if shown else None
        if oldest is None or not newer(oldest, from_microseconds(oldest)):
            break
        before = older(str(thread.get("thread_id")), str(thread["oldest_cursor"]))
        more = dicts(before.get("items"))
        if not more:
            break
        thread = {**thread, "items": shown + more, **{key: before.get(key) for key in ("has_older", "oldest_cursor")}}
    return thread


def _message(raw: dict, thread_id: str, names: Mapping[str, str | None], inbox: Inbox) -> Item | None:
    message = extract_direct_message(copy.deepcopy(raw))
    position = _microseconds(raw.get("timestamp"))
    if position is None:
        raise ValueError("timestamp bukan angka")
    when = from_microseconds(position)
    sender = message.user_id or None
    context = {"thread_id": thread_id, "message_request": True if inbox.pending else None}
    shared = raw.get("media_share")
    if message.item_type == "media_share" and isinstance(shared, dict):
        shared_by = {"shared_by": author_name(names.get(sender or ""), sender)}
        return Item(_shared_post(shared, inbox.account, context | shared_by), position, when)
    content = _content(message, raw, inbox.account)
    if content is None:
        return None
    text, media, extra = content
    record = PostRecord(
        platform="instagram",
        platform_id=digits(message.id),
        author=author_name(names.get(sender or ""), sender),
        author_id=sender,
        text=clean(text),
        created_at=when,
        kind="dm",
        account=inbox.account,
        media=media,
        raw=compact(context | extra),
    )
    return Item(record, position, when)


def _content(message: DirectMessage, raw: dict, account: str) -> tuple[str, tuple[Media, ...], dict] | None:
    """A message's text, media and what to keep in ``raw``; None for items with nothing to read (likes, calls, ...)."""
    share = message.reel_share or {}
    if message.item_type == "reel_share" and share:
        story = mapping(share.get("media"))
        if share.get("type") == "mention":
            text = share.get("text") or f"(menyebut @{account} di story)"
            return text, attachments(story), {"story_mention": True, "story_pk": story.get("pk")}
        text = message.text or share.get("text")
        return (text, attachments(story), {"reel_share": share.get("type")}) if text else None
    if message.item_type == "link" and message.link is not None:
        return message.link.text, (), {}
    sent = mapping(raw.get("media"))
    if message.item_type == "media" and sent:
        return ("(mengirim video)" if sent.get("media_type") == 2 else "(mengirim foto)"), attachments(sent), {}
    return (message.text, (), {}) if message.text else None


def _shared_post(media: dict, account: str, context: Mapping[str, Any]) -> PostRecord:
    """The post someone shared with us, as its own record."""
    media = dict(media)
    if not media.get("code"):
        # instagrapi's own fallback encodes the "<pk>_<owner>" id, which int() reads as one long number
        media["code"] = InstagramIdCodec.encode(int(digits(media.get("pk"))))
    return post_record(extract_media_v1(media), media, "dm", account, context)


def _microseconds(value: object) -> int | None:
    text = str(value) if isinstance(value, (int, str)) else ""
    return int(text) if text.isascii() and text.isdigit() else None


def inbox_params(token: str | None) -> dict[str, str]:
    """The query of instagrapi's ``direct_threads_chunk`` (and ``direct_pending_chunk``), older than ``token``."""
    params = {"visual_message_return_type": "unseen", "persistentBadging": "true", "is_prefetching": "false"}
    params |= {"thread_message_limit": "10", "limit": "20"}
    if token:
        params |= {"cursor": token, "direction": "older"}
    return params


def thread_params(token: str) -> dict[str, str]:
    """The query of instagrapi's ``direct_thread`` for the messages before ``token``."""
    return {"visual_message_return_type": "unseen", "direction": "older", "limit": "20", "cursor": token}
