"""Instagram items as records: posts, comments and their attachments, shared by the feeds and the inbox.

Each is an ``Item`` of ``monitor.feeds``: a record with its place in a newest-first feed (a pk, or a direct
message's timestamp).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC
from functools import partial
from typing import Any

from instagrapi.extractors import extract_comment
from instagrapi.types import Media as InstagramMedia

from monitor.feeds import Item, read_each
from monitor.records import MAX_AUTHOR_CHARS, MAX_TEXT_CHARS, Media, PostRecord, clean_text
from monitor.wire import compact, dicts, mapping

PREVIEW_MIN_WIDTH = 150


POST_URL = "https://www.instagram.com/p/{code}/"


MALFORMED = (ValueError, TypeError, KeyError, AttributeError, AssertionError, IndexError)
"""What instagrapi's extractors raise on an item they cannot read (pydantic's ValidationError is a ValueError)."""


def post_record(
    media: InstagramMedia, raw: Mapping[str, Any], kind: str, account: str, extra: Mapping[str, Any] | None = None
) -> PostRecord:
    """A post as a record, from instagrapi's model and, for its image sizes, the raw item."""
    return PostRecord(
        platform="instagram",
        platform_id=digits(media.pk),
        author=author_name(media.user.username, media.user.pk),
        author_id=str(media.user.pk),
        text=clean(media.caption_text),
        created_at=media.taken_at.astimezone(UTC),
        kind=kind,
        url=POST_URL.format(code=media.code),
        account=account,
        media=attachments(raw),
        raw=compact({"media_type": media.media_type, **(extra or {})}),
    )


def attachments(raw: Mapping[str, Any]) -> tuple[Media, ...]:
    """The photos and videos of a post or a story: each part of an album, or the item itself."""
    parts = raw.get("carousel_media") if raw.get("media_type") == 8 else [raw]
    found = (_attachment(part) for part in dicts(parts))
    return tuple(media for media in found if media is not None)


def _attachment(part: Mapping[str, Any]) -> Media | None:
    """``url``: the largest version (of the video itself, for a video); ``preview_url``: the smallest image at least
    ``PREVIEW_MIN_WIDTH`` wide, else the smallest there is."""
    images = _versions(mapping(part.get("image_versions2")).get("candidates"))
    largest = (_versions(part.get("video_versions")) or images or [None])[-1]
    if largest is None:
        return None
    previews = [image for image in images if image["width"] >= PREVIEW_MIN_WIDTH] or images
    return Media(
        type="video" if part.get("media_type") == 2 else "photo",
        url=largest["url"],
        preview_url=previews[0]["url"] if previews else None,
        width=largest["width"],
        height=largest["height"],
    )


def _versions(value: object) -> list[dict]:
    """Image or video versions that have an https URL and a size, smallest first."""
    usable = [
        version
        for version in dicts(value)
        if str(version.get("url", "")).startswith("https://")
        and isinstance(version.get("width"), int)
        and isinstance(version.get("height"), int)
    ]
    return sorted(usable, key=lambda version: version["width"] * version["height"])


def skipped(what: str, raw: Mapping[str, Any], exc: Exception) -> str:
    ident = raw.get("pk") or raw.get("item_id") or "tanpa id"
    return f"{what} {str(ident)[:40]} tidak terbaca, dilewati ({type(exc).__name__})"


def digits(value: object) -> str:
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"id {text[:40]!r} bukan angka")
    return text


def author_name(username: str | None, user_id: object) -> str:
    return (username or f"id:{user_id or 'tidak-diketahui'}")[:MAX_AUTHOR_CHARS]


def clean(text: str | None) -> str:
    return clean_text(text or "")[:MAX_TEXT_CHARS]


def comment_item(post: PostRecord, account: str, raw: dict) -> Item:
    comment = extract_comment(dict(raw))  # the extractor adds keys to the dict it is given
    record = PostRecord(
        platform="instagram",
        platform_id=digits(comment.pk),
        author=author_name(comment.user.username, comment.user.pk),
        author_id=str(comment.user.pk),
        text=clean(comment.text),
        created_at=comment.created_at_utc.astimezone(UTC),
        kind="comment",
        url=post.url,
        in_reply_to=post.platform_id,
        account=account,
        raw=compact({"media_pk": post.platform_id, "replied_to_comment_id": comment.replied_to_comment_id}),
    )
    return Item(record, int(record.platform_id), record.created_at)


def section_medias(body: Mapping[str, Any]) -> list[dict]:
    """The posts of a ``tags/{name}/sections/`` answer: each section's grid, and its reels when it has them."""
    medias = []
    for section in dicts(body.get("sections")):
        layout = mapping(section.get("layout_content"))
        clips = mapping(mapping(layout.get("one_by_two_item")).get("clips")).get("items")
        for node in dicts(clips) + dicts(layout.get("medias")) + dicts(layout.get("fill_items")):
            if isinstance(node.get("media"), dict):
                medias.append(node["media"])
    return medias


def read_all(raws: list[dict], read: Callable[[dict], Item], what: str) -> tuple[list[Item], list[str]]:
    """Every item ``read`` can make sense of with instagrapi's extractors, and a line for each one it cannot."""
    return read_each(raws, read, MALFORMED, partial(skipped, what))


def next_max_id(body: Mapping[str, Any], more: str) -> str | None:
    """The token of the next (older) page, when the answer says there is one."""
    token = body.get("next_max_id")
    return str(token) if body.get(more) and token else None


def hashtag_form(uuid: str, rank_token: str, token: str | None) -> dict[str, str]:
    """The form instagrapi's ``hashtag_medias_v1_chunk`` posts for the "recent" tab; the page token is the
    ``[next_max_id, next_media_ids]`` pair of the answer before (``hashtag_next_token``)."""
    form = {"tab": "recent", "media_recency_filter": "top_recent_posts", "_uuid": uuid}
    form |= {"include_persistent": "false", "rank_token": rank_token}
    if token:
        page, media_ids = json.loads(token)
        form |= {"max_id": page, "next_media_ids": json.dumps(media_ids, separators=(",", ":"))}
    return form


def hashtag_next_token(body: Mapping[str, Any]) -> str | None:
    if body.get("more_available") and body.get("next_max_id"):
        return json.dumps([body["next_max_id"], body.get("next_media_ids") or []])
    return None
