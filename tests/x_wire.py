"""X's wire format for ``tests.x_fake``: the recordings in ``../shared/fixtures/x-api``, tweets and users as X
sends them, the error answers ``FakeX.fail_next`` queues, and the credentials, clients and collector the tests use.

An answer is ``(status, headers, body)``, as a ``responses`` callback returns it. Whatever is built from a
recording skips the test when the shared recordings are absent, so build it inside the test.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs, urlsplit

import tweepy
from requests import PreparedRequest

from monitor import Retrier
from monitor.x import XSource
from tests.shared_files import shared_file

Answer = tuple[int, dict[str, str], str]

DEFAULT_FIELDS = {  # what X sends of each object, whatever ``tweet.fields``, ``user.fields`` or ``media.fields`` ask
    "tweet": {"id", "text", "edit_history_tweet_ids"},
    "user": {"id", "name", "username"},
    "media": {"media_key", "type"},
}
ACCOUNT_ID = "783214"  # @laportuban, the office's account: the account whose mentions were recorded
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
BEARER = "bt-satukanal-bearer-token"
# Distinctive values, so a test can tell whether one of them leaked into a request or a message.
CREDENTIALS = {
    "consumer_key": "ck-satukanal-consumer",
    "consumer_secret": "cs-satukanal-consumer-secret",
    "access_token": "at-satukanal-token",
    "access_token_secret": "ats-satukanal-token-secret",
}

CREATED = "test_client_create_and_delete_tweet"  # POST /2/tweets
MENTIONED = "test_client_get_users_mentions"  # GET /2/users/:id/mentions, of the account 783214
ME = "test_client_get_me"  # GET /2/users/me
UPLOADED = "testmediauploadpng"  # the retired v1.1 media upload


def recorded(name: str) -> dict:
    """The first interaction of a recording; the test is skipped when the shared recordings are absent."""
    path = shared_file(f"fixtures/x-api/{name}.decoded.json")
    return json.loads(path.read_text(encoding="utf-8"))[0]


def recorded_headers(interaction: dict, **changes: str) -> dict[str, str]:
    """The recorded rate-limit headers; ``x_rate_limit_remaining="0"`` sets ``x-rate-limit-remaining``."""
    headers = {name: values[0] for name, values in interaction["rate_limit_headers"].items()}
    headers.update({name.replace("_", "-"): value for name, value in changes.items()})
    return headers


def user_client() -> tweepy.Client:
    """A client acting for the account (OAuth 1.0a user context), as the X channel is built."""
    return tweepy.Client(**CREDENTIALS)


def bearer_client() -> tweepy.Client:
    """The client the application builds for collecting from a Bearer token."""
    return tweepy.Client(bearer_token=BEARER, return_type=dict)


def mentions_source(sleeps, **options) -> XSource:
    """The collector of @laportuban's mentions, on the Bearer token, its waits recorded in ``sleeps``."""
    options.setdefault("own_handles", frozenset({"laportuban", "pemkabtuban"}))
    return XSource(
        "x-mentions",
        bearer_client(),
        mentions=["laportuban"],
        retrier=Retrier(attempts=4, base_wait=5, max_wait=900, sleep=sleeps),
        clock=lambda: NOW.timestamp(),
        **options,
    )


def tweet(tweet_id: int, text: str, author: str = "7001", **fields) -> dict:
    """A tweet by ``author`` as a collector's request asks for it; ``fields`` adds or replaces fields."""
    created = datetime(2026, 11, 23, 4, 0, tzinfo=UTC) + timedelta(seconds=tweet_id % 1000)
    return {"id": str(tweet_id), "text": text, "author_id": author, "created_at": created.isoformat()} | fields


def user(user_id: str, username: str) -> dict:
    return {"id": user_id, "name": username.title(), "username": username}


def recorded_tweets() -> list[dict]:
    """The ten recorded mentions, each given an author, a time and the fields our requests ask for."""
    return [
        item
        | {"author_id": str(5000 + index), "created_at": x_time(NOW - timedelta(minutes=index))}
        | {"conversation_id": item["id"]}
        for index, item in enumerate(recorded(MENTIONED)["response_json"]["data"])
    ]


def x_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def replied_to(tweet: dict) -> str | None:
    """The id of the tweet ``tweet`` answers."""
    return next((ref["id"] for ref in tweet.get("referenced_tweets", []) if ref["type"] == "replied_to"), None)


def multipart_fields(request: PreparedRequest) -> dict[str, bytes]:
    """The fields of a multipart/form-data request (a media upload)."""
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.body)
    return {
        part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
        for part in message.iter_parts()
    }


def as_sent(item: dict, kind: str, params: dict[str, str]) -> dict:
    """``item`` with the fields X sends by default and those ``{kind}.fields`` asks for; a tweet as X shows it."""
    wanted = DEFAULT_FIELDS[kind] | set(params.get(f"{kind}.fields", "").split(","))
    sent = {name: value for name, value in item.items() if name in wanted}
    return sent | ({"text": item["shown"]} if "shown" in item else {})


def query(request: PreparedRequest) -> dict[str, str]:
    """A request's query parameters."""
    return {key: values[0] for key, values in parse_qs(urlsplit(request.url).query).items()}


def signed_for_the_account(request: PreparedRequest) -> bool:
    """Whether ``request`` carries an OAuth 1.0a signature with the account's consumer key and access token."""
    authorization = request.headers.get("Authorization", "")
    authorization = authorization.decode() if isinstance(authorization, bytes) else authorization
    return (
        authorization.startswith("OAuth ")
        and f'oauth_consumer_key="{CREDENTIALS["consumer_key"]}"' in authorization
        and f'oauth_token="{CREDENTIALS["access_token"]}"' in authorization
        and "oauth_signature=" in authorization
    )


def problem(status: int, title: str, detail: str) -> Answer:
    """An X v2 error answer: an RFC 7807 problem document."""
    body = {"title": title, "detail": detail, "type": "about:blank", "status": status}
    return status, {"content-type": "application/problem+json"}, json.dumps(body)


def invalid_request(message: str) -> Answer:
    """X's 400 answer for a request it refuses, with its reason in ``errors``."""
    body = {
        "errors": [{"parameters": {"text": ["..."]}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    return 400, {"content-type": "application/json; charset=utf-8"}, json.dumps(body)


def rate_limited(reset: float | None) -> Answer:
    """429 with the recorded rate-limit headers, none remaining; ``x-rate-limit-reset`` only when ``reset`` is given."""
    status, _, body = problem(429, "Too Many Requests", "Too Many Requests")
    headers = recorded_headers(recorded(MENTIONED), x_rate_limit_remaining="0")
    headers.pop("x-rate-limit-reset")
    if reset is not None:
        headers["x-rate-limit-reset"] = str(int(reset))
    return status, headers, body


def unauthorized() -> Answer:
    return problem(401, "Unauthorized", "Unauthorized")


def credits_depleted() -> Answer:
    """X's answer when the pay-per-use credits are gone (since February 2026): 402 with a problem document."""
    body = {
        "title": "CreditsDepleted",
        "detail": "Your enrolled account [1866] does not have any credits to fulfill this request.",
        "type": "https://api.twitter.com/2/problems/credits",
    }
    return 402, {"content-type": "application/problem+json"}, json.dumps(body)


def unsupported_authentication() -> Answer:
    """X's answer to the app's Bearer token on an endpoint that acts for a user (me, posting, uploads)."""
    body = {
        "title": "Unsupported Authentication",
        "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported "
        "authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
        "type": "https://api.twitter.com/2/problems/unsupported-authentication",
        "status": 403,
    }
    return 403, {"content-type": "application/problem+json"}, json.dumps(body)


def duplicate() -> Answer:
    return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")


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


def invalid_page_token() -> Answer:
    """X's 400 answer to a page token it no longer accepts."""
    body = {
        "errors": [{"message": "The `pagination_token` query parameter value is invalid"}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    return 400, {"content-type": "application/json"}, json.dumps(body)


def unavailable() -> Answer:
    """503 as an X v2 problem document."""
    return problem(503, "Service Unavailable", "Service Unavailable")


def server_error() -> Answer:
    """503 as the load balancer sends it: an HTML page."""
    return 503, {"content-type": "text/html"}, "<html><body>Service Unavailable</body></html>"


def not_json() -> Answer:
    """A 200 whose body was cut off."""
    return 200, {"content-type": "application/json"}, '{"data": [{"id": "1578516295611748353", "te'
