"""Meta's Graph API for an Instagram professional account: one small client for reading and for posting.

Both the collector (``monitor.instagram_graph``) and the publishing channel
(``publisher.instagram_graph``) call it; it is given a ``requests.Session``
and the access token, and reads nothing from the environment. The token
travels in the ``Authorization`` header, never in a URL, so it cannot end up
in a log line or an exception's text.

Every failure becomes one ``GraphError`` that says what it means for the
caller (``kind``): the token must be renewed, a limit must be waited out, the
server or the network failed (worth another try), or Meta refused the request
(it will refuse again). The codes are those of Meta's error-handling guide and
the Instagram API's error-code reference.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests

GRAPH_URL = "https://graph.facebook.com"
API_VERSION = "v21.0"
TIMEOUT_SECONDS = 30

TOKEN, PERMISSION, RATE_LIMITED, SERVER, UNREACHABLE, UNREADABLE, REFUSED = (
    "token",
    "permission",
    "rate-limited",
    "server",
    "unreachable",
    "unreadable",
    "refused",
)
TOKEN_CODES = frozenset({102, 190})
"""The access token is expired, revoked or invalid (190 with subcodes 458-467), or the session is (102)."""
RATE_CODES = frozenset({4, 17, 32, 613, 80002})
"""Application, account, page, custom and Instagram business-use-case throttling."""
TRANSIENT_CODES = frozenset({1, 2, -1, -2})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
OUTSIDE_WINDOW_SUBCODE = 2018278
"""A direct message sent outside the 24-hour window after the person's last message."""
PUBLISHING_LIMIT_SUBCODE = 2207042
"""The account has published as many posts as Instagram allows in 24 hours."""
MISSING_OBJECT = (100, 33)
"""Code and subcode of a request for an object that does not exist (or no longer: a deleted post or comment)."""


class GraphError(Exception):
    """A Graph API call that failed; ``kind`` says what the caller can do about it.

    ``message`` is Meta's own text (English, never containing the token);
    ``retry_after`` is the wait in seconds Meta suggested, when it did.
    """

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        status: int | None = None,
        code: int | None = None,
        subcode: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.code = code
        self.subcode = subcode
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.kind in (RATE_LIMITED, SERVER, UNREACHABLE, UNREADABLE)

    @property
    def outside_window(self) -> bool:
        return self.subcode == OUTSIDE_WINDOW_SUBCODE

    @property
    def missing(self) -> bool:
        """The object asked about does not exist, or no longer: deleted since it was listed."""
        return (self.code, self.subcode) == MISSING_OBJECT

    def __str__(self) -> str:
        detail = f"kode {self.code}" + (f"/{self.subcode}" if self.subcode else "") if self.code is not None else ""
        status = f"HTTP {self.status}" if self.status else ""
        where = ", ".join(part for part in (status, detail) if part)
        return f"{self.args[0]} ({where})" if where else self.args[0]


@dataclass(frozen=True)
class GraphPage:
    """One page of an edge: its objects and the cursor after them (None on the last page)."""

    data: list[dict]
    after: str | None


class GraphClient:
    """Calls ``https://graph.facebook.com/<version>/<path>`` with the account's token."""

    def __init__(
        self,
        session: requests.Session,
        access_token: str,
        *,
        version: str = API_VERSION,
        base_url: str = GRAPH_URL,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self.session = session
        self._token = access_token
        self.root = f"{base_url.rstrip('/')}/{version}"
        self.timeout = timeout

    def get(self, path: str, **params: Any) -> dict:
        return self._call("GET", path, params=params)

    def post(self, path: str, **data: Any) -> dict:
        return self._call("POST", path, data=data)

    def edge(self, path: str, *, after: str | None = None, limit: int = 50, **params: Any) -> GraphPage:
        """One page of the edge at ``path`` (a list of objects), after the cursor ``after``."""
        answer = self.get(path, limit=limit, **({"after": after} if after else {}), **params)
        data = answer.get("data")
        if not isinstance(data, list):
            raise GraphError(UNREADABLE, f"jawaban {path} tidak memuat daftar 'data'")
        paging = answer.get("paging") if isinstance(answer.get("paging"), dict) else {}
        cursors = paging.get("cursors") if isinstance(paging.get("cursors"), dict) else {}
        following = cursors.get("after") if paging.get("next") else None
        return GraphPage([item for item in data if isinstance(item, dict)], following or None)

    def pages(self, path: str, *, after: str | None = None, limit: int = 50, **params: Any) -> Iterator[GraphPage]:
        """Every page of an edge from ``after`` on."""
        while True:
            page = self.edge(path, after=after, limit=limit, **params)
            yield page
            if page.after is None or page.after == after:
                return
            after = page.after

    def _call(self, method: str, path: str, **arguments: Any) -> dict:
        url = f"{self.root}/{path.lstrip('/')}"
        headers = {"Authorization": f"Bearer {self._token}"}
        try:
            response = self.session.request(method, url, headers=headers, timeout=self.timeout, **arguments)
        except requests.RequestException as exc:
            raise GraphError(UNREACHABLE, f"Graph API tidak dapat dihubungi ({type(exc).__name__})") from None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code >= 400 or (isinstance(answer, dict) and "error" in answer):
            raise graph_error(response.status_code, answer, response.headers)
        if not isinstance(answer, dict):
            status = response.status_code
            raise GraphError(UNREADABLE, f"jawaban Graph API untuk {path} bukan objek JSON", status=status)
        return answer


def graph_error(status: int, answer: object, headers: Mapping[str, str]) -> GraphError:
    """What a failed answer means, from its ``error`` object (code, subcode) and HTTP status."""
    error = answer.get("error") if isinstance(answer, dict) else None
    if not isinstance(error, dict):
        kind = SERVER if status >= 500 else RATE_LIMITED if status == 429 else UNREADABLE
        wait = _regain_seconds(headers) if kind == RATE_LIMITED else None
        return GraphError(kind, "jawaban galat Graph API tanpa keterangan", status=status, retry_after=wait)
    code, subcode = _number(error.get("code")), _number(error.get("error_subcode"))
    message = " ".join(str(error.get("message") or "tanpa keterangan").split())[:300]
    if code in TOKEN_CODES:
        kind = TOKEN
    elif code in RATE_CODES or status == 429:
        kind = RATE_LIMITED
    elif code in TRANSIENT_CODES or status >= 500 or error.get("is_transient") is True:
        kind = SERVER
    elif code in PERMISSION_CODES and subcode != OUTSIDE_WINDOW_SUBCODE:
        kind = PERMISSION
    else:
        kind = REFUSED
    wait = _regain_seconds(headers) if kind == RATE_LIMITED else None
    return GraphError(kind, message, status=status, code=code, subcode=subcode, retry_after=wait)


def _regain_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait Meta suggests in ``X-Business-Use-Case-Usage`` (``estimated_time_to_regain_access``, minutes)."""
    try:
        usage = json.loads(headers.get("X-Business-Use-Case-Usage") or "{}")
    except ValueError:
        return None
    minutes = [
        entry.get("estimated_time_to_regain_access")
        for entries in (usage.values() if isinstance(usage, dict) else [])
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict)
    ]
    waits = [value for value in minutes if isinstance(value, int | float) and not isinstance(value, bool)]
    return max(waits) * 60.0 if waits and max(waits) > 0 else None


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
