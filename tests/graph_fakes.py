"""A fake Meta Graph API (graph.facebook.com) for tests, served with ``responses`` behind a real ``requests.Session``.

Only the HTTP layer is fake: ``monitor.graph_api.GraphClient`` runs as in production. The fake speaks the JSON of
Meta's documentation (ids as strings, edges as ``{"data": [...], "paging": {"cursors": ...}}``, failures as
``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``), keeps what was created (containers,
posts, comment replies, mention replies, direct messages) so that looking for it again works, and records every
request it received. Every account value is an obvious dummy.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import requests
import responses

from monitor.graph_api import API_VERSION, GRAPH_URL, OUTSIDE_WINDOW_SUBCODE, PUBLISHING_LIMIT_SUBCODE

ROOT = f"{GRAPH_URL}/{API_VERSION}/"
TOKEN = "EAAGuji0dummy0token0not0real0for0tests"
"""Shaped like a Meta token (``EAA…``) so that a test can tell whether it leaked into a message."""
USER_ID = "17841400000000001"
"""The office's Instagram professional account."""
PAGE_ID = "104000000000001"
"""The Facebook Page linked to it."""
USERNAME = "humas.uji"
CITIZEN = "6100000000000001"
"""A citizen's Instagram-scoped id (IGSID), as messaging names people."""
TIMESTAMP = "2026-11-23T02:00:00+0000"


def error(code: int, message: str, subcode: int | None = None, **extra) -> dict:
    """An error body as Meta sends it."""
    body = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AdummyTraceId0"}
    return {"error": body | ({"error_subcode": subcode} if subcode else {}) | extra}


SERVER_ERROR = (500, error(2, "An unexpected error has occurred. Please retry your request later.", is_transient=True))
TOKEN_EXPIRED = (
    400,
    error(190, "Error validating access token: Session has expired on Monday, 23-Nov-26 01:00:00 PST.", 463),
)
OUTSIDE_WINDOW = (400, error(10, "(#10) This message is sent outside of allowed window.", OUTSIDE_WINDOW_SUBCODE))
PUBLISHING_LIMIT = (400, error(9, "Application request limit reached", PUBLISHING_LIMIT_SUBCODE))


def rate_limited(minutes: int) -> tuple[int, dict, dict]:
    """Code 4 with the business-use-case header that says how many minutes until calls are accepted again."""
    usage = {USER_ID: [{"type": "instagram", "call_count": 100, "total_cputime": 12, "total_time": 15}]}
    usage[USER_ID][0]["estimated_time_to_regain_access"] = minutes
    header = {"X-Business-Use-Case-Usage": json.dumps(usage)}
    return 400, error(4, "(#4) Application request limit reached", 2207051), header


@dataclass
class Received:
    """One request the fake got: the path after the version, its query and form fields, its headers."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    url: str


@dataclass
class FakeGraph:
    mock: responses.RequestsMock
    quota_usage: int = 0
    quota_total: int | None = 100
    """None: the answer has no ``config`` (older accounts' answers)."""
    statuses: list[str] = field(default_factory=list)
    """What the next container's status checks answer, in turn, before FINISHED; ERROR and EXPIRED stay."""
    containers: dict[str, dict] = field(default_factory=dict)
    posts: list[dict] = field(default_factory=list)
    """The account's posts, newest first, as ``/{user}/media`` lists them."""
    replies: dict[str, list[dict]] = field(default_factory=dict)
    """Replies by comment id; only comments listed here exist."""
    mention_replies: list[dict] = field(default_factory=list)
    conversations: dict[str, list[dict]] = field(default_factory=dict)
    """Messages by the citizen's IGSID, newest first."""
    window_closed: set[str] = field(default_factory=set)
    """Citizens whom Meta refuses to message (outside the 24-hour window)."""
    received: list[Received] = field(default_factory=list)
    failures: dict[tuple[str, str], tuple] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        for method in ("GET", "POST"):
            self.mock.add_callback(method, re.compile(re.escape(ROOT) + ".*"), callback=self._answer)

    def fail_once(self, method: str, path: str, status: int, body: object, headers: dict | None = None) -> None:
        """The next ``method path`` answers ``status`` with the JSON ``body`` instead of doing anything."""
        self.failures[method, path] = ("fail", status, body, headers or {})

    def lose_answer_once(self, method: str, path: str) -> None:
        """The next ``method path`` does its work, then the connection drops before the answer arrives."""
        self.failures[method, path] = ("lose",)

    def comment(self, comment_id: str, *replies: dict) -> None:
        self.replies[comment_id] = list(replies)

    def citizen_wrote(self, text: str, citizen: str = CITIZEN) -> None:
        message = {"id": self._id("aWdfZAG1"), "message": text, "from": {"username": "warga.jenu", "id": citizen}}
        self.conversations.setdefault(citizen, []).insert(0, message)

    def calls(self, method: str, path: str) -> list[Received]:
        return [call for call in self.received if (call.method, call.path) == (method, path)]

    def _id(self, prefix: str = "1790000000") -> str:
        return f"{prefix}{next(self.ids):07d}"

    def _answer(self, request: requests.PreparedRequest):
        url = urlsplit(request.url)
        body = request.body.decode() if isinstance(request.body, bytes) else request.body or ""
        call = Received(
            request.method,
            url.path.removeprefix(f"/{API_VERSION}/"),
            {key: values[0] for key, values in parse_qs(url.query, keep_blank_values=True).items()},
            {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()},
            dict(request.headers),
            request.url,
        )
        self.received.append(call)
        if call.headers.get("Authorization") != f"Bearer {TOKEN}":
            return _json(400, error(190, "Invalid OAuth access token - Cannot parse access token"))
        failure = self.failures.pop((call.method, call.path), None)
        if failure and failure[0] == "fail":
            return _json(*failure[1:])
        status, answer = self._route(call)
        if failure:
            return 0, {}, requests.ConnectionError("connection reset before the answer arrived")
        return _json(status, answer)

    def _route(self, call: Received) -> tuple[int, dict]:
        edge = call.path.split("/")
        if (call.method, call.path) == ("GET", f"{USER_ID}/content_publishing_limit"):
            config = {"config": {"quota_total": self.quota_total, "quota_duration": 86400}} if self.quota_total else {}
            return 200, {"data": [{"quota_usage": self.quota_usage} | config]}
        if (call.method, call.path) == ("POST", f"{USER_ID}/media"):
            return self._create_container(call.form)
        if (call.method, call.path) == ("POST", f"{USER_ID}/media_publish"):
            return self._publish(call.form.get("creation_id", ""))
        if (call.method, call.path) == ("GET", f"{USER_ID}/media"):
            fields = call.query.get("fields", "id").split(",")
            posts = [{key: post[key] for key in fields if key in post} for post in self.posts]
            limit = int(call.query.get("limit", 25))
            return 200, _page(posts[:limit], more=len(posts) > limit)
        if (call.method, call.path) == ("POST", f"{USER_ID}/mentions") and {"media_id", "message"} <= call.form.keys():
            self.mention_replies.append({"id": self._id("1792000000")} | call.form)
            return 200, {"id": self.mention_replies[-1]["id"]}
        if edge[0] in (USER_ID, PAGE_ID) and edge[1:] == ["messages"] and call.method == "POST":
            return self._message(json.loads(call.form["recipient"])["id"], json.loads(call.form["message"])["text"])
        if (
            edge[0] in (USER_ID, PAGE_ID)
            and edge[1:] == ["conversations"]
            and call.query.get("platform") == "instagram"
        ):
            citizen = call.query.get("user_id", "")
            rows = self.conversations.get(citizen)
            return 200, _page([{"id": f"aWdfdGhyZWFk{citizen}", "messages": _page(rows)}] if rows else [])
        if edge[0] in self.replies and edge[1:] == ["replies"]:
            if call.method == "GET":
                return 200, _page(self.replies[edge[0]])
            reply = {"id": self._id("1791000000"), "text": call.form["message"], "username": USERNAME}
            self.replies[edge[0]].append(reply | {"timestamp": TIMESTAMP})
            return 200, {"id": reply["id"]}
        if call.method == "GET" and call.path in self.containers and "status_code" in call.query.get("fields", ""):
            pending = self.containers[call.path]["pending"]
            status = pending[0] if pending else "FINISHED"
            if status in ("ERROR", "EXPIRED"):  # Meta says why in ``status`` (an error subcode) for ERROR
                why = {"status": "Error: Media upload has failed with error code 2207052"} if status == "ERROR" else {}
                return 200, {"status_code": status, "id": call.path} | why
            del pending[:1]
            return 200, {"status_code": status, "id": call.path}
        what = f"Unsupported {call.method.lower()} request. Object with ID '{edge[0]}' does not exist"
        return 400, error(100, what, 33)

    def _create_container(self, form: dict[str, str]) -> tuple[int, dict]:
        if form.get("media_type") == "CAROUSEL":
            children = form.get("children", "").split(",")
            if not 2 <= len(children) <= 10 or any(not self.containers.get(c, {}).get("item") for c in children):
                return 400, error(100, "The parameter children is invalid", 2207028)
            images = [self.containers[child]["image_url"] for child in children]
            container = {"children": images, "caption": form.get("caption", ""), "pending": list(self.statuses)}
        elif form.get("image_url", "").startswith("https://"):
            item = form.get("is_carousel_item") == "true"
            container = {"image_url": form["image_url"], "item": item, "pending": [] if item else list(self.statuses)}
            container |= {} if item else {"children": [form["image_url"]], "caption": form.get("caption", "")}
        else:
            return 400, error(9004, "The media could not be fetched from this uri", 2207052)
        container_id = self._id("1789000000")
        self.containers[container_id] = container
        return 200, {"id": container_id}

    def _publish(self, creation_id: str) -> tuple[int, dict]:
        container = self.containers.get(creation_id)
        if container is None or container.get("item") or container.get("published"):
            return 400, error(100, "Invalid parameter", 2207006)
        if container["pending"]:
            return 400, error(9007, "Media ID is not available", 2207027)
        if self.quota_usage >= (self.quota_total or 100):
            return PUBLISHING_LIMIT
        self.quota_usage += 1
        container["published"] = True
        post = {"id": self._id("1791800000"), "caption": container["caption"], "timestamp": TIMESTAMP}
        self.posts.insert(0, post | {"images": container["children"]})
        return 200, {"id": post["id"]}

    def _message(self, recipient: str, text: str) -> tuple[int, dict]:
        if recipient in self.window_closed:
            return OUTSIDE_WINDOW
        message = {"id": self._id("aWdfZAG1"), "message": text, "from": {"username": USERNAME, "id": USER_ID}}
        self.conversations.setdefault(recipient, []).insert(0, message)
        return 200, {"recipient_id": recipient, "message_id": message["id"]}


@contextmanager
def fake_graph() -> Iterator[FakeGraph]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeGraph(mock)


def _page(rows: list[dict], more: bool = False) -> dict:
    """An edge's page with Meta's cursors; ``next`` only when there is more."""
    paging = {"cursors": {"before": "QVFIUmJlZAm9yZA", "after": "QVFIUmFmdGVy"}}
    return {"data": rows, "paging": paging | ({"next": f"{ROOT}next-page"} if more else {})}


def _json(status: int, body: object, headers: dict | None = None) -> tuple[int, dict, str]:
    return status, {"Content-Type": "application/json"} | (headers or {}), json.dumps(body)
