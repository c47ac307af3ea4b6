"""Web benchmark: queue page and ticket list latency under 8 concurrent clients, on a large SQLite database.

Run from the project root: ``.venv/bin/python -m bench.web [--posts 100000] [--tickets 10000]``.
It builds a fresh database in a temporary folder (100,000 posts, a fifth of
them flagged, 10,000 tickets), starts ``satukanal serve`` on it on loopback
as production would (gunicorn, default ``[web]`` workers and threads unless
``--workers`` / ``--threads`` say otherwise), logs in 8 clients and has each
fetch the queue page and the ticket list in turn, then prints p50 / p95 /
max latency per page. Nothing here touches the network beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.serving import PASSWORD, login, percentiles, serving
from satukanal.config.settings import load_settings
from satukanal.db import make_engine, upgrade
from satukanal.models import Classification, Post, Ticket, TicketPost, TicketStatusChange
from satukanal.users.service import add_user
from satukanal.wiring import App

CLIENTS = 8
REQUESTS_PER_CLIENT = 40
WARM_UP = 2
"""Untimed rounds of both pages per client first: a fresh worker compiles templates and statements once."""
CATEGORIES = ("jalan_jembatan", "drainase", "sampah", "air_minum", "adminduk", "kesehatan")
AGENCY = {"jalan_jembatan": "pupr", "drainase": "pupr", "sampah": "dlhp", "air_minum": "pdam"}
AGENCY |= {"adminduk": "disdukcapil", "kesehatan": "dinkes"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--workers", type=int, help="server processes (default: [web] workers)")
    parser.add_argument("--threads", type=int, help="threads per server process (default: [web] threads)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        build(Path(folder), options.posts, options.tickets).close()
        with serving(Path(folder), options.workers, options.threads) as server:
            timings = measure(server.base)
    server = load_settings(environ={}).web
    workers, threads = options.workers or server.workers, options.threads or server.threads
    print(f"\n{options.posts:,} posts, {options.tickets:,} tickets, SQLite, {CLIENTS} concurrent clients")
    print(f"server: satukanal serve, {workers} workers x {threads} threads")
    print(f"{'page':<28}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for page, values in timings.items():
        p50, p95, most = percentiles(values)
        print(f"{page:<28}{len(values):>9}{p50:>9.1f}{p95:>9.1f}{most:>9.1f}")


def build(folder: Path, posts: int, tickets: int) -> App:
    started = time.perf_counter()
    settings = load_settings(environ={}, cwd=folder)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    app = App(settings)
    rng = random.Random(7)
    base = datetime(2026, 11, 1, tzinfo=UTC)
    with app.engine.begin() as connection:
        connection.execute(
            insert(Post),
            [
                {
                    "id": n,
                    "platform": "x" if n % 3 else "instagram",
                    "platform_id": str(10**15 + n),
                    "source": "bench",
                    "kind": "mention",
                    "account": "laportuban",
                    "author": f"warga{n % 5000}",
                    "text": f"min jalan di desa {n % 700} rusak parah, tolong diperbaiki #{n}",
                    "created_at": base + timedelta(seconds=20 * n),
                    "review_status": "confirmed" if n <= tickets else "pending",
                    "raw": {},
                }
                for n in range(1, posts + 1)
            ],
        )
        connection.execute(
            insert(Classification),
            [
                {
                    "id": n,
                    "post_id": n,
                    "model_version": "bench",
                    "score": (score := rng.random()),
                    "threshold": 0.8,
                    "flagged": score >= 0.8,
                    "category": (category := CATEGORIES[n % len(CATEGORIES)]),
                    "agency": AGENCY[category],
                    "suggestions": [[category, round(score, 4)]],
                }
                for n in range(1, posts + 1)
            ],
        )
        connection.exec_driver_sql(
            "UPDATE posts SET classification_id = id,"
            " flagged = (SELECT flagged FROM classifications WHERE classifications.id = posts.id)"
        )
        connection.execute(
            insert(Ticket),
            [
                {
                    "id": n,
                    "number": f"TBN-2026-{n:06d}",
                    "title": f"Jalan rusak di desa {n % 700}",
                    "body": f"min jalan di desa {n % 700} rusak parah, tolong diperbaiki",
                    "category": CATEGORIES[n % len(CATEGORIES)],
                    "agency": AGENCY[CATEGORIES[n % len(CATEGORIES)]],
                    "status": "belum_terverifikasi",
                    "created_at": base + timedelta(seconds=20 * n),
                    "status_changed_at": base + timedelta(seconds=20 * n),
                }
                for n in range(1, tickets + 1)
            ],
        )
        connection.execute(insert(TicketPost), [{"ticket_id": n, "post_id": n} for n in range(1, tickets + 1)])
        connection.execute(
            insert(TicketStatusChange),
            [
                {"ticket_id": n, "to_status": "belum_terverifikasi", "actor": "bench", "changed_at": base}
                for n in range(1, tickets + 1)
            ],
        )
    with app.sessions.begin() as session:
        add_user(session, settings, "bench", "moderator", PASSWORD, "bench")
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    return app


def measure(base: str) -> dict[str, list[float]]:
    pages = {"queue (/antrean/)": "/antrean/", "ticket list (/tiket/)": "/tiket/"}
    timings: dict[str, list[float]] = {name: [] for name in pages}
    lock = threading.Lock()
    warm = threading.Barrier(CLIENTS)

    def fetch(opener: urllib.request.OpenerDirector, path: str) -> None:
        with opener.open(base + path) as response:
            response.read()
            assert response.status == 200, response.status

    def client(_: int) -> None:
        opener = login(base)
        for path in WARM_UP * list(pages.values()):
            fetch(opener, path)
        warm.wait()
        for request in range(REQUESTS_PER_CLIENT):
            name = list(pages)[request % len(pages)]
            started = time.perf_counter()
            fetch(opener, pages[name])
            with lock:
                timings[name].append((time.perf_counter() - started) * 1000)

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    return timings


if __name__ == "__main__":
    main()
