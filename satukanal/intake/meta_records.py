"""Meta's Instagram webhook deliveries read as records: the same ``PostRecord`` polling makes, so both paths
store one item once.

A delivery is ``{"object": "instagram", "entry": [...]}``; each entry (one per watched account) carries
``changes`` (a field and its value) and ``messaging`` (direct-message events). What becomes a record:

- a ``comments`` or ``live_comments`` change: kind ``comment``; ``platform_id`` is the comment's id, which is the
  same number instagrapi calls the comment's pk, so the poller's ``monitor.instagram_items.comment_item`` and
  this module give one comment one id and the store keeps it once. The Graph API's media id is another number
  than instagrapi's media pk, so a comment's post is kept in ``raw`` (``graph_media_id``) rather than in
  ``in_reply_to``, which names the parent comment of a reply. The commenter's ``author_id`` is an
  Instagram-scoped id, not instagrapi's user pk; the username is the same.
- a ``messaging`` event with a ``message`` (or a ``messages`` change holding one): kind ``dm``; a story
  mention (an attachment of type ``story_mention``) keeps the story's CDN address, as the poller does. Its
  ``platform_id`` is ``mid-`` and a hash of the Graph API's message id (``mid``, too long for the column, kept
  whole in ``raw``). That id has no documented relation to instagrapi's item id, so a message read by both the
  webhook and the inbox poller is stored twice; run only one of them for direct messages. Messaging events
  carry no username: the author is ``id:`` and the sender's Instagram-scoped id.

- a ``mentions`` change: only ids (``media_id``, and ``comment_id`` when the mention is in a comment), kept as a
  ``MentionRef`` for ``monitor.instagram_graph_mentions`` to read through the Graph API.

Acknowledged and not stored (``Skipped``): other fields, echoes of our own messages, and events that are not
messages (reads, reactions) or carry nothing to read. An item that cannot be read raises ``RecordError``;
callers refuse that item alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from monitor.instagram_graph_items import graph_id, https_address
from monitor.records import Media, PostRecord, RecordError, record_from_mapping
from monitor.wire import compact, dicts, mapping

COMMENT_FIELDS = frozenset({"comments", "live_comments"})
MAX_MID_CHARS = 1000
MILLISECONDS_FROM = 10**11
"""An epoch number this large is in milliseconds: in seconds it would be after the year 5000."""


class DeliveryError(ValueError):
    """The body is not an Instagram webhook delivery at all; nothing in it is stored."""


class Skipped(Exception):
    """An item Meta sends that SatuKanal does not store; the message says what it was."""


@dataclass(frozen=True)
class MentionRef:
    """A mention of our account in a caption (``media_id``) or in a comment (``comment_id`` as well)."""

    media_id: str
    comment_id: str | None = None


@dataclass
class Delivery:
    """What one delivery brought: the records, the mentions still to read, and a line for each item skipped or
    refused."""

    records: list[PostRecord] = field(default_factory=list)
    mentions: list[MentionRef] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def read_delivery(payload: object, account: str | None, received_at: datetime) -> Delivery:
    """The records of ``payload`` (parsed JSON) aimed at the watched ``account``; raises ``DeliveryError`` when
    the delivery's own shape is wrong. Each item is read on its own: one that fails costs no other."""
    delivery = Delivery()
    for number, entry in enumerate(_entries(payload)):
        for index, change in enumerate(entry.get("changes", [])):
            read = partial(_change, change, entry, account, received_at)
            _read_item(delivery, f"entry[{number}].changes[{index}]", read)
        for index, event in enumerate(entry.get("messaging", [])):
            read = partial(message_record, event, entry.get("id"), account, received_at)
            _read_item(delivery, f"entry[{number}].messaging[{index}]", read)
    return delivery


def _entries(payload: object) -> list[dict]:
    """The delivery's entries, once its shape is checked: an object for Instagram, whose entries are objects
    with lists of changes and of messaging events."""
    if not isinstance(payload, dict) or payload.get("object") != "instagram":
        raise DeliveryError("not an Instagram delivery")
    entries = payload.get("entry")
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise DeliveryError("entry is not a list of objects")
    for entry in entries:
        if not (isinstance(entry.get("changes", []), list) and isinstance(entry.get("messaging", []), list)):
            raise DeliveryError("changes or messaging is not a list")
    return entries


def _read_item(delivery: Delivery, where: str, read: Callable[[], PostRecord | MentionRef]) -> None:
    try:
        found = read()
        (delivery.mentions if isinstance(found, MentionRef) else delivery.records).append(found)
    except Skipped as exc:
        delivery.skipped.append(f"{where}: {exc}")
    except RecordError as exc:
        delivery.refused.append(f"{where}: {exc}")


def _change(
    change: object, entry: Mapping[str, Any], account: str | None, received_at: datetime
) -> PostRecord | MentionRef:
    """A change's record: a comment, or a message sent as a change (the App Dashboard's test deliveries are); a
    mention's ids."""
    name, value = mapping(change).get("field"), mapping(change).get("value")
    if name == "mentions":
        media_id = graph_id(mapping(value).get("media_id"))
        if media_id is None:
            raise RecordError("mentions tanpa media_id")
        return MentionRef(media_id, graph_id(mapping(value).get("comment_id")))
    if name == "messages":
        return message_record(value, entry.get("id"), account, received_at)
    if name not in COMMENT_FIELDS:
        raise Skipped(f"field {str(name)[:40]!r} is not stored")
    return comment_record(value, account, _moment(entry.get("time"), received_at), live=name == "live_comments")


def comment_record(value: object, account: str | None, sent_at: str, *, live: bool = False) -> PostRecord:
    """A comment on one of our posts (or a live broadcast); ``sent_at`` is the delivery's time, as Meta sends
    no time of the comment itself."""
    if not isinstance(value, dict):
        raise RecordError("value bukan objek")
    sender, media = mapping(value.get("from")), mapping(value.get("media"))
    username = sender.get("username") if isinstance(sender.get("username"), str) else None
    sender_id = graph_id(sender.get("id"))
    record = record_from_mapping(
        {
            "platform": "instagram",
            "id": graph_id(value.get("id")) or "",
            "author": username or f"id:{sender_id or 'tidak-diketahui'}",
            "text": value.get("text"),
            "created_at": sent_at,
            "kind": "comment",
            "in_reply_to": graph_id(value.get("parent_id")),
            "account": account,
        }
    )
    product = media.get("media_product_type")  # FEED, REELS, AD, ...
    if not (isinstance(product, str) and product.isascii() and product.isalpha() and len(product) <= 20):
        product = None
    extra = {
        "graph_media_id": graph_id(media.get("id")),
        "media_product_type": product,
        "live": True if live else None,
    }
    return replace(record, author_id=sender_id, raw=compact(extra))


def message_record(event: object, our_id: object, account: str | None, received_at: datetime) -> PostRecord:
    """A direct message someone sent us, a story mention among them."""
    message = mapping(mapping(event).get("message"))
    if not message:
        raise Skipped("event is not a message (read, reaction, ...)")
    sender_id = graph_id(mapping(mapping(event).get("sender")).get("id"))
    if message.get("is_echo") or (sender_id is not None and sender_id == str(our_id)):
        raise Skipped("echo of our own message")
    if message.get("is_deleted") or message.get("is_unsupported"):
        raise Skipped("message deleted or not supported")
    mid = message.get("mid")
    if not (isinstance(mid, str) and 0 < len(mid) <= MAX_MID_CHARS and mid.isascii() and mid.isprintable()):
        raise RecordError("mid tidak ada atau bukan teks ASCII")
    text, media, extra = _content(message, account)
    record = record_from_mapping(
        {
            "platform": "instagram",
            "id": "mid-" + hashlib.sha256(mid.encode()).hexdigest()[:48],
            "author": f"id:{sender_id or 'tidak-diketahui'}",  # messaging events carry no username
            "text": text,
            "created_at": _moment(mapping(event).get("timestamp"), received_at),
            "kind": "dm",
            "account": account,
        }
    )
    return replace(record, author_id=sender_id, media=media, raw=compact({"mid": mid} | extra))


def _content(message: Mapping[str, Any], account: str | None) -> tuple[str, tuple[Media, ...], dict]:
    """A message's text, its media and what to keep in ``raw``, worded as the inbox poller words them."""
    attachments = dicts(message.get("attachments"))
    text = message.get("text") if isinstance(message.get("text"), str) else None
    for attachment in attachments:
        url = https_address(mapping(attachment.get("payload")).get("url"))
        if attachment.get("type") == "story_mention":
            shown = text or f"(menyebut @{account or 'akun kita'} di story)"
            return shown, (Media(type="story", url=url),) if url else (), {"story_mention": True}
    if text:
        return text, (), {}
    for attachment in attachments:
        url = https_address(mapping(attachment.get("payload")).get("url"))
        if attachment.get("type") in ("image", "video") and url:
            kind = "photo" if attachment["type"] == "image" else "video"
            return f"(mengirim {'foto' if kind == 'photo' else 'video'})", (Media(type=kind, url=url),), {}
    raise Skipped("message carries no text, story mention, photo or video")


def _moment(value: object, received_at: datetime) -> str:
    """An epoch time (seconds or milliseconds) as ISO 8601; the time of receipt when Meta sent none."""
    if isinstance(value, bool) or not isinstance(value, int):
        return received_at.astimezone(UTC).isoformat()
    try:
        moment = datetime.fromtimestamp(value / 1000 if value >= MILLISECONDS_FROM else value, UTC)
    except (OverflowError, OSError, ValueError):
        raise RecordError("waktu di luar rentang") from None
    return moment.isoformat()
