"""Publishing to the office's Instagram account through Meta's official Graph API (Instagram API with Facebook Login).

The channel is given a ``monitor.graph_api.GraphClient`` and the account's Graph id and reads nothing from the
environment. Meta downloads the images itself: ``card_url`` names the public address where the web app serves
each card. One card becomes a photo post, several a carousel, each first a *container* that is published once
Meta reports it ``FINISHED``. An item with a ``reply-target.json`` answers a citizen instead: in a comment's
thread, under a post or comment that mentions us, or by direct message. Remote ids are the Graph ids of what
was created; ``find_published`` looks for them so the ledger's retry loop never posts twice, and a lookup that
fails raises ``PublishError`` rather than answering "not there".
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from urllib.parse import urlsplit

from monitor import graph_api as graph
from monitor.graph_api import GraphClient, GraphError
from publisher import instagram_recap as recap
from publisher.channels import COMMENT, MEDIA, MENTIONED_COMMENT, MESSAGE, Item, PublishError, ReplyTarget
from publisher.instagram_recap import CAPTION_LIMIT, normalised

MESSAGE_LIMIT = 1000  # characters in one direct message
CARD_LIMIT = 10  # images in one carousel
RECENT_POSTS = 25  # the account's latest posts, searched for an interrupted publication
DEFAULT_QUOTA = 100
"""Posts per 24 hours when Meta's answer names no ``quota_total`` (Meta raised it from 25 to 100)."""
STATUS_CHECKS, STATUS_WAIT_SECONDS = 6, 10.0
"""Still images are usually ready at once; at most 50 s of waiting, well inside the ledger's lease."""
PUBLISH, COMMENTS, MESSAGES = "instagram_content_publish", "instagram_manage_comments", "instagram_manage_messages"
BASIC = "instagram_basic"
WHAT = {PUBLISH: "unggahan", COMMENTS: "balasan komentar", MESSAGES: "pesan langsung", BASIC: "permintaan"}
TOKEN_LIKE = re.compile(r"\b(?:EAA|IGQ|IGAA)[\w-]{16,}")  # Meta's access tokens, cut out of Meta's own text
LATER = "rekap dicoba lagi nanti, setelah unggahan tertua lewat 24 jam"
NEW_TOKEN = (
    "buat token baru di Meta for Developers untuk akun ini (token halaman berjangka panjang dengan izin "
    "instagram_content_publish, instagram_manage_comments dan instagram_manage_messages), lalu isi "
    "SATUKANAL_META_ACCESS_TOKEN dan jalankan ulang"
)
TRANSIENT = {
    graph.SERVER: "server Instagram (Meta) sedang bermasalah",
    graph.UNREACHABLE: "Instagram (Meta) tidak dapat dihubungi",
    graph.UNREADABLE: "jawaban Instagram (Meta) tidak dapat dibaca",
}
OUTSIDE_WINDOW = (
    "Instagram menolak pesan langsung: jendela 24 jam sejak pesan terakhir warga sudah lewat, jadi balasan ini "
    "tidak dikirim. Tolak drafnya; bila warga perlu dijawab, hubungi lewat saluran lain."
)


class InstagramGraphChannel:
    """Posts recaps and answers citizens on the account ``user_id`` (its Instagram professional account id).

    ``messaging_id`` owns the ``messages`` and ``conversations`` edges of direct messages, ``user_id`` unless given:
    Meta's Messenger Platform documents the Facebook Page linked to the account there (or ``me``, Page token).
    """

    name = "instagram"

    def __init__(
        self,
        client: GraphClient,
        user_id: str,
        card_url: Callable[[Item, str], str],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
        *,
        messaging_id: str | None = None,
    ) -> None:
        self.client = client
        self.user_id = user_id
        self.card_url = card_url
        self.clock = clock
        self.sleep = sleep
        self.messaging_id = messaging_id or user_id

    def find_published(self, item: Item) -> list[str] | None:
        """The id of the post or reply ``item`` already became, else None.

        A reply under a post or comment that *mentions* us cannot be checked: the ``mentions`` edge only
        creates comments, and Meta offers no way to list our replies on someone else's post. For those this
        answers None and the ledger's claim keeps the reply from going out twice; ``publish`` never retries
        them by itself after an answer that may have been lost.
        """
        target = ReplyTarget.of(item)
        if target is None:
            return self._find_post(item)
        if target.kind == COMMENT:
            return self._find_reply(target, target.reply_text(item))
        if target.kind == MESSAGE:
            return self._find_message(target, target.reply_text(item))
        return None

    def publish(self, item: Item) -> list[str]:
        target = ReplyTarget.of(item)
        return self._post_recap(item) if target is None else self._reply(item, target)

    def _post_recap(self, item: Item) -> list[str]:
        caption = _within(item, "keterangan", recap.caption(item), CAPTION_LIMIT)
        cards = recap.cards(item)
        if not cards:
            raise PublishError(f"{item.key} tidak memuat gambar card-1.png untuk Instagram")
        if len(cards) > CARD_LIMIT:
            raise PublishError(f"{item.key} memuat {len(cards)} kartu; carousel Instagram paling banyak {CARD_LIMIT}")
        urls = [self.card_url(item, name) for name in cards]
        media = f"{self.user_id}/media"
        with _graph(PUBLISH):
            self._check_quota()
            if len(urls) == 1:
                container = _id(self.client.post(media, image_url=urls[0], caption=caption))
            else:
                children = [_id(self.client.post(media, image_url=url, is_carousel_item="true")) for url in urls]
                container = _id(
                    self.client.post(media, media_type="CAROUSEL", children=",".join(children), caption=caption)
                )
            self._wait_until_ready(container, urls[0])
            return [_id(self.client.post(f"{self.user_id}/media_publish", creation_id=container))]

    def _check_quota(self) -> None:
        """Refuse before building containers when the 24-hour publishing quota is used up.

        Meta enforces it only at ``media_publish``; asking first spares the downloads and says plainly why the
        recap waits. An answer without usable figures is no reason to hold the recap back."""
        answer = self.client.get(f"{self.user_id}/content_publishing_limit", fields="quota_usage,config")
        rows = answer.get("data")
        usage = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}
        config = usage.get("config") if isinstance(usage.get("config"), dict) else {}
        used, total = usage.get("quota_usage"), config.get("quota_total", DEFAULT_QUOTA)
        if isinstance(used, int) and isinstance(total, int) and used >= total:
            raise PublishError(f"batas unggahan Instagram 24 jam sudah habis ({used} dari {total}); {LATER}", True)

    def _wait_until_ready(self, container: str, first_card: str) -> None:
        for check in range(STATUS_CHECKS):
            if check:
                self.sleep(STATUS_WAIT_SECONDS)
            answer = self.client.get(container, fields="status_code,status")
            status = answer.get("status_code")
            if status == "FINISHED":
                return
            if status in ("ERROR", "EXPIRED"):
                detail = " ".join(str(answer.get("status") or "").split())[:200]
                raise PublishError(
                    f"Instagram gagal memproses unggahan (status {status}{': ' + detail if detail else ''}); "
                    f"periksa apakah gambar kartu di {urlsplit(first_card).netloc} dapat diunduh dari internet"
                )
        waited = STATUS_WAIT_SECONDS * (STATUS_CHECKS - 1)
        raise PublishError(f"Instagram belum selesai memproses unggahan setelah {waited:.0f} detik", retryable=True)

    def _reply(self, item: Item, target: ReplyTarget) -> list[str]:
        closed = target.window_closed(self.clock())  # only ever for a direct message
        if closed:
            raise PublishError(closed)
        text = target.reply_text(item)  # held to Instagram's comment limit there; a message's is lower
        if target.kind == MESSAGE:
            return self._send_message(item, target, _within(item, "balasan", text, MESSAGE_LIMIT))
        if target.kind == COMMENT:
            with _graph(COMMENTS):
                return [_id(self.client.post(f"{target.id}/replies", message=text))]
        if target.kind in (MENTIONED_COMMENT, MEDIA):
            media_id = target.media_id if target.kind == MENTIONED_COMMENT else target.id
            if not media_id:
                raise PublishError(f"{item.key}: sasaran balasan tidak menyebut unggahan (media_id)")
            comment = {"comment_id": target.id} if target.kind == MENTIONED_COMMENT else {}
            with _graph(COMMENTS, checkable=False):
                return [_id(self.client.post(f"{self.user_id}/mentions", media_id=media_id, **comment, message=text))]
        raise PublishError(f"{item.key}: jenis balasan Instagram '{target.kind}' tidak dikenal")

    def _send_message(self, item: Item, target: ReplyTarget, text: str) -> list[str]:
        if not target.recipient:
            raise PublishError(f"{item.key}: sasaran pesan langsung tidak menyebut penerimanya")
        with _graph(MESSAGES):
            # Form fields holding JSON, as in Meta's Send API examples (GraphClient posts forms).
            recipient, message = json.dumps({"id": target.recipient}), json.dumps({"text": text}, ensure_ascii=False)
            answer = self.client.post(f"{self.messaging_id}/messages", recipient=recipient, message=message)
            return [_id(answer, "message_id")]

    def _find_post(self, item: Item) -> list[str] | None:
        wanted = normalised(recap.caption(item))
        with _graph(BASIC):
            page = self.client.edge(f"{self.user_id}/media", limit=RECENT_POSTS, fields="id,caption")
        return _matching(page.data, "caption", wanted)

    def _find_reply(self, target: ReplyTarget, text: str) -> list[str] | None:
        wanted = normalised(text)
        with _graph(COMMENTS):
            pages = self.client.pages(f"{target.id}/replies", fields="id,text")
            return next((found for page in pages if (found := _matching(page.data, "text", wanted))), None)

    def _find_message(self, target: ReplyTarget, text: str) -> list[str] | None:
        """Our message with this text in the conversation with the recipient.

        Ours is any message whose sender is not the citizen: a conversation has the two of them, and Meta names
        our side by an id that need not be ``user_id``. Only the latest (about twenty) messages come nested,
        which is where a reply sent moments ago is."""
        if not target.recipient:
            return None
        with _graph(MESSAGES):
            query = {"platform": "instagram", "user_id": target.recipient, "fields": "messages{message,from}"}
            answer = self.client.get(f"{self.messaging_id}/conversations", **query)
        conversations = answer.get("data")
        if not isinstance(conversations, list):
            raise PublishError("daftar percakapan Instagram tidak dapat dibaca (tanpa 'data')", retryable=True)
        messages = [message for conversation in conversations for message in _rows(conversation, "messages")]
        ours = [message for message in messages if _sender(message) not in ("", target.recipient)]
        return _matching(ours, "message", normalised(text))


@contextmanager
def _graph(permission: str, checkable: bool = True) -> Iterator[None]:
    """Turns a ``GraphError`` raised inside into the ``PublishError`` the retry loop understands."""
    try:
        yield
    except GraphError as exc:
        raise _publish_error(exc, permission, checkable) from None


def _publish_error(exc: GraphError, permission: str, checkable: bool) -> PublishError:
    """What a failed Graph call means for the retry loop, worded so staff know what to do.

    ``checkable`` is False where ``find_published`` cannot look for the result: a request that may have gone
    through (network, server, unreadable answer) is then left to a person instead of being sent again.
    """
    detail = TOKEN_LIKE.sub("[token]", str(exc))
    if exc.subcode == graph.PUBLISHING_LIMIT_SUBCODE:
        return PublishError(f"batas unggahan Instagram 24 jam sudah habis menurut Meta; {LATER}", True)
    if exc.outside_window:
        return PublishError(OUTSIDE_WINDOW)
    if exc.kind == graph.TOKEN:
        return PublishError(f"token akses Instagram (Meta) kedaluwarsa atau dicabut ({detail}): {NEW_TOKEN}")
    if exc.kind == graph.PERMISSION:
        return PublishError(f"token akses Instagram (Meta) belum memiliki izin {permission} ({detail}): {NEW_TOKEN}")
    if exc.kind == graph.RATE_LIMITED:
        return PublishError("Instagram (Meta) meminta jeda sebelum mencoba lagi", True, exc.retry_after)
    if exc.kind in TRANSIENT and not checkable:
        return PublishError(
            f"tidak diketahui apakah {WHAT[permission]} sudah terkirim ({detail}); periksa dulu di Instagram "
            "sebelum mengirim ulang, karena balasan ini tidak dapat dicari otomatis"
        )
    if exc.kind in TRANSIENT:
        return PublishError(f"{TRANSIENT[exc.kind]} ({detail})", retryable=True)
    return PublishError(f"Instagram menolak {WHAT[permission]}: {detail[:300]}")


def _id(answer: dict, key: str = "id") -> str:
    """The id Meta answered with; an answer without one is unreadable (the request may still have gone through)."""
    value = answer.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value):
        raise GraphError(graph.UNREADABLE, f"jawaban Graph API tanpa '{key}'")
    return str(value)


def _matching(rows: list, field: str, wanted: str) -> list[str] | None:
    """The id of the first row whose ``field`` is ``wanted`` (whitespace normalised); an empty text matches none."""
    if not wanted:
        return None
    for row in rows:
        if isinstance(row, dict) and row.get("id") and normalised(str(row.get(field) or "")) == wanted:
            return [str(row["id"])]
    return None


def _rows(parent: object, edge: str) -> list[dict]:
    """The objects of a nested edge (``{"messages": {"data": [...]}}``); anything else Meta sent counts as none."""
    value = parent.get(edge) if isinstance(parent, dict) else None
    rows = value.get("data") if isinstance(value, dict) else None
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _sender(message: dict) -> str:
    sender = message.get("from")
    return str(sender.get("id") or "") if isinstance(sender, dict) else ""


def _within(item: Item, what: str, text: str, limit: int) -> str:
    """``text`` when Instagram takes its length; an empty text is refused too, since it could never be found again."""
    if not 0 < len(text) <= limit:
        raise PublishError(f"{what} Instagram {item.key} panjangnya {len(text)} karakter (harus 1 sampai {limit})")
    return text
