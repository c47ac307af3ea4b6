"""Small preview images of a post's media, for the moderation queue.

Only the platforms' own image hosts are fetched, over HTTPS; an answer must
say it is an image, stay under ``max_bytes``, and open as one in Pillow. What
is kept is our own re-encoding (a JPEG at most ``SIZE`` pixels wide and
high), so nothing of the original file but its pixels reaches the browser.
A preview that cannot be had is skipped: the post is stored either way.
"""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path
from urllib.parse import urlsplit

import requests
from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)

IMAGE_HOSTS = ("pbs.twimg.com", "cdninstagram.com", "fbcdn.net")
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
SIZE = 480
TIMEOUT = 15  # seconds
MAX_PIXELS = 50_000_000  # a decompression bomb is refused before it is decoded


class ThumbnailFetcher:
    """Downloads previews into ``folder``, named by the digest of their address."""

    def __init__(self, session: requests.Session, folder: Path, max_bytes: int, per_post: int) -> None:
        self.session = session
        self.folder = folder
        self.max_bytes = max_bytes
        self.per_post = per_post

    def fetch(self, media: list[dict]) -> list[dict]:
        """``media`` with ``thumbnail`` (a file name in ``folder``) added where a preview could be had."""
        fetched = 0
        result = []
        for item in media:
            address = item.get("preview_url") or item.get("url")
            if fetched < self.per_post and isinstance(address, str) and "thumbnail" not in item:
                name = self._fetch_one(address)
                if name is not None:
                    item = item | {"thumbnail": name}
                    fetched += 1
            result.append(item)
        return result

    def _fetch_one(self, address: str) -> str | None:
        parts = urlsplit(address)
        host = parts.hostname or ""
        if parts.scheme != "https" or not any(host == known or host.endswith(f".{known}") for known in IMAGE_HOSTS):
            log.info("preview %s skipped: not an https address on a platform's image host", address[:100])
            return None
        name = hashlib.sha256(address.encode()).hexdigest()[:32] + ".jpg"
        if (self.folder / name).exists():
            return name
        try:
            content = self._download(address)
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > MAX_PIXELS:
                raise ValueError(f"{image.width}x{image.height} pixels is more than a preview needs")
            image.thumbnail((SIZE, SIZE))
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=80)
        except (
            requests.RequestException,
            ValueError,
            OSError,
            UnidentifiedImageError,
        ) as exc:
            log.info("preview %s skipped: %s", address[:100], exc)
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{name}.part"
        temporary.write_bytes(buffer.getvalue())
        temporary.replace(self.folder / name)
        return name

    def _download(self, address: str) -> bytes:
        with self.session.get(address, stream=True, timeout=TIMEOUT, allow_redirects=False) as response:
            if response.status_code != 200:
                raise ValueError(f"HTTP {response.status_code}")
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if kind not in IMAGE_TYPES:
                raise ValueError(f"not an image ({kind or 'no content type'})")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise ValueError(f"larger than {self.max_bytes} bytes")
            content = bytearray()
            for chunk in response.iter_content(64 * 1024):
                content += chunk
                if len(content) > self.max_bytes:
                    raise ValueError(f"larger than {self.max_bytes} bytes")
            return bytes(content)
