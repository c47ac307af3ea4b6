"""A fake X account behind the real tweepy code path, answering in the wire format of recorded X traffic.

``FakeX`` registers callbacks on a ``responses.RequestsMock``: tweets posted
through ``POST /2/tweets`` appear in ``GET /2/users/:id/tweets`` the way X
shows them back, so tests can interrupt a thread and publish again. Response
bodies and headers take their shape from the recordings in
``../shared/fixtures/x-api``.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs, urlsplit

import tweepy
from requests import PreparedRequest

from tests.conftest import shared_file

API = "https://api.twitter.com"
TWEETS_URL = f"{API}/2/tweets"
ME_URL = f"{API}/2/users/me"
MEDIA_UPLOAD_URL = "https://api.x.com/2/media/upload"

# Distinctive values, so a test can tell whether one of them leaked into a request or a message.
CREDENTIALS = {
    "consumer_key": "ck-satukanal-consumer",
    "consumer_secret": "cs-satukanal-consumer-secret",
    "access_token": "at-satukanal-token",
    "access_token_secret": "ats-satukanal-token-secret",
}

_LINK = re.compile(r"https?://\S+")


def make_client() -> tweepy.Client:
    return tweepy.Client(**CREDENTIALS)


def recorded(name: str) -> dict:
    """The first interaction of a recording; the test is skipped when the shared recordings are absent."""
    path = shared_file(f"fixtures/x-api/{name}.decoded.json")
    return json.loads(path.read_text(encoding="utf-8"))[0]


def recorded_headers(interaction: dict, **changes: str) -> dict[str, str]:
    headers = {name: values[0] for name, values in interaction["rate_limit_headers"].items()}
    headers.update({name.replace("_", "-"): value for name, value in changes.items()})
    return headers


def problem(status: int, title: str, detail: str) -> tuple[int, dict[str, str], str]:
    """An X v2 error answer: an RFC 7807 problem document."""
    body = {"title": title, "detail": detail, "type": "about:blank", "status": status}
    return status, {"content-type": "application/problem+json"}, json.dumps(body)


def invalid_request(message: str) -> tuple[int, dict[str, str], str]:
    """X's 400 answer for a request it refuses, with its reason in ``errors``."""
    body = {
        "errors": [{"parameters": {"text": ["..."]}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    return 400, {"content-type": "application/json; charset=utf-8"}, json.dumps(body)


def multipart_fields(request: PreparedRequest) -> dict[str, bytes]:
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.body)
    return {
        part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
        for part in message.iter_parts()
    }


class FakeX:
    """One X account: its tweets (oldest first, as X stores them) and the media uploaded to it."""

    def __init__(self, mock) -> None:
        self.mock = mock
        self._created = recorded("test_client_create_and_delete_tweet")
        self._timeline = recorded("test_client_get_users_mentions")
        self._me = recorded("test_client_get_me")
        self.account_id = self._me["response_json"]["data"]["id"]
        self.tweets: list[dict] = []
        self.media: dict[str, bytes] = {}
        self._last_tweet_id = int(self._created["response_json"]["data"]["id"])
        self._last_media_id = int(recorded("testmediauploadpng")["response_json"]["media_id_string"])
        self._links = itertools.count(1)
        self._failures: dict[str, list[tuple[int, object]]] = defaultdict(list)
        mock.add_callback("GET", ME_URL, self._answer("me", self._get_me))
        mock.add_callback(
            "GET", re.compile(rf"{re.escape(API)}/2/users/\d+/tweets"), self._answer("timeline", self._get_tweets)
        )
        mock.add_callback("POST", TWEETS_URL, self._answer("tweets", self._create_tweet))
        mock.add_callback("POST", MEDIA_UPLOAD_URL, self._answer("upload", self._upload))

    def fail_next(self, endpoint: str, outcome: tuple[int, dict[str, str], str] | Exception, after: int = 0) -> None:
        """Answer ``endpoint`` (me, timeline, tweets, upload) with ``outcome`` once ``after`` requests went well."""
        self._failures[endpoint].append((after, outcome))

    def add_tweet(
        self, text: str, reply_to: str | None = None, media_ids: Sequence[str] = (), shown: str | None = None
    ) -> str:
        """Store a tweet; X shows its text back with &, <, > escaped, links and attached photos as t.co links."""
        self._last_tweet_id += 1
        tweet_id = str(self._last_tweet_id)
        if shown is None:
            shown = _LINK.sub(lambda _: self._short_link(), html.escape(text, quote=False))
            shown += "".join(f" {self._short_link()}" for _ in media_ids[:1])
        self.tweets.append({"id": tweet_id, "text": text, "shown": shown, "reply_to": reply_to})
        return tweet_id

    def _short_link(self) -> str:
        return f"https://t.co/Tb{next(self._links):06d}"

    def requests_to(self, method: str, url: str) -> list[PreparedRequest]:
        return [
            call.request
            for call in self.mock.calls
            if call.request.method == method and call.request.url.split("?")[0] == url
        ]

    def tweet_bodies(self) -> list[dict]:
        return [json.loads(request.body) for request in self.requests_to("POST", TWEETS_URL)]

    def _answer(self, endpoint, handler):
        def callback(request: PreparedRequest):
            if not _signed_for_the_account(request):
                return problem(401, "Unauthorized", "Unauthorized")
            failures = self._failures[endpoint]
            if failures:
                after, outcome = failures[0]
                if after == 0:
                    failures.pop(0)
                    return outcome
                failures[0] = (after - 1, outcome)
            return handler(request)

        return callback

    def _get_me(self, request: PreparedRequest):
        return 200, recorded_headers(self._me), json.dumps(self._me["response_json"])

    def _get_tweets(self, request: PreparedRequest):
        url = urlsplit(request.url)
        user_id = url.path.split("/")[3]
        max_results = int(parse_qs(url.query).get("max_results", ["10"])[0])
        tweets = list(reversed(self.tweets))[:max_results] if user_id == self.account_id else []
        data = [_as_shown(tweet) for tweet in tweets]
        meta = {"result_count": len(data)}
        if data:
            meta |= {"newest_id": data[0]["id"], "oldest_id": data[-1]["id"]}
            return 200, recorded_headers(self._timeline), json.dumps({"data": data, "meta": meta})
        return 200, recorded_headers(self._timeline), json.dumps({"meta": meta})

    def _create_tweet(self, request: PreparedRequest):
        body = json.loads(request.body)
        reply_to = body.get("reply", {}).get("in_reply_to_tweet_id")
        media_ids = body.get("media", {}).get("media_ids", [])
        if reply_to is not None and reply_to not in {tweet["id"] for tweet in self.tweets}:
            return invalid_request("The Tweet you are replying to has been deleted or is not visible to you.")
        if any(media_id not in self.media for media_id in media_ids):
            return invalid_request("Your media IDs are invalid.")
        if any(tweet["text"] == body["text"] for tweet in self.tweets):
            return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
        tweet_id = self.add_tweet(body["text"], reply_to, media_ids)
        answer = {"data": {"id": tweet_id, "text": body["text"]}}
        return self._created["status"]["code"], recorded_headers(self._created), json.dumps(answer)

    def _upload(self, request: PreparedRequest):
        fields = multipart_fields(request)
        if fields.get("media_category") != b"tweet_image" or not fields.get("media"):
            return invalid_request("media and media_category are required.")
        self._last_media_id += 1
        media_id = str(self._last_media_id)
        self.media[media_id] = fields["media"]
        answer = {
            "data": {
                "id": media_id,
                "media_key": f"3_{media_id}",
                "size": len(fields["media"]),
                "expires_after_secs": 86400,
            }
        }
        return 200, {"content-type": "application/json; charset=utf-8"}, json.dumps(answer)


def _signed_for_the_account(request: PreparedRequest) -> bool:
    authorization = request.headers.get("Authorization", "")
    if isinstance(authorization, bytes):
        authorization = authorization.decode()
    return (
        authorization.startswith("OAuth ")
        and f'oauth_consumer_key="{CREDENTIALS["consumer_key"]}"' in authorization
        and f'oauth_token="{CREDENTIALS["access_token"]}"' in authorization
        and "oauth_signature=" in authorization
    )


def _as_shown(tweet: dict) -> dict:
    """A tweet in the shape of the recorded timeline, with the reference X adds to a reply."""
    shown = {"edit_history_tweet_ids": [tweet["id"]], "id": tweet["id"], "text": tweet["shown"]}
    if tweet["reply_to"] is not None:
        shown["referenced_tweets"] = [{"type": "replied_to", "id": tweet["reply_to"]}]
    return shown
