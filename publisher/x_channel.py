"""Publishing on X: an item's ``x-thread.json`` becomes a thread, its card images go on the first tweet.

An item with ``in-reply-to.txt`` (``REPLY_TO_FILE``) answers a citizen: its first tweet is a reply to that
tweet, which notifies its author (X lets an account reply to a post that mentioned it).

A thread is posted tweet by tweet, each a reply to the one before, so a run can
stop half-way. Before posting, the channel reads the account's recent tweets
and continues the thread after the last tweet already there; the same reading
answers ``find_published``, and a ``publish`` right after ``find_published``
(as the retry loop calls them) uses that reading instead of reading again.

Requests go through a ready ``tweepy.Client`` with OAuth 1.0a user context.
tweepy only wraps X's retired v1.1 media upload, so images are sent to the v2
endpoint on the client's own session, signed the way tweepy signs user-context
requests.
"""

from __future__ import annotations

import html
import json
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import requests
import tweepy
from tweepy.auth import OAuth1UserHandler

from publisher.channels import REPLY_TO_FILE, THREAD_FILE, Item, PublishError
from publisher.thread import load_twitter_text

log = logging.getLogger(__name__)

MEDIA_UPLOAD_URL = "https://api.x.com/2/media/upload"
MAX_IMAGES = 4  # the most photos X attaches to one tweet
TIMELINE_SIZE = 100  # the most tweets one timeline request returns: days of posting for the office's account
UPLOAD_TIMEOUT = 60  # seconds
READING_KEPT_SECONDS = 60  # how long a publish may rely on find_published's reading of the timeline

_HTTP_ERRORS: dict[int, type[tweepy.HTTPException]] = {
    400: tweepy.BadRequest,
    401: tweepy.Unauthorized,
    403: tweepy.Forbidden,
    404: tweepy.NotFound,
    429: tweepy.TooManyRequests,
}
_LEADING_MENTIONS = re.compile(r"^(?:@\w+ )+")


@dataclass(frozen=True)
class _Reading:
    """What ``find_published`` saw of ``item`` on the account, and when."""

    item: Item
    posted: list[str]
    at: float


class XChannel:
    """Posts items as threads on the X account ``client`` is authorised for."""

    name = "x"

    def __init__(
        self, client: tweepy.Client, user_id: str | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        """``user_id`` is the account's numeric id; without it the account is looked up once, on first use."""
        credentials = (client.consumer_key, client.consumer_secret, client.access_token, client.access_token_secret)
        if not all(isinstance(value, str) and value for value in credentials):
            raise ValueError("XChannel needs a tweepy.Client with OAuth 1.0a user-context credentials")
        self.client = client
        self._user_id = user_id
        self._clock = clock
        self._reading: _Reading | None = None

    def find_published(self, item: Item) -> list[str] | None:
        texts = _thread_texts(item)
        posted = self._posted_beginning(texts)
        self._reading = _Reading(item, posted, self._clock())
        return posted if len(posted) == len(texts) else None

    def publish(self, item: Item) -> list[str]:
        texts = _thread_texts(item)
        ids = self._just_read(item)
        if ids is None:
            ids = self._posted_beginning(texts)
        if ids:
            log.info("X thread %s: %d of %d tweets already posted, continuing", item.key, len(ids), len(texts))
            media_ids = []
        else:
            media_ids = self._upload_images(item)
        for number in range(len(ids) + 1, len(texts) + 1):
            with self._translated(f"mengirim tweet {number} dari {len(texts)}"):
                response = self.client.create_tweet(
                    text=texts[number - 1],
                    in_reply_to_tweet_id=ids[-1] if ids else _answered(item),
                    media_ids=media_ids if number == 1 and media_ids else None,
                    user_auth=True,
                )
                ids.append(str(response.data["id"]))
        return ids

    def _just_read(self, item: Item) -> list[str] | None:
        """What ``find_published`` has just seen of ``item``, taken once.

        The retry loop asks ``find_published`` before each ``publish``; X allows
        few timeline reads per 15 minutes on its lower access levels, and a
        second read per attempt could use them up for good.
        """
        reading, self._reading = self._reading, None
        if reading is None or reading.item != item or self._clock() - reading.at > READING_KEPT_SECONDS:
            return None
        return list(reading.posted)

    def _posted_beginning(self, texts: list[str]) -> list[str]:
        """Ids of the longest beginning of the thread on the account, each tweet a reply to the one before."""
        wanted = [_comparable(text) for text in texts]
        timeline = [
            (tweet.id, _replied_to(tweet), _comparable(html.unescape(tweet.text))) for tweet in self._recent_tweets()
        ]
        replies = {(parent_id, text): tweet_id for tweet_id, parent_id, text in timeline if parent_id is not None}
        longest: list[int] = []
        for first_id, _, text in timeline:
            if text != wanted[0]:
                continue
            chain = [first_id]
            for expected in wanted[1:]:
                reply_id = replies.get((chain[-1], expected))
                if reply_id is None:
                    break
                chain.append(reply_id)
            if len(chain) > len(longest):
                longest = chain
        return [str(tweet_id) for tweet_id in longest]

    def _recent_tweets(self) -> list[tweepy.Tweet]:
        user_id = self._account_id()
        with self._translated("membaca tweet terbaru akun"):
            response = self.client.get_users_tweets(
                user_id, max_results=TIMELINE_SIZE, tweet_fields=["referenced_tweets"], user_auth=True
            )
        return response.data or []

    def _account_id(self) -> str:
        if self._user_id is None:
            with self._translated("mencari akun X yang dipakai"):
                self._user_id = str(self.client.get_me(user_auth=True).data["id"])
        return self._user_id

    def _upload_images(self, item: Item) -> list[str]:
        names = sorted(
            name for name, content in item.files.items() if name.lower().endswith(".png") and isinstance(content, bytes)
        )
        if len(names) > MAX_IMAGES:
            log.warning("X thread %s: only the first %d of %d images fit on a tweet", item.key, MAX_IMAGES, len(names))
        return [self._upload_image(name, item.files[name]) for name in names[:MAX_IMAGES]]

    def _upload_image(self, name: str, png: bytes) -> str:
        with self._translated(f"mengunggah gambar {name}"):
            response = self.client.session.post(
                MEDIA_UPLOAD_URL,
                data={"media_category": "tweet_image"},
                files={"media": (name, png, "image/png")},
                headers={"User-Agent": self.client.user_agent},
                auth=self._user_auth(),
                timeout=UPLOAD_TIMEOUT,
            )
            with response:
                _raise_like_tweepy(response)
                return str(response.json()["data"]["id"])

    def _user_auth(self) -> requests.auth.AuthBase:
        """The OAuth 1.0a signer tweepy's ``Client.request`` builds for ``user_auth=True`` requests."""
        client = self.client
        handler = OAuth1UserHandler(
            client.consumer_key, client.consumer_secret, client.access_token, client.access_token_secret
        )
        return handler.apply_auth()

    @contextmanager
    def _translated(self, action: str) -> Iterator[None]:
        """Turn what tweepy and requests raise, or an answer without the expected fields, into a PublishError.

        An unreadable answer is retryable: publishing continues after what is
        already on the account, so trying again cannot post a tweet twice.
        """
        try:
            yield
        except tweepy.HTTPException as exc:
            raise self._refusal(exc, action) from exc
        except (requests.JSONDecodeError, KeyError, TypeError) as exc:
            raise PublishError(f"jawaban X tidak terbaca saat {action}; coba lagi nanti", retryable=True) from exc
        except requests.RequestException as exc:
            raise PublishError(
                f"tidak dapat menghubungi X saat {action} ({type(exc).__name__}); coba lagi nanti", retryable=True
            ) from exc

    def _refusal(self, exc: tweepy.HTTPException, action: str) -> PublishError:
        status = exc.response.status_code
        detail = "; ".join(exc.api_messages) or f"{status} {exc.response.reason}"
        if isinstance(exc, tweepy.TooManyRequests):
            return PublishError(
                f"X membatasi jumlah permintaan saat {action} (HTTP 429); coba lagi setelah batasnya pulih",
                retryable=True,
                retry_after=self._seconds_until_reset(exc.response),
            )
        if isinstance(exc, tweepy.TwitterServerError):
            return PublishError(
                f"server X sedang bermasalah saat {action} (HTTP {status}); coba lagi nanti", retryable=True
            )
        if isinstance(exc, tweepy.Unauthorized):
            return PublishError(
                f"X menolak kredensial akun saat {action} (HTTP 401): access token tidak berlaku, kedaluwarsa, "
                "atau sudah dicabut. Buat ulang Access Token dan Access Token Secret di X Developer Portal, "
                "lalu perbarui variabel lingkungan kredensial X yang dikonfigurasi dan terbitkan ulang"
            )
        if status == 402:
            return PublishError(
                f"kredit habis: X menolak {action} (HTTP 402, {detail}). Isi ulang kredit API X di console X "
                "Developer (Billing), lalu kirim ulang dari halaman Publikasi"
            )
        if isinstance(exc, tweepy.Forbidden) and "duplicate" in detail.lower():
            return PublishError(
                f"X menolak {action} (HTTP 403, {detail}): teksnya sama dengan tweet akun ini sebelumnya. Ubah teksnya "
                "(nomor tiket atau periode membuatnya berbeda), lalu kirim ulang"
            )
        if isinstance(exc, (tweepy.Forbidden, tweepy.BadRequest)):
            return PublishError(
                f"X menolak isi publikasi saat {action} (HTTP {status}): {detail}. "
                "Mengulang tidak akan membantu; periksa isi tweet dan izin tulis aplikasi X"
            )
        return PublishError(f"X menjawab HTTP {status} saat {action}: {detail}")

    def _seconds_until_reset(self, response: requests.Response) -> float | None:
        """Seconds until ``x-rate-limit-reset`` (epoch seconds), when X sent it."""
        try:
            reset = int(response.headers["x-rate-limit-reset"])
        except (KeyError, ValueError):
            return None
        return max(0.0, reset - self._clock())


def _answered(item: Item) -> str | None:
    """The tweet an answer to a citizen replies to (``REPLY_TO_FILE``); None for a recap."""
    answered = item.files.get(REPLY_TO_FILE)
    return answered.strip() if isinstance(answered, str) and answered.strip() else None


def _thread_texts(item: Item) -> list[str]:
    try:
        texts = json.loads(item.files[THREAD_FILE])
    except (KeyError, ValueError):
        texts = None
    if not isinstance(texts, list) or not texts or not all(isinstance(text, str) and text.strip() for text in texts):
        raise PublishError(f"{item.key} tidak berisi {THREAD_FILE} berupa daftar teks tweet; render ulang rekapnya")
    return texts


def _comparable(text: str) -> str:
    """``text`` reduced to what survives posting: X turns links into t.co links and may put @mentions before a reply."""
    text = unicodedata.normalize("NFC", text)
    for url in reversed(load_twitter_text().extract_urls_with_indices(text)):
        start, end = url["indices"]
        text = f"{text[:start]} {text[end:]}"
    return _LEADING_MENTIONS.sub("", " ".join(text.split()))


def _replied_to(tweet: tweepy.Tweet) -> int | None:
    for reference in tweet.referenced_tweets or []:
        if reference.type == "replied_to":
            return reference.id
    return None


def _raise_like_tweepy(response: requests.Response) -> None:
    """Raise what tweepy's ``Client.request`` raises for this status, so uploads are judged like every other call."""
    if response.status_code >= 500:
        raise tweepy.TwitterServerError(response)
    if response.status_code in _HTTP_ERRORS:
        raise _HTTP_ERRORS[response.status_code](response)
    if not 200 <= response.status_code < 300:
        raise tweepy.HTTPException(response)
