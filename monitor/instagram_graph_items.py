"""Meta Graph API objects as records: media that tag the account, our own media, comments and their replies.

Every object goes through ``record_from_mapping``, the import path's validation, so an object Meta sends odd (no
id, a timestamp that is not one, a text of control characters) is refused alone, with a line saying why, and
costs no other. Ids must be plain digits: they become parts of request paths (``{media-id}/comments``), and a
comment's id must be the very string the webhook stores (``satukanal.intake.meta_records.comment_record``), so
a comment read both ways is stored once. That is why a comment's ``in_reply_to`` is its parent comment (None for
a top-level comment) and its post is in ``raw["graph_media_id"]``, as the webhook has it.

The Graph API's media id is another number than instagrapi's media pk: a post read by this source and by the
instagrapi source (``monitor.instagram``) is stored twice, so an account is watched through one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC
from typing import Any

from monitor.feeds import Item
from monitor.records import MAX_URL_CHARS, Media, PostRecord, RecordError, clean_text, record_from_mapping
from monitor.wire import compact, dicts, mapping

MEDIA_FIELDS = "id,caption,timestamp,permalink,media_type,media_url,thumbnail_url"
TAG_FIELDS = f"{MEDIA_FIELDS},username"
OWN_MEDIA_FIELDS = f"{MEDIA_FIELDS},comments_count"
"""Our own media with the attachments too (not only the comment count), so our posts show as the poller's do."""
COMMENT_FIELDS = "id,text,timestamp,username,from{id,username},parent_id"
THREAD_FIELDS = f"{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}"
NO_CAPTION = "(postingan tanpa keterangan)"
NO_TEXT = "(komentar tanpa teks)"
"""Stand-ins for an empty caption or comment (a sticker, a GIF): the item is stored all the same, and the
import validation it goes through refuses an empty text."""


def media_record(raw: Mapping[str, Any], kind: str, account: str, author: str | None = None) -> Item:
    """A media object as a record of ``kind`` (``tag``, ``post``), placed in its feed by its time.

    ``author`` is for our own media, whose answer names no owner; a tag's author is its ``username``.
    """
    caption = raw.get("caption")
    username = author or (raw.get("username") if isinstance(raw.get("username"), str) else None)
    record = validated_record(
        raw,
        text=caption if isinstance(caption, str) and clean_text(caption).strip() else NO_CAPTION,
        author=username or "id:tidak-diketahui",
        kind=kind,
        url=raw.get("permalink") if isinstance(raw.get("permalink"), str) else None,
        account=account,
    )
    media_type = raw.get("media_type")  # IMAGE, VIDEO, CAROUSEL_ALBUM
    plain_type = media_type if isinstance(media_type, str) and media_type.isascii() and len(media_type) <= 20 else None
    record = replace(record, media=attachments(raw), raw=compact({"media_type": plain_type}))
    return Item(record, int(record.created_at.timestamp()), record.created_at)


def comment_records(raw: Mapping[str, Any], post: PostRecord, account: str) -> tuple[list[Item], list[str]]:
    """A top-level comment and the replies listed under it, each read on its own; the lines say what was not.

    Only the first page of replies is in ``raw``; ``more_replies`` says whether Meta has more.
    """
    items, errors = [], []
    parent = graph_id(raw.get("id"))
    for thread_item in [raw, *dicts(mapping(raw.get("replies")).get("data"))]:
        try:
            items.append(comment_record(thread_item, post, account, None if thread_item is raw else parent))
        except RecordError as exc:
            errors.append(skipped("komentar", thread_item, exc))
    return items, errors


def comment_record(raw: Mapping[str, Any], post: PostRecord, account: str, parent: str | None = None) -> Item:
    """A comment on our ``post``; ``parent`` is the comment a reply is listed under, when it does not say."""
    sender = mapping(raw.get("from"))
    sender_id = graph_id(sender.get("id"))
    username = next((name for name in (sender.get("username"), raw.get("username")) if isinstance(name, str)), None)
    text = raw.get("text")
    record = validated_record(
        raw,
        text=text if isinstance(text, str) and clean_text(text).strip() else NO_TEXT,
        author=username or f"id:{sender_id or 'tidak-diketahui'}",
        kind="comment",
        url=post.url,
        account=account,
        in_reply_to=graph_id(raw.get("parent_id")) or parent,
    )
    record = replace(record, author_id=sender_id, raw={"graph_media_id": post.platform_id})
    return Item(record, int(record.platform_id), record.created_at)


def more_replies(raw: Mapping[str, Any]) -> str | None:
    """The cursor after the replies listed under a comment, when Meta says more follow."""
    paging = mapping(mapping(raw.get("replies")).get("paging"))
    after = mapping(paging.get("cursors")).get("after")
    return after if paging.get("next") and isinstance(after, str) and after else None


def attachments(raw: Mapping[str, Any]) -> tuple[Media, ...]:
    """A video with its still (``thumbnail_url``), or the image; an album is shown by its cover (``media_url``)."""
    url, still = https_address(raw.get("media_url")), https_address(raw.get("thumbnail_url"))
    if raw.get("media_type") == "VIDEO":
        return (Media(type="video", url=url, preview_url=still),) if url or still else ()
    return (Media(type="photo", url=url),) if url else ()


def graph_id(value: object) -> str | None:
    """A Graph API id (a numeric string) as text; None when it is absent or not a plain number."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    text = str(value)
    return text if text.isascii() and text.isdigit() and len(text) <= 64 else None


def skipped(what: str, raw: Mapping[str, Any], exc: Exception) -> str:
    return f"{what} {graph_id(raw.get('id')) or 'tanpa id'} tidak terbaca, dilewati: {exc}"


def validated_record(raw: Mapping[str, Any], **fields: Any) -> PostRecord:
    """The record through the import validation; its time in UTC, as the other sources give it."""
    object_id = graph_id(raw.get("id"))
    if object_id is None:
        raise RecordError("id tidak ada atau bukan angka")
    data = {"platform": "instagram", "id": object_id, "created_at": raw.get("timestamp"), **fields}
    record = record_from_mapping(data)
    return replace(record, created_at=record.created_at.astimezone(UTC))


def https_address(value: object) -> str | None:
    """An https address short and printable enough to store, else None (a CDN link from Meta's answer)."""
    if isinstance(value, str) and value.startswith("https://") and len(value) <= MAX_URL_CHARS and value.isprintable():
        return value
    return None
