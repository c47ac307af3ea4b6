"""Publishing to the office's Instagram account through instagrapi's private (mobile app) API.

The channel is given a logged-in ``instagrapi.Client`` (``satukanal.platforms.instagram.instagram_client``
builds one) and never reads credentials or the environment itself. Remote ids are media pks
as strings: ``publish`` and ``find_published`` both return ``[pk]`` for the one post.

An item with a ``ReplyTarget`` answers a citizen instead: a comment in the thread of the comment it answers
(or under the post that tagged us), or a direct message in the conversation of a message, only while
Meta's 24-hour window is open. Its remote id is the comment's pk or the message's item id, and
``find_published`` looks for our own text in that thread or conversation before anything is sent again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import requests
from instagrapi import Client
from instagrapi.exceptions import ClientError
from pydantic import ValidationError

from monitor.instagram_errors import Kind, classify
from publisher import instagram_recap as recap
from publisher.channels import COMMENT, MENTIONED_COMMENT, MESSAGE, Item, PublishError, ReplyTarget
from publisher.instagram_recap import CAPTION_LIMIT, normalised

# How many of the account's latest posts are searched for an interrupted publication.
RECENT_POSTS = 12
# What instagrapi and requests raise when a call to Instagram fails; a pydantic ValidationError
# means Instagram's answer did not have the shape instagrapi expects.
FAILURES = (ClientError, requests.RequestException, ValidationError)


class InstagramChannel:
    """Posts an item's cards with its caption: one card as a photo, several as a carousel."""

    name = "instagram"

    def __init__(self, client: Client, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.client = client
        self._clock = clock

    def find_published(self, item: Item) -> list[str] | None:
        target = ReplyTarget.of(item)
        if target is not None:
            return self._find_reply(item, target)
        return self._find_post(item)

    def publish(self, item: Item) -> list[str]:
        target = ReplyTarget.of(item)
        if target is not None:
            return self._reply(item, target)
        return self._post(item)

    def _find_post(self, item: Item) -> list[str] | None:
        """The pk of a recent post whose caption is the item's (whitespace normalised), else None.

        Reads the v1 user feed directly because instagrapi's ``user_medias`` turns some failures
        into an empty list, and here an empty answer would mean posting the recap twice: a failed
        lookup raises ``PublishError`` instead.
        """
        wanted = normalised(recap.caption(item))
        try:
            feed = self.client.private_request(
                f"feed/user/{self.client.user_id}/",
                params={"count": RECENT_POSTS, "rank_token": self.client.rank_token, "ranked_content": "true"},
            )
        except FAILURES as exc:
            raise _publish_error(exc) from None
        posts = feed.get("items")
        if not isinstance(posts, list):
            raise PublishError("daftar unggahan Instagram tidak dapat dibaca (tanpa 'items')", retryable=True)
        for post in posts:
            if normalised((post.get("caption") or {}).get("text") or "") == wanted:
                return [str(post["pk"])]
        return None

    def _post(self, item: Item) -> list[str]:
        caption = recap.caption(item)
        if len(caption) > CAPTION_LIMIT:
            raise PublishError(
                f"keterangan Instagram {item.key} panjangnya {len(caption)} karakter, melebihi batas {CAPTION_LIMIT}"
            )
        cards = recap.cards(item)
        if not cards:
            raise PublishError(f"{item.key} tidak memuat gambar card-1.png untuk Instagram")
        with tempfile.TemporaryDirectory(prefix="satukanal-instagram-") as folder:
            paths = [Path(folder) / name for name in cards]
            for path in paths:
                path.write_bytes(item.files[path.name])
            try:
                if len(paths) == 1:
                    media = self.client.photo_upload(paths[0], caption)
                else:
                    media = self.client.album_upload(paths, caption)
            except FAILURES as exc:
                raise _publish_error(exc) from None
        return [str(media.pk)]

    def _reply(self, item: Item, target: ReplyTarget) -> list[str]:
        """Post the reply: a direct message into the citizen's conversation, else a comment under their post or
        in their comment's thread."""
        text = target.reply_text(item)
        closed = target.window_closed(self._clock())
        if closed:
            raise PublishError(closed)
        try:
            if target.kind == MESSAGE:
                if target.thread_id:
                    sent = self.client.direct_send(text, thread_ids=[int(target.thread_id)])
                else:
                    sent = self.client.direct_send(text, user_ids=[int(target.recipient or 0)])
                return [str(sent.id)]
            answered = int(target.id) if target.kind in (COMMENT, MENTIONED_COMMENT) else None
            comment = self.client.media_comment(self._media_id(target), text, replied_to_comment_id=answered)
        except FAILURES as exc:
            raise _publish_error(exc) from None
        return [str(comment.pk)]

    def _find_reply(self, item: Item, target: ReplyTarget) -> list[str] | None:
        """Our reply's id if the thread or conversation already holds our text, else None; a failed look-up raises."""
        wanted = normalised(target.reply_text(item))
        try:
            if target.kind == MESSAGE:
                if not target.thread_id:
                    return None  # no conversation to read: only the ledger's claim keeps the message to one copy
                thread = self.client.private_request(f"direct_v2/threads/{target.thread_id}/", params={"limit": "20"})
                found = (thread.get("thread") or {}).get("items") or []
                ours = [(entry.get("item_id"), entry.get("text")) for entry in found if _by(entry.get("user_id"), self)]
            else:
                media = self._media_id(target)
                if target.kind in (COMMENT, MENTIONED_COMMENT):
                    answer = self.client.private_request(f"media/{media}/comments/{target.id}/inline_child_comments/")
                    found = answer.get("child_comments") or []
                else:
                    found = self.client.private_request(f"media/{media}/comments/").get("comments") or []
                ours = [(entry.get("pk"), entry.get("text")) for entry in found if _by(entry.get("user_id"), self)]
        except FAILURES as exc:
            raise _publish_error(exc) from None
        except AttributeError:
            raise PublishError("jawaban Instagram tidak dapat dibaca saat mencari balasan", retryable=True) from None
        return next(([str(pk)] for pk, text in ours if pk and normalised(str(text or "")) == wanted), None)

    def _media_id(self, target: ReplyTarget) -> str:
        """instagrapi's full media id ``<pk>_<owner pk>``: a comment's post is ours, a tagging post its author's."""
        media = target.media_id or target.id
        if "_" in media:
            return media
        owner = str(self.client.user_id) if target.kind == COMMENT else target.recipient
        return f"{media}_{owner}" if owner else media


def _by(user_id: object, channel: InstagramChannel) -> bool:
    return str(user_id) == str(channel.client.user_id)


def _publish_error(exc: Exception) -> PublishError:
    """What a failed call to Instagram means for the retry loop, worded so staff know what to do."""
    verdict, name = classify(exc), type(exc).__name__
    if verdict.kind is Kind.LOGIN:
        return PublishError(
            f"sesi Instagram perlu login baru ({name}): jalankan ulang dengan kata sandi akun "
            "atau dengan sessionid baru dari peramban yang sedang login ke akun itu"
        )
    if verdict.kind.needs_person:
        return PublishError(
            f"Instagram meminta tindakan di aplikasi ({name}): buka aplikasi Instagram di ponsel yang "
            "biasa dipakai akun ini, selesaikan verifikasi atau baca pemberitahuannya, lalu jalankan ulang; "
            "bila sesi tetap ditolak, login ulang dengan kata sandi atau sessionid baru"
        )
    if verdict.kind is Kind.RATE_LIMITED:
        return PublishError(
            "Instagram meminta jeda sebelum mencoba lagi", retryable=True, retry_after=verdict.retry_after
        )
    if verdict.kind is Kind.UNREACHABLE:
        return PublishError(f"Instagram tidak dapat dihubungi ({name})", retryable=True)
    if verdict.kind is Kind.UNREADABLE:
        return PublishError(
            f"jawaban Instagram tidak dapat dibaca ({name}); periksa dulu apakah unggahan sudah "
            "tampil di akun sebelum mencoba lagi",
            retryable=True,
        )
    if verdict.kind is Kind.SERVER:
        return PublishError(f"server Instagram sedang bermasalah (HTTP {verdict.status})", retryable=True)
    detail = " ".join(str(getattr(exc, "message", "") or exc).split())[:300]
    return PublishError(f"Instagram menolak unggahan ({name}): {detail}")
