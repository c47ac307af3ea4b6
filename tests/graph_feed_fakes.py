"""A fake Meta Graph API (graph.facebook.com/v21.0) for the Instagram collector, served with ``responses``.

Answers have the shapes of Meta's reference pages: an edge is ``{"data": [...], "paging": {"cursors": {"before",
"after"}, "next": URL}}`` with ``next`` left out on the last page (and ``paging`` on an empty one), ids are
strings, times look like ``2026-11-23T08:15:00+0000``, and a failure is ``{"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}``. As Meta does, ``next`` carries the access token in its query string: a client
that followed it would put the token in a URL, which ``FakeGraph.requests`` would show. Every account value is an
obvious dummy.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

import responses

from monitor import PostRecord, SourceError
from monitor.sources import Source

BASE = "https://graph.facebook.com/v21.0/"
TOKEN = "EAAuji0dummy0token0bukan0asli0ZZZ"
USER_ID = "17841400000000001"
USERNAME = "humas.uji"
CITIZEN, CITIZEN_ID = "warga.jenu", "6100000000000001"
CDN = "https://scontent.cdninstagram.com/v/t51.2885-15/"


def stamp(day: int, hour: int, minute: int = 0) -> str:
    """A time in November 2026, written as the Graph API writes it."""
    return f"2026-11-{day:02d}T{hour:02d}:{minute:02d}:00+0000"


def tagged(media_id: str, caption: str | None, when: str, *, username: str = CITIZEN, video: bool = False) -> dict:
    """A media object of ``GET /{ig-user-id}/tags``: someone else's post that tags us."""
    item = {
        "id": media_id,
        "username": username,
        "timestamp": when,
        "permalink": f"https://www.instagram.com/p/T{media_id[-6:]}/",
    }
    item |= {"caption": caption} if caption is not None else {}
    if video:
        item |= {"media_type": "VIDEO", "media_url": f"{CDN}{media_id}.mp4", "thumbnail_url": f"{CDN}{media_id}.jpg"}
    else:
        item |= {"media_type": "IMAGE", "media_url": f"{CDN}{media_id}.jpg"}
    return item


def own_post(media_id: str, caption: str, when: str, comments_count: int) -> dict:
    """A media object of ``GET /{ig-user-id}/media``: one of our posts."""
    return {
        "id": media_id,
        "caption": caption,
        "timestamp": when,
        "permalink": f"https://www.instagram.com/p/K{media_id[-6:]}/",
        "media_type": "IMAGE",
        "media_url": f"{CDN}{media_id}.jpg",
        "comments_count": comments_count,
    }


def comment(
    comment_id: str, text: str, when: str, *, username: str = CITIZEN, user_id: str = CITIZEN_ID, **fields
) -> dict:
    """An IG Comment as the comments edge lists it (``parent_id=...`` for a reply)."""
    return {
        "id": comment_id,
        "text": text,
        "timestamp": when,
        "username": username,
        "from": {"id": user_id, "username": username},
    } | fields


def graph_error(code: int, message: str, subcode: int | None = None, kind: str = "OAuthException") -> dict:
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfDummyTrace"}
    return {"error": error | ({"error_subcode": subcode} if subcode is not None else {})}


EXPIRED_TOKEN = graph_error(190, "Error validating access token: Session has expired on Tuesday, 01-Dec-26.", 463)
NOT_FOUND = graph_error(100, "Unsupported get request. Object does not exist.", 33, "GraphMethodException")


@dataclass(frozen=True)
class Seen:
    """One request the fake answered."""

    url: str
    path: str
    query: dict[str, str]
    authorization: str | None


@dataclass
class Failure:
    status: int
    payload: object
    headers: dict[str, str]
    times: int
    after: str | None


class FakeGraph:
    """Answers every GET under ``BASE`` from what the test put in it: objects (``node``) and edges (``edge``,
    served ``page_size`` objects at a time whatever ``limit`` asks, as Meta may), with ``fail`` answering a
    path with an error instead, a number of times."""

    def __init__(self, mock: responses.RequestsMock) -> None:
        self.nodes: dict[str, dict] = {}
        self.edges: dict[str, tuple[list[dict], int]] = {}
        self.failures: dict[str, list[Failure]] = {}
        self.requests: list[Seen] = []
        mock.add_callback(responses.GET, re.compile(re.escape(BASE) + ".*"), callback=self._answer)

    def node(self, path: str, fields: dict) -> None:
        self.nodes[path] = fields

    def edge(self, path: str, items: Iterable[dict], page_size: int = 2) -> None:
        self.edges[path] = (list(items), page_size)

    def threaded(self, top: dict, replies: list[dict], shown: int) -> dict:
        """``top`` with its replies: the first ``shown`` under ``replies`` (and a ``next`` when more follow), all
        of them on the edge ``{comment-id}/replies``."""
        self.edge(f"{top['id']}/replies", replies, page_size=shown)
        return top | {"replies": self._page(f"{top['id']}/replies", replies, 0, shown, {})}

    def fail(
        self, path: str, status: int, payload: object, *, times: int = 1, after: str | None = None, **headers: str
    ) -> None:
        """Answer ``path`` (only when asked with cursor ``after``, if given) with an error, ``times`` times."""
        failure = Failure(
            status, payload, {name.replace("_", "-"): value for name, value in headers.items()}, times, after
        )
        self.failures.setdefault(path, []).append(failure)

    def calls(self, path: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.path == path]

    def _answer(self, request) -> tuple[int, dict, str]:
        parts = urlsplit(request.url)
        path, query = parts.path.removeprefix(urlsplit(BASE).path), dict(parse_qsl(parts.query))
        self.requests.append(Seen(request.url, path, query, request.headers.get("Authorization")))
        for failure in self.failures.get(path, []):
            if failure.times > 0 and failure.after in (None, query.get("after")):
                failure.times -= 1
                return failure.status, failure.headers, json.dumps(failure.payload)
        if path in self.nodes:
            return 200, {}, json.dumps(self.nodes[path])
        if path not in self.edges:
            return 400, {}, json.dumps(NOT_FOUND)
        items, page_size = self.edges[path]
        start = _position(query["after"]) + 1 if "after" in query else 0
        size = min(page_size, int(query.get("limit", 25)))
        token = (request.headers.get("Authorization") or "").removeprefix("Bearer ")
        return 200, {}, json.dumps(self._page(path, items, start, size, query | {"access_token": token}))

    def _page(self, path: str, items: list[dict], start: int, size: int, query: dict[str, str]) -> dict:
        data = items[start : start + size]
        if not data:
            return {"data": []}
        paging: dict = {"cursors": {"before": cursor(start), "after": cursor(start + len(data) - 1)}}
        if start + len(data) < len(items):
            paging["next"] = f"{BASE}{path}?" + urlencode(query | {"after": cursor(start + len(data) - 1)})
        return {"data": data, "paging": paging}


TAGS, MEDIA = f"{USER_ID}/tags", f"{USER_ID}/media"
POST_A, POST_B = "17990000000000002", "17990000000000001"
"""Our two latest posts: A with three comments (one of them answered three times), B with none yet."""
COMMENTS_A, COMMENTS_B = f"{POST_A}/comments", f"{POST_B}/comments"
ASKED = "17900000000000002"
"""The comment on post A with replies, two under it and the third on its own replies edge."""


def tag_list() -> list[dict]:
    """Five media that tag us, newest first, two a page: the fourth a video, the second without a caption."""
    captions = {5: "@humas.uji jalan di Jl. Basuki Rahmat berlubang", 3: "Lampu PJU Desa Sugihwaras mati", 1: "Sampah"}
    captions |= {4: "Banjir di Kecamatan Jenu"}
    return [
        tagged(f"1800000000000000{number}", captions.get(number), stamp(20, number), video=number == 4)
        for number in range(5, 0, -1)
    ]


def our_posts(comments_on_a: int = 6, comments_on_b: int = 0) -> list[dict]:
    return [
        own_post(POST_A, "Info pemadaman air PDAM", stamp(21, 1), comments_on_a),
        own_post(POST_B, "Jadwal Car Free Day", stamp(19, 1), comments_on_b),
    ]


def watched_account(graph: FakeGraph) -> FakeGraph:
    """``graph`` holding what the account has on a first run: the tags, our two posts, post A's comments."""
    graph.node(USER_ID, {"id": USER_ID, "username": USERNAME, "media_count": 42})
    graph.edge(TAGS, tag_list())
    graph.edge(MEDIA, our_posts(), page_size=12)
    replies = [  # the first without parent_id: it answers the comment it is listed under
        comment("17900000000000011", "Sampai jam 15.00", stamp(21, 5), username=USERNAME, user_id=USER_ID),
        comment("17900000000000012", "Terima kasih min", stamp(21, 6), parent_id=ASKED),
        comment("17900000000000013", "Oke", stamp(21, 7), parent_id=ASKED),
    ]
    asked = graph.threaded(comment(ASKED, "Sampai jam berapa?", stamp(21, 3)), replies, shown=2)
    graph.edge(
        COMMENTS_A,
        [comment("17900000000000003", "Air mati lagi min", stamp(21, 4)), asked]
        + [comment("17900000000000001", "Info min", stamp(21, 2))],
    )
    graph.edge(COMMENTS_B, [])
    return graph


def cursor(index: int) -> str:
    """Meta's cursors are opaque base64 text; these name the position of an object on its edge."""
    return base64.b64encode(f"dummy-cursor:{index}".encode()).decode()


def _position(value: str) -> int:
    return int(base64.b64decode(value).decode().removeprefix("dummy-cursor:"))


@dataclass
class Run:
    """What one run brought, and the failure that ended it early."""

    records: list[PostRecord]
    errors: list[str]
    failure: SourceError | None = None

    def ids(self, kind: str) -> list[str]:
        return [record.platform_id for record in self.records if record.kind == kind]


def drain(source: Source, cursors: dict[str, str]) -> Run:
    """A run as ``satukanal.intake.service.collect`` makes it: each page's records and cursor kept before the
    next page is asked for, ``cursors`` updated in place."""
    result = Run([], [])
    try:
        for page in source.pages(cursors):
            result.records += page.records
            result.errors += page.errors
            cursors[page.cursor_key] = page.cursor_value
    except SourceError as exc:
        result.failure = exc
    return result
