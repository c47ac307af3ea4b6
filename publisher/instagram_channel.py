"""Publishing to the office's Instagram account through instagrapi's private (mobile app) API.

The channel is given a logged-in ``instagrapi.Client`` (``satukanal.platforms.instagram.instagram_client``
builds one) and never reads credentials or the environment itself. Remote ids are media pks
as strings: ``publish`` and ``find_published`` both return ``[pk]`` for the one post.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import requests
from instagrapi import Client
from instagrapi.exceptions import ClientError
from pydantic import ValidationError

from monitor.instagram_errors import Kind, classify
from publisher.channels import Item, PublishError

CAPTION_FILE = "instagram-caption.txt"
CAPTION_LIMIT = 2200
CARD_NAME = re.compile(r"card-(\d+)\.png")
# How many of the account's latest posts are searched for an interrupted publication.
RECENT_POSTS = 12
# What instagrapi and requests raise when a call to Instagram fails; a pydantic ValidationError
# means Instagram's answer did not have the shape instagrapi expects.
FAILURES = (ClientError, requests.RequestException, ValidationError)


class InstagramChannel:
    """Posts an item's cards with its caption: one card as a photo, several as a carousel."""

    name = "instagram"

    def __init__(self, client: Client) -> None:
        self.client = client

    def find_published(self, item: Item) -> list[str] | None:
        """The pk of a recent post whose caption is the item's (whitespace normalised), else None.

        Reads the v1 user feed directly because instagrapi's ``user_medias`` turns some failures
        into an empty list, and here an empty answer would mean posting the recap twice: a failed
        lookup raises ``PublishError`` instead.
        """
        wanted = _normalised(_caption(item))
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
            if _normalised((post.get("caption") or {}).get("text") or "") == wanted:
                return [str(post["pk"])]
        return None

    def publish(self, item: Item) -> list[str]:
        caption = _caption(item)
        if len(caption) > CAPTION_LIMIT:
            raise PublishError(
                f"keterangan Instagram {item.key} panjangnya {len(caption)} karakter, melebihi batas {CAPTION_LIMIT}"
            )
        cards = sorted((name for name in item.files if CARD_NAME.fullmatch(name)), key=_card_number)
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


def _caption(item: Item) -> str:
    caption = item.files.get(CAPTION_FILE)
    if caption is None:
        raise PublishError(f"{item.key} tidak memuat {CAPTION_FILE}")
    return (caption.decode("utf-8") if isinstance(caption, bytes) else caption).strip()


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _card_number(name: str) -> int:
    return int(CARD_NAME.fullmatch(name).group(1))
