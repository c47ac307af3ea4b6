"""A fake Instagram private API (i.instagram.com) for tests, served with ``responses``.

The real instagrapi code runs against it: replies carry the raw JSON keys instagrapi's
extractors read, so a change in how instagrapi parses them shows up here. Every account
value is an obvious dummy. What the watched account receives (tags, comments, messages)
is built by ``tests.instagram_items``.
"""

from __future__ import annotations

import base64
import io
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import responses
from Cryptodome.PublicKey import RSA
from instagrapi import Client
from PIL import Image

from satukanal.platforms.instagram import instagram_client

API = "https://i.instagram.com/api/v1/"
RUPLOAD = "https://i.instagram.com/rupload_igphoto/"
UPLOAD = re.compile(re.escape(RUPLOAD) + ".+")  # one URL per image: rupload_igphoto/<upload name>
CAA_LOGIN = "https://b.i.instagram.com/graphql_www"
PUBLIC_GRAPHQL = "https://www.instagram.com/graphql/query/"
USER_ID = "4815162342"
USERNAME = "humas.uji"
PASSWORD = "dummy-password-not-real"
# login_by_sessionid wants the account id in front and more than 30 characters.
SESSIONID = f"{USER_ID}%3Adummy-browser-session%3A11"
NEW_SESSIONID = f"{USER_ID}%3Adummy-fresh-session%3A22"
TAKEN_AT = int(datetime(2026, 11, 23, 2, 0, tzinfo=UTC).timestamp())
PICTURE = "https://scontent.cdninstagram.com/v/dummy.jpg"


@contextmanager
def fake_instagram(monkeypatch) -> Iterator[FakeInstagram]:
    """The fake API for one test. instagrapi's fixed pauses (a second before each request, three
    before configuring an upload) are skipped so the suite stays fast."""
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeInstagram(mock)


def write_saved_session(path: Path) -> None:
    """What instagrapi needs to consider a client logged in: an authorization for the account id."""
    settings = {"authorization_data": {"ds_user_id": USER_ID, "sessionid": SESSIONID}, "cookies": {}}
    path.write_text(json.dumps(settings), encoding="utf-8")


def logged_in_client(session_file: Path, fake: FakeInstagram) -> Client:
    """The client the application builds from a saved session, with no pause between requests."""
    write_saved_session(session_file)
    fake.session_accepted()
    return instagram_client(session_file, USERNAME, delay_seconds=(0, 0))


def card_png(colour: str = "navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1350), colour).save(buffer, "PNG")
    return buffer.getvalue()


def user(username: str = USERNAME) -> dict:
    """A ``user`` object as accounts/current_user and users/{id}/info return it."""
    return {
        "pk": USER_ID,
        "pk_id": USER_ID,
        "username": username,
        "full_name": "Humas Uji",
        "is_private": False,
        "profile_pic_url": PICTURE,
        "is_verified": False,
        "is_business": True,
        "media_count": 3,
        "follower_count": 10,
        "following_count": 2,
    }


def post(pk: str, caption: str | None, album: bool = False) -> dict:
    """A feed item as feed/user/{id}/ and media/configure(_sidecar)/ return it."""
    image = {"candidates": [{"url": PICTURE, "width": 1080, "height": 1350}]}
    item = {
        "pk": pk,
        "id": f"{pk}_{USER_ID}",
        "code": f"DUMMY{pk[-4:]}",
        "taken_at": TAKEN_AT,
        "media_type": 8 if album else 1,
        "user": {"pk": USER_ID, "username": USERNAME},
        "caption": {"text": caption} if caption is not None else None,
        "like_count": 0,
        "comment_count": 0,
    }
    if album:
        item["carousel_media"] = [{"pk": f"{pk}{index}", "media_type": 1, "image_versions2": image} for index in (1, 2)]
    else:
        item["image_versions2"] = image
    return item


def challenge() -> dict:
    return {
        "message": "challenge_required",
        "challenge": {
            "url": f"https://i.instagram.com/challenge/{USER_ID}/DuMmY/",
            "api_path": f"/challenge/{USER_ID}/DuMmY/",
            "hide_webview_header": True,
            "lock": True,
            "logout": False,
            "native_flow": False,
        },
        "status": "fail",
        "error_type": "checkpoint_challenge_required",
    }


LOGIN_REQUIRED = {
    "message": "login_required",
    "error_title": "You've Been Logged Out",
    "error_body": "Please log back in.",
    "logout_reason": 8,
    "status": "fail",
}


class FakeInstagram:
    """Registers endpoints on a ``responses`` mock; a later registration replaces an earlier one.

    ``quiet``, ``paged`` and ``in_turn`` serve what ``monitor.instagram.InstagramSource`` reads."""

    def __init__(self, mock: responses.RequestsMock) -> None:
        self.mock = mock

    def reply(self, method: str, endpoint: str, payload: object = None, status: int = 200, **options) -> None:
        """Answer ``API + endpoint`` (query strings ignored) with JSON ``payload`` or ``options`` (body, headers)."""
        if payload is not None:
            options["json"] = payload
        self.mock.upsert(method, API + endpoint, status=status, **options)

    def session_accepted(self, username: str = USERNAME) -> None:
        self.reply("GET", "accounts/current_user/", {"user": user(username), "status": "ok"})

    def user_info(self, username: str = USERNAME) -> None:
        self.reply("GET", f"users/{USER_ID}/info/", {"user": user(username), "status": "ok"})

    def sessionid_refused(self) -> None:
        """Every way instagrapi's login_by_sessionid looks up the account, answered as for a dead session."""
        self.reply("GET", f"users/{USER_ID}/info/", LOGIN_REQUIRED, status=403)
        self.reply("POST", f"users/{USER_ID}/info_stream/", LOGIN_REQUIRED, status=403)
        logged_out = {"message": "Please wait a few minutes before you try again.", "require_login": True}
        self.mock.upsert("POST", PUBLIC_GRAPHQL, json=dict(logged_out, status="fail"), status=401)

    def recent_posts(self, *posts: dict) -> None:
        self.reply(
            "GET",
            f"feed/user/{USER_ID}/",
            {"items": list(posts), "num_results": len(posts), "more_available": False, "status": "ok"},
        )

    def post_accepted(self, media: dict) -> None:
        """Uploads, the configure call for a photo or an album, and the expose call that follows."""
        self.mock.upsert("POST", UPLOAD, json={"status": "ok"})
        endpoint = "media/configure_sidecar/" if media["media_type"] == 8 else "media/configure/"
        self.reply("POST", endpoint, {"media": media, "status": "ok"})
        self.reply("POST", "qe/expose/", {"status": "ok"})

    def password_login(self, reply: dict | None = None, status: int = 200) -> None:
        """The password login flow; ``reply`` replaces the accepting answer of accounts/login/."""
        self.reply("POST", "launcher/sync/", {"configs": {}, "status": "ok"})
        self.reply(
            "GET",
            "qe/sync/",
            {"status": "ok"},
            headers={
                "ig-set-password-encryption-key-id": "41",
                "ig-set-password-encryption-pub-key": base64.b64encode(_public_key()).decode(),
            },
        )
        authorization = {"ds_user_id": USER_ID, "sessionid": NEW_SESSIONID, "should_use_header_over_cookies": True}
        header = "Bearer IGT:2:" + base64.b64encode(json.dumps(authorization).encode()).decode()
        self.reply(
            "POST",
            "accounts/login/",
            reply or {"logged_in_user": user(), "status": "ok"},
            status=status,
            headers={"ig-set-authorization": header},
        )
        self.reply("POST", "feed/reels_tray/", {"tray": [], "status": "ok"})
        self.reply("POST", "feed/timeline/", {"feed_items": [], "num_results": 0, "status": "ok"})
        # After a refused password instagrapi tries the app's newer (CAA) login; it is refused as well.
        self.mock.upsert("POST", CAA_LOGIN, json={"errors": [{"message": "dummy: CAA login unavailable"}]})

    def calls(self, endpoint: str) -> list[responses.Call]:
        return [call for call in self.mock.calls if urlsplit(call.request.url).path == f"/api/v1/{endpoint}"]

    def challenge_calls(self) -> list[responses.Call]:
        """Requests that tried to answer a challenge: a job must leave that to staff in the app."""
        return [call for call in self.mock.calls if "/challenge/" in call.request.url]

    def forms(self, endpoint: str) -> list[dict]:
        """The signed form bodies sent to ``endpoint`` ("signed_body=SIGNATURE.<json>"), decoded."""
        bodies = [parse_qs(call.request.body)["signed_body"][0] for call in self.calls(endpoint)]
        return [json.loads(body.removeprefix("SIGNATURE.")) for body in bodies]

    def uploads(self) -> list[dict]:
        """The rupload parameters of every image sent, in order."""
        return [
            json.loads(call.request.headers["X-Instagram-Rupload-Params"])
            for call in self.mock.calls
            if call.request.url.startswith(RUPLOAD)
        ]

    def quiet(self, *endpoints: str) -> None:
        """Empty answers for everything ``InstagramSource`` reads, unless given otherwise later."""
        for endpoint in (TAGS, OUR_POSTS, *endpoints):
            self.reply("GET", endpoint, feed_page([]))
        self.reply("GET", INBOX, inbox_page())
        self.reply("GET", PENDING, inbox_page())

    def paged(self, endpoint: str, pages: dict[str | None, object], method: str = "GET", token: str = "max_id") -> None:
        """Answer ``endpoint`` by its page token (query parameter ``token``, None when absent). A page is a JSON
        payload, a (status, payload) pair or an exception to raise (a crash in the middle of paging)."""

        def answer(request):
            sent = parse_qs(urlsplit(request.url).query).get(token, [None])[0]
            return _answer(pages[sent])

        self.mock.upsert(responses.CallbackResponse(method, API + endpoint, callback=answer))

    def in_turn(self, method: str, endpoint: str, *answers: object) -> None:
        """Answer ``endpoint`` with ``answers`` one after the other, the last one from then on."""
        queue = list(answers)

        def answer(request):
            return _answer(queue.pop(0) if len(queue) > 1 else queue[0])

        self.mock.upsert(responses.CallbackResponse(method, API + endpoint, callback=answer))

    def sent(self, endpoint: str, name: str) -> list[str | None]:
        """The value of query parameter ``name`` in each request to ``endpoint``, None where it was left out."""
        return [parse_qs(urlsplit(call.request.url).query).get(name, [None])[0] for call in self.calls(endpoint)]


@cache
def _public_key() -> bytes:
    """Instagram's password encryption key (PEM), stood in for by a small throwaway one."""
    return RSA.generate(1024).publickey().export_key()


def feed_page(items: list[dict], next_max_id: str | None = None) -> dict:
    """A page of usertags/{id}/feed/ or feed/user/{id}/; ``next_max_id`` when older items follow."""
    page = {"items": items, "num_results": len(items), "more_available": next_max_id is not None, "status": "ok"}
    return page | ({"next_max_id": next_max_id} if next_max_id else {})


def inbox_page(*threads: dict, oldest_cursor: str | None = None) -> dict:
    """direct_v2/inbox/ and direct_v2/pending_inbox/: threads by latest activity, newest first."""
    inbox = {"threads": list(threads), "has_older": oldest_cursor is not None, "unseen_count": 0}
    return {"inbox": inbox | ({"oldest_cursor": oldest_cursor} if oldest_cursor else {}), "seq_id": 1, "status": "ok"}


def hashtag_endpoint(name: str) -> str:
    return f"tags/{name}/sections/"


def comments_endpoint(pk: str, owner: str = USER_ID) -> str:
    return f"media/{pk}_{owner}/comments/"


TAGS = f"usertags/{USER_ID}/feed/"
OUR_POSTS = f"feed/user/{USER_ID}/"
INBOX = "direct_v2/inbox/"
PENDING = "direct_v2/pending_inbox/"


def _answer(answer: object) -> object:
    """A callback's answer: an exception to raise, (status, JSON or raw text), or a JSON payload for HTTP 200."""
    if isinstance(answer, BaseException):
        return answer
    status, payload = answer if isinstance(answer, tuple) else (200, answer)
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return status, {"content-type": "application/json; charset=utf-8"}, body
