"""Previews of the media on newly collected posts, for the queue (``collect.thumbnails``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from satukanal.config.sections import CollectConfig
from satukanal.config.settings import Settings
from satukanal.models import Post

BATCH = 200


def thumbnails_dir(settings: Settings) -> Path:
    return settings.data_dir / "thumbnails"


def add_thumbnails(sessions: sessionmaker[Session], folder: Path, options: CollectConfig, post_ids: list[int]) -> None:
    """Download each post's media previews into ``folder`` and note them on the post (requests and Pillow are
    imported here, on first use)."""
    import requests

    from monitor.thumbnails import ThumbnailFetcher

    with requests.Session() as http:
        fetcher = ThumbnailFetcher(http, folder, options.thumbnail_max_bytes, options.thumbnails_per_post)
        for start in range(0, len(post_ids), BATCH):
            with sessions.begin() as session:
                for post in session.scalars(select(Post).where(Post.id.in_(post_ids[start : start + BATCH]))):
                    if post.media:
                        post.media = fetcher.fetch(post.media)
