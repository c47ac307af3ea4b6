"""Collection benchmark: X mentions through the real tweepy client into a SQLite file, and a quiet rerun.

Run from the project root (with the test extras, for ``responses``):
``.venv/bin/python -m bench.collect [--tweets N]``. It serves N generated
mentions in X's v2 wire format (pages of 100, authors in ``includes``) at the
HTTP layer, collects them with an ``x_mentions`` source into a fresh SQLite
database, then runs again with nothing new, and prints tweets per second,
requests made and peak Python memory. Nothing leaves the process.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import responses
import tweepy

from monitor import Retrier
from monitor.x import XSource
from satukanal.db import make_engine, session_factory, upgrade
from satukanal.intake.service import collect

MENTIONS = re.compile(r"https://api\.twitter\.com/2/users/(\d+)/mentions")
USERS_BY = "https://api.twitter.com/2/users/by"
ACCOUNT_ID = "783214"
FIRST_ID = 1_900_000_000_000_000_000
PAGE = 100


def tweets(count: int) -> list[dict]:
    start = datetime(2026, 11, 23, tzinfo=UTC)
    return [
        {
            "id": str(FIRST_ID + count - n),
            "text": f"@laportuban jalan rusak di Desa {n % 300} Kec. Jenu, tolong segera diperbaiki min #{n}",
            "author_id": str(10_000 + n % 500),
            "created_at": (start - timedelta(seconds=n)).isoformat().replace("+00:00", ".000Z"),
            "conversation_id": str(FIRST_ID + count - n),
        }
        for n in range(count)
    ]


def serve(mock: responses.RequestsMock, data: list[dict]) -> None:
    def mentions(request):
        query = {key: values[0] for key, values in parse_qs(urlsplit(request.url).query).items()}
        since = int(query.get("since_id", 0))
        matching = [tweet for tweet in data if int(tweet["id"]) > since]
        offset = int(query.get("pagination_token", "0"))
        page = matching[offset : offset + PAGE]
        meta = {"result_count": len(page)}
        if offset + PAGE < len(matching):
            meta["next_token"] = str(offset + PAGE)
        body = {"meta": meta}
        if page:
            authors = sorted({tweet["author_id"] for tweet in page})
            body |= {
                "data": page,
                "includes": {"users": [{"id": a, "username": f"warga{a}", "name": "W"} for a in authors]},
            }
        return 200, {"content-type": "application/json"}, json.dumps(body)

    mock.add_callback("GET", MENTIONS, mentions)
    mock.get(USERS_BY, json={"data": [{"id": ACCOUNT_ID, "username": "laportuban", "name": "Lapor Tuban"}]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=int, default=20_000)
    args = parser.parse_args()
    data = tweets(args.tweets)
    with tempfile.TemporaryDirectory() as folder, responses.RequestsMock() as mock:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        sessions = session_factory(engine)
        serve(mock, data)
        own = frozenset({"laportuban"})
        source = XSource(
            "x-mentions",
            tweepy.Client(bearer_token="bench", return_type=dict),
            mentions=["laportuban"],
            own_handles=own,
            retrier=Retrier(),
            max_pages=None,
        )
        tracemalloc.start()
        started = time.perf_counter()
        first = collect(sessions, source, lambda platform: own)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        requests_first = len(mock.calls)
        started = time.perf_counter()
        quiet = collect(sessions, source, lambda platform: own)
        quiet_elapsed = time.perf_counter() - started
        requests_quiet = len(mock.calls) - requests_first
        engine.dispose()
    print(
        f"first run: {first.added:,} tweets in {first.pages} pages, {requests_first} requests, "
        f"{elapsed:.2f} s ({first.added / elapsed:,.0f} tweets/s), peak Python memory {peak / 2**20:.1f} MiB"
    )
    print(f"quiet rerun: {quiet.added} new, {requests_quiet} request(s), {quiet_elapsed * 1000:.0f} ms")


if __name__ == "__main__":
    main()
