"""One fake X behind the real tweepy code path, for reading and for posting, in X API v2's wire format.

``FakeX`` registers callbacks on a ``responses.RequestsMock`` and keeps one world: the office's account
@laportuban (id 783214, the account whose mentions were recorded), the tweets on X, the users who wrote them
and the media uploaded.

- Reading, with the app's Bearer token or the account's OAuth 1.0a signature: user lookup by name
  (``users``), an account's mentions (``mentions``), recent search (``search``) and an account's own tweets
  (``timeline``). Tweets come newest first, ``since_id`` and ``start_time`` honoured, in pages of at most
  ``max_results`` (and of ``page_size``, when set) with an opaque next token; with only the fields the
  request asks for, and ``includes`` for the expansions it names.
- Posting, with the OAuth 1.0a signature only: the account itself (``me``), ``POST /2/tweets`` (``tweets``)
  and the v2 media upload (``upload``). A posted tweet shows up among the account's tweets the way X shows it
  back: &, < and > escaped, links and the attached photo as t.co links.

Bodies and headers take their shape from the recordings in ``../shared/fixtures/x-api`` (``tests.x_wire``;
the test is skipped when they are absent). ``fail_next`` queues an error answer or an exception, for one
endpoint or for whatever is asked next; ``replay`` answers with bodies as X recorded them.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import responses
from requests import PreparedRequest

from tests.x_wire import (
    ACCOUNT_ID,
    BEARER,
    CREATED,
    ME,
    MENTIONED,
    NOW,
    UPLOADED,
    Answer,
    as_sent,
    invalid_page_token,
    invalid_request,
    multipart_fields,
    problem,
    query,
    recorded,
    recorded_headers,
    signed_for_the_account,
    unauthorized,
    unsupported_authentication,
    user,
    x_time,
)

API = "https://api.twitter.com"
ME_URL = f"{API}/2/users/me"
USERS_BY = f"{API}/2/users/by"
TIMELINE = re.compile(rf"{re.escape(API)}/2/users/(\d+)/tweets")
MENTIONS = re.compile(rf"{re.escape(API)}/2/users/(\d+)/mentions")
SEARCH = f"{API}/2/tweets/search/recent"
TWEETS_URL = f"{API}/2/tweets"
MEDIA_UPLOAD_URL = "https://api.x.com/2/media/upload"
ENDPOINTS = {
    "me": ("GET", ME_URL),
    "users": ("GET", USERS_BY),
    "timeline": ("GET", TIMELINE),
    "mentions": ("GET", MENTIONS),
    "search": ("GET", SEARCH),
    "tweets": ("POST", TWEETS_URL),
    "upload": ("POST", MEDIA_UPLOAD_URL),
}
USER_CONTEXT_ONLY = {"me", "tweets", "upload"}
_LINK = re.compile(r"https?://\S+")


@contextmanager
def fake_x(tweets: Iterable[dict] = (), page_size: int | None = None) -> Iterator[FakeX]:
    """X for the requests tweepy makes inside the ``with`` block."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeX(mock, tweets, page_size)


class FakeX:
    """Every tweet on X (``tweets``, in the order they arrived), kept in X's wire format, except that a tweet the
    account posted keeps its ``text`` as written and what X shows of it in ``shown``. Tweets given to ``add``
    are the ones the account's mentions and searches list; ``include`` keeps a tweet X only sends along."""

    def __init__(self, mock: responses.RequestsMock, tweets: Iterable[dict] = (), page_size: int | None = None):
        self.mock, self.page_size = mock, page_size
        self.account_id = ACCOUNT_ID
        self.tweets: list[dict] = []
        self.users = {ACCOUNT_ID: user(ACCOUNT_ID, "laportuban")}
        self.media: dict[str, dict] = {}  # media objects by media_key, as ``includes`` carries them
        self.uploads: dict[str, bytes] = {}  # what was uploaded, by media id
        self.accepted_tokens: set[str] | None = None  # page tokens X still accepts (None: every one it gave)
        self._listed: set[str] = set()
        self._queued: dict[str | None, list[list]] = defaultdict(list)
        self._created, self._mentioned = recorded(CREATED), recorded(MENTIONED)
        self._last_tweet_id = int(self._created["response_json"]["data"]["id"])
        self._last_media_id = int(recorded(UPLOADED)["response_json"]["media_id_string"])
        self._links = itertools.count(1)
        self.add(*tweets)
        for endpoint, (method, url) in ENDPOINTS.items():
            mock.add_callback(method, url, self._answer(endpoint, getattr(self, f"_{endpoint}")))

    def add(self, *tweets: dict) -> None:
        """Tweets others post, listed in the account's mentions and in searches."""
        for tweet in tweets:
            self.include(tweet)
            self._listed.add(tweet["id"])

    def include(self, tweet: dict) -> None:
        """A tweet X knows, sent along in ``includes`` when a listed tweet references it."""
        author = tweet.get("author_id")
        if author and author not in self.users:
            self.users[author] = user(author, f"warga{author}")
        self.tweets.append(dict(tweet))

    def post(
        self, text: str, reply_to: str | None = None, media_ids: Sequence[str] = (), shown: str | None = None
    ) -> str:
        """The account tweets ``text``; X shows it with &, <, > escaped, links and the first photo as t.co links."""
        self._last_tweet_id = max([self._last_tweet_id, *map(_number, self.tweets)]) + 1
        tweet_id = str(self._last_tweet_id)
        if shown is None:
            shown = _LINK.sub(lambda _: self._short_link(), html.escape(text, quote=False))
            shown += "".join(f" {self._short_link()}" for _ in media_ids[:1])
        tweet = {"id": tweet_id, "text": text, "shown": shown, "author_id": self.account_id, "created_at": x_time(NOW)}
        tweet |= {"conversation_id": tweet_id, "edit_history_tweet_ids": [tweet_id]}
        if reply_to is not None:
            parent = next((known for known in self.tweets if known["id"] == reply_to), {})
            tweet["referenced_tweets"] = [{"type": "replied_to", "id": reply_to}]
            tweet["conversation_id"] = parent.get("conversation_id", reply_to)
            tweet["in_reply_to_user_id"] = parent.get("author_id", self.account_id)
        if media_ids:
            tweet["attachments"] = {"media_keys": [f"3_{media_id}" for media_id in media_ids]}
        self.tweets.append(tweet)
        return tweet_id

    def fail_next(self, outcome: Answer | Exception, after: int = 0, on: str | None = None) -> None:
        """Answer the next request to endpoint ``on`` (None: to any) with ``outcome`` once ``after`` more went well:
        ``(status, headers, body)``, or an exception raised as the connection would."""
        self._queued[on].append([after, outcome])

    def replay(self, on: str, *bodies: dict) -> None:
        """Answer the next requests to ``on`` with ``bodies``, one each, as X recorded them."""
        for body in bodies:
            self.fail_next((200, recorded_headers(self._mentioned), json.dumps(body)), on=on)

    def requests(self, endpoint: str) -> list[PreparedRequest]:
        """Every request to ``endpoint`` (a key of ``ENDPOINTS``), in order."""
        method, url = ENDPOINTS[endpoint]
        return [
            call.request
            for call in self.mock.calls
            if call.request.method == method and _matches(url, call.request.url.split("?")[0])
        ]

    def params(self, endpoint: str) -> list[dict[str, str]]:
        """The query parameters of every request to ``endpoint``, in order."""
        return [query(request) for request in self.requests(endpoint)]

    def tweet_bodies(self) -> list[dict]:
        return [json.loads(request.body) for request in self.requests("tweets")]

    def _short_link(self) -> str:
        return f"https://t.co/Tb{next(self._links):06d}"

    def _answer(self, endpoint, handler):
        def callback(request: PreparedRequest):
            if not signed_for_the_account(request):
                if request.headers.get("Authorization") != f"Bearer {BEARER}":
                    return unauthorized()
                if endpoint in USER_CONTEXT_ONLY:
                    return unsupported_authentication()
            queues = [self._queued[endpoint], self._queued[None]]
            for queue in queues:
                if queue and queue[0][0] == 0:
                    outcome = queue.pop(0)[1]
                    if isinstance(outcome, Exception):
                        raise outcome
                    return outcome
            for queue in queues:
                if queue:
                    queue[0][0] -= 1
            return handler(request, query(request))

        return callback

    def _me(self, request, params) -> Answer:
        body = {"data": self.users[self.account_id]}
        return 200, recorded_headers(recorded(ME)), json.dumps(body)

    def _users(self, request, params) -> Answer:
        names = params["usernames"].split(",")
        data = [as_sent(found, "user", params) for found in self.users.values() if found["username"] in names]
        errors = [
            {"value": name, "detail": f"Could not find user with usernames: [{name}].", "title": "Not Found Error"}
            for name in names
            if name not in {found["username"] for found in data}
        ]
        body = ({"data": data} if data else {}) | ({"errors": errors} if errors else {})
        return 200, recorded_headers(self._mentioned), json.dumps(body)

    def _mentions(self, request, params) -> Answer:
        mentioning = self._listed_tweets() if MENTIONS.match(request.url).group(1) == self.account_id else []
        return self._page(mentioning, params, params.get("pagination_token"))

    def _search(self, request, params) -> Answer:
        return self._page(self._listed_tweets(), params, params.get("next_token"))

    def _listed_tweets(self) -> list[dict]:
        return [tweet for tweet in self.tweets if tweet["id"] in self._listed]

    def _timeline(self, request, params) -> Answer:
        author = TIMELINE.match(request.url).group(1)
        tweets = [tweet for tweet in self.tweets if tweet.get("author_id") == author]
        return self._page(tweets, params, params.get("pagination_token"))

    def _tweets(self, request, params) -> Answer:
        body = json.loads(request.body)
        reply_to = body.get("reply", {}).get("in_reply_to_tweet_id")
        media_ids = body.get("media", {}).get("media_ids", [])
        if reply_to is not None and reply_to not in {tweet["id"] for tweet in self.tweets}:
            return invalid_request("The Tweet you are replying to has been deleted or is not visible to you.")
        if any(media_id not in self.uploads for media_id in media_ids):
            return invalid_request("Your media IDs are invalid.")
        if any(tweet["text"] == body["text"] for tweet in self.tweets if tweet.get("author_id") == self.account_id):
            return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
        tweet_id = self.post(body["text"], reply_to, media_ids)
        answer = {"data": {"id": tweet_id, "text": body["text"]}}
        return self._created["status"]["code"], recorded_headers(self._created), json.dumps(answer)

    def _upload(self, request, params) -> Answer:
        fields = multipart_fields(request)
        if fields.get("media_category") != b"tweet_image" or not fields.get("media"):
            return invalid_request("media and media_category are required.")
        self._last_media_id += 1
        media_id = str(self._last_media_id)
        self.uploads[media_id] = fields["media"]
        key = f"3_{media_id}"
        self.media[key] = {"media_key": key, "type": "photo", "url": f"https://pbs.twimg.com/media/{key}.png"}
        answer = {"id": media_id, "media_key": key, "size": len(fields["media"]), "expires_after_secs": 86400}
        return 200, {"content-type": "application/json; charset=utf-8"}, json.dumps({"data": answer})

    def _page(self, tweets: list[dict], params: dict[str, str], token: str | None) -> Answer:
        if token is not None and self.accepted_tokens is not None and token not in self.accepted_tokens:
            return invalid_page_token()
        since_id, start = int(params.get("since_id", 0)), params.get("start_time")
        matching = [
            tweet
            for tweet in sorted(tweets, key=_number, reverse=True)
            if (not since_id or _number(tweet) > since_id) and (start is None or tweet.get("created_at", "9") >= start)
        ]
        size = min(int(params.get("max_results", 10)), self.page_size or 100)
        offset = int(token.removeprefix("tok")) if token else 0
        page = matching[offset : offset + size]
        meta: dict[str, object] = {"result_count": len(page)}
        if page:
            meta |= {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
        if offset + size < len(matching):
            meta["next_token"] = f"tok{offset + size}"
        body: dict[str, object] = {"meta": meta}
        if page:
            body["data"] = [as_sent(tweet, "tweet", params) for tweet in page]
            body["includes"] = self._includes(page, params)
        return 200, recorded_headers(self._mentioned), json.dumps(body)

    def _includes(self, page: list[dict], params: dict[str, str]) -> dict[str, list[dict]]:
        expansions, includes = params.get("expansions", "").split(","), {}
        known = {tweet["id"]: tweet for tweet in self.tweets}
        if "referenced_tweets.id" in expansions:
            ids = [ref["id"] for tweet in page for ref in tweet.get("referenced_tweets", []) if ref["id"] in known]
            if ids:
                includes["tweets"] = [as_sent(known[tweet_id], "tweet", params) for tweet_id in dict.fromkeys(ids)]
        if "author_id" in expansions:
            authors = {tweet.get("author_id") for tweet in page + includes.get("tweets", [])} - {None}
            includes["users"] = [as_sent(self.users[a], "user", params) for a in sorted(authors) if a in self.users]
        keys = [key for tweet in page for key in tweet.get("attachments", {}).get("media_keys", [])]
        if "attachments.media_keys" in expansions and keys:
            includes["media"] = [as_sent(self.media[key], "media", params) for key in keys if key in self.media]
        return includes


def _matches(url: str | re.Pattern, address: str) -> bool:
    return bool(url.fullmatch(address)) if isinstance(url, re.Pattern) else address == url


def _number(tweet: dict) -> int:
    return int(tweet["id"]) if str(tweet["id"]).isdigit() else 0
