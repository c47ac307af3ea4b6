"""A fake of X's reading endpoints (mentions, recent search, user lookup) behind the real tweepy code path.

``FakeXFeeds`` serves tweets the way X v2 does: newest first, ``since_id``
and ``start_time`` honoured, pages of ``page_size`` with an opaque
``next_token``, ``includes`` for authors, referenced tweets and media when
the request asks for those expansions. The tweets and headers are derived
from the recorded mentions answer in ``../shared/fixtures/x-api``; failures
(429, 401, 403 with error 453, 503, bodies that are not JSON) are queued
with ``fail_next``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import responses
import tweepy
from requests import PreparedRequest

from tests.x_fakes import problem, recorded, recorded_headers

API = "https://api.twitter.com"
MENTIONS = re.compile(rf"{re.escape(API)}/2/users/(\d+)/mentions")
SEARCH = f"{API}/2/tweets/search/recent"
USERS_BY = f"{API}/2/users/by"
BEARER = "bt-satukanal-bearer-token"
ACCOUNT_ID = "783214"  # the account whose mentions were recorded
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)

Answer = tuple[int, dict[str, str], str]


def bearer_client() -> tweepy.Client:
    """The client the application builds from a bearer token."""
    return tweepy.Client(bearer_token=BEARER, return_type=dict)


def recorded_mentions() -> dict:
    return recorded("test_client_get_users_mentions")


def recorded_tweets() -> list[dict]:
    """The ten recorded mentions, each given an author, a time and the fields our requests ask for."""
    tweets = []
    for index, tweet in enumerate(recorded_mentions()["response_json"]["data"]):
        tweets.append(
            tweet
            | {
                "author_id": str(5000 + index),
                "created_at": (NOW - timedelta(minutes=index)).isoformat().replace("+00:00", ".000Z"),
                "conversation_id": tweet["id"],
            }
        )
    return tweets


def account_lookup(mock: responses.RequestsMock) -> None:
    """X's answer to the lookup of the watched account's id."""
    mock.get(USERS_BY, json={"data": [user(ACCOUNT_ID, "laportuban")]})


def user(user_id: str, username: str) -> dict:
    return {"id": user_id, "name": username.title(), "username": username}


def rate_limited(reset: float | None) -> Answer:
    headers = recorded_headers(recorded_mentions(), x_rate_limit_remaining="0")
    headers.pop("x-rate-limit-reset")
    if reset is not None:
        headers["x-rate-limit-reset"] = str(int(reset))
    return 429, headers, json.dumps({"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429})


def not_enrolled_453() -> Answer:
    """X's answer when the app's access tier may not read the endpoint (error 453)."""
    message = (
        "You currently have access to a subset of X API V2 endpoints and limited v1.1 endpoints (e.g. media post, "
        "oauth) only. If you need access to this endpoint, you may need a different access level."
    )
    return 403, {"content-type": "application/json"}, json.dumps({"errors": [{"message": message, "code": 453}]})


def client_not_enrolled() -> Answer:
    body = {
        "client_id": "12345678",
        "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a "
        "Twitter developer App that is attached to a Project.",
        "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
        "title": "Client Forbidden",
        "required_enrollment": "Appropriate Level of API Access",
        "reason": "client-not-enrolled",
        "type": "https://api.twitter.com/2/problems/client-forbidden",
    }
    return 403, {"content-type": "application/json"}, json.dumps(body)


def unauthorized() -> Answer:
    return problem(401, "Unauthorized", "Unauthorized")


def server_error() -> Answer:
    return 503, {"content-type": "text/html"}, "<html><body>Service Unavailable</body></html>"


def not_json() -> Answer:
    return 200, {"content-type": "application/json"}, '{"data": [{"id": "1578516295611748353", "te'


class FakeXFeeds:
    """X's tweets, newest first, and the accounts they come from."""

    def __init__(self, mock: responses.RequestsMock, tweets: Iterable[dict] = (), page_size: int = 10) -> None:
        self.mock = mock
        self.page_size = page_size
        self.tweets: list[dict] = []
        self.users = {ACCOUNT_ID: user(ACCOUNT_ID, "laportuban")}
        self.included_tweets: dict[str, dict] = {}
        self.media: dict[str, dict] = {}
        self.accepted_tokens: set[str] | None = None
        self._failures: list[tuple[int, Answer | Exception]] = []
        self._recorded = recorded_mentions()
        self.add(*tweets)
        mock.add_callback("GET", MENTIONS, self._guarded(self._mentions))
        mock.add_callback("GET", SEARCH, self._guarded(self._search))
        mock.add_callback("GET", USERS_BY, self._guarded(self._users_by))

    def add(self, *tweets: dict) -> None:
        """Tweets arrive; X lists them newest first by id."""
        for tweet in tweets:
            self._know_author(tweet)
        self.tweets = sorted(self.tweets + list(tweets), key=_newest_first, reverse=True)

    def include(self, tweet: dict) -> None:
        """A tweet X sends along in ``includes`` when a listed tweet references it."""
        self._know_author(tweet)
        self.included_tweets[tweet["id"]] = tweet

    def _know_author(self, tweet: dict) -> None:
        author = tweet.get("author_id")
        if author and author not in self.users:
            self.users[author] = user(author, f"warga{author}")

    def fail_next(self, outcome: Answer | Exception, after: int = 0) -> None:
        """Answer the next request (once ``after`` more went well) with ``outcome``."""
        self._failures.append((after, outcome))

    def requests(self, url: str | re.Pattern = MENTIONS) -> list[dict[str, str]]:
        """The query parameters of every request made to ``url``, in order."""

        def matches(address: str) -> bool:
            return bool(url.fullmatch(address)) if isinstance(url, re.Pattern) else address == url

        return [_params(call.request) for call in self.mock.calls if matches(call.request.url.split("?")[0])]

    def _guarded(self, handler):
        def callback(request: PreparedRequest):
            if request.headers.get("Authorization") != f"Bearer {BEARER}":
                return unauthorized()
            if self._failures:
                after, outcome = self._failures[0]
                if after == 0:
                    self._failures.pop(0)
                    if isinstance(outcome, Exception):
                        raise outcome
                    return outcome
                self._failures[0] = (after - 1, outcome)
            return handler(request)

        return callback

    def _mentions(self, request: PreparedRequest) -> Answer:
        account_id = MENTIONS.match(request.url).group(1)
        params = _params(request)
        mentioning = [tweet for tweet in self.tweets if tweet.get("mentions", ACCOUNT_ID) == account_id]
        return self._page(mentioning, params, params.get("pagination_token"))

    def _search(self, request: PreparedRequest) -> Answer:
        params = _params(request)
        return self._page(self.tweets, params, params.get("next_token"))

    def _users_by(self, request: PreparedRequest) -> Answer:
        names = _params(request)["usernames"].split(",")
        data = [found for found in self.users.values() if found["username"] in names]
        errors = [
            {"value": name, "detail": f"Could not find user with usernames: [{name}].", "title": "Not Found Error"}
            for name in names
            if name not in {found["username"] for found in data}
        ]
        body = {"data": data} if data else {}
        if errors:
            body["errors"] = errors
        return 200, recorded_headers(self._recorded), json.dumps(body)

    def _page(self, tweets: list[dict], params: dict[str, str], token: str | None) -> Answer:
        if token is not None and self.accepted_tokens is not None and token not in self.accepted_tokens:
            return (
                400,
                {"content-type": "application/json"},
                json.dumps(
                    {
                        "errors": [{"message": "The `pagination_token` query parameter value is invalid"}],
                        "title": "Invalid Request",
                        "detail": "One or more parameters to your request was invalid.",
                        "type": "https://api.twitter.com/2/problems/invalid-request",
                    }
                ),
            )
        since_id = int(params.get("since_id", 0))
        start = params.get("start_time")
        matching = [
            tweet
            for tweet in tweets
            if (not since_id or _newest_first(tweet) > since_id)
            and (start is None or tweet.get("created_at", "9") >= start)
        ]
        offset = int(token.removeprefix("tok")) if token else 0
        page = matching[offset : offset + self.page_size]
        meta: dict[str, object] = {"result_count": len(page)}
        if page:
            meta |= {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
        if offset + self.page_size < len(matching):
            meta["next_token"] = f"tok{offset + self.page_size}"
        body: dict[str, object] = {"meta": meta}
        if page:
            body["data"] = [{key: value for key, value in tweet.items() if key != "mentions"} for tweet in page]
            body["includes"] = self._includes(page, params.get("expansions", ""))
        return 200, recorded_headers(self._recorded), json.dumps(body)

    def _includes(self, page: list[dict], expansions: str) -> dict[str, list[dict]]:
        includes: dict[str, list[dict]] = {}
        if "referenced_tweets.id" in expansions:
            referenced = [
                self.included_tweets[reference["id"]]
                for tweet in page
                for reference in tweet.get("referenced_tweets", [])
                if reference["id"] in self.included_tweets
            ]
            if referenced:
                includes["tweets"] = referenced
        if "author_id" in expansions:
            authors = {tweet.get("author_id") for tweet in page + includes.get("tweets", [])}
            includes["users"] = [self.users[author] for author in sorted(authors - {None}) if author in self.users]
        if "attachments.media_keys" in expansions:
            keys = [key for tweet in page for key in tweet.get("attachments", {}).get("media_keys", [])]
            if keys:
                includes["media"] = [self.media[key] for key in keys if key in self.media]
        return includes


def _newest_first(tweet: dict) -> int:
    return int(tweet["id"]) if str(tweet["id"]).isdigit() else 0


def _params(request: PreparedRequest) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(request.url).query).items()}
