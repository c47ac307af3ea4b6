"""Scale benchmark: the weekly recap, the dashboard and the list pages at 100,000 and at 1,000,000 posts.

Run from the project root: ``.venv/bin/python -m bench.scale [--posts 1000000] [--sizes 100000,1000000]
[--seconds 30] [--quick]``. For each size (``--posts N`` measures N/10 and N; ``--sizes`` names them) it
builds a fresh database of that many posts spread evenly over the 52 weeks up to now, as a year of
collection leaves it: one classification per post (a fifth flagged), a moderator's decision on nearly every
flagged post (confirmed, joined to a ticket as a duplicate, or rejected; ``review_decisions`` with
``decided_at``), tickets for 2 % of the posts, and each ticket's status history along the LAPOR! lifecycle
(``satukanal.tickets.lifecycle``: most reach Selesai, some stall, wait, are set aside or archived). The rows
go in with bulk inserts (``executemany`` of Core inserts on SQLite, ``COPY`` on PostgreSQL), then
``ANALYZE`` runs (``satukanal.db.refresh_statistics``), as production runs it after a large import (on
PostgreSQL after a ``VACUUM``, as autovacuum would). Then, at each size, it prints

1. the build: its time and what it holds;
2. the weekly recap's figures for the last complete week, ``recap_figures`` in this process: median of 3; and
   the dashboard's figures for 30 days and for a year computed afresh (``dashboard``), as a server process does
   once per ``web.dashboard_cache_seconds`` (then it shows what it rendered again);
3. with 8 concurrent clients (threads here) against ``satukanal serve`` in its own processes (gunicorn, the
   default ``[web]`` workers and threads, loopback, logged in as ``bench.web`` does): the dashboard for 30
   days and for a year, the queue, the ticket list filtered by status and agency, and ``/api/tickets``
   (bearer token), each for ``--seconds`` after one untimed request per client: requests, errors, p50 / p95 /
   max latency, the server's CPU time per request (its processes' user and system time over the requests
   made; on PostgreSQL the database's own work is not in it) and the page's size. Latency under load moves
   with whatever else the machine runs (the load average is printed first); CPU per request much less;
4. the server's resident memory after the load: VmRSS of the gunicorn master and its workers, summed.

Last, the growth of each figure from the first size to the last (ratio). ``--quick`` is a smoke run (2,000
and 10,000 posts, 3 s per page).

The database is a SQLite file in a temporary folder, or PostgreSQL when ``SATUKANAL_DATABASE_URL`` is a
``postgresql://`` URL. Its schema ``public`` is dropped and created again for every size, so the database's
name must end in ``_scale`` (``createdb satukanal_scale``): a production or test database is refused.
Nothing here touches the network beyond 127.0.0.1 and that database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bench.scale_data import analyze, build, database_size
from bench.scale_load import CLIENTS, PageRun, load
from bench.serving import PASSWORD, login, percentiles, process_tree_memory, serving
from publisher.periods import last_complete_week
from satukanal.config.settings import DATABASE_URL_ENV, Settings, load_settings
from satukanal.dashboard.service import dashboard
from satukanal.db import make_engine, session_factory, upgrade
from satukanal.models import utcnow
from satukanal.publishing.recap import CALENDAR, recap_figures
from satukanal.users.service import add_user, issue_api_token

RECAP_RUNS = 3
T = TypeVar("T")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000, help="the largest size; N/10 is measured first")
    parser.add_argument("--sizes", help="comma-separated sizes in posts (default: --posts / 10 and --posts)")
    parser.add_argument("--seconds", type=float, default=30.0, help="load per page and size (default 30)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2,000 and 10,000 posts, 3 s per page")
    parser.add_argument("--workers", type=int, help="server processes (default: [web] workers)")
    parser.add_argument("--threads", type=int, help="threads per server process (default: [web] threads)")
    options = parser.parse_args()
    if options.quick:
        sizes, seconds = [2_000, 10_000], 3.0
    elif options.sizes:
        sizes, seconds = [int(size.replace("_", "")) for size in options.sizes.split(",")], options.seconds
    else:
        sizes, seconds = [options.posts // 10, options.posts], options.seconds
    url = os.environ.get(DATABASE_URL_ENV, "")
    postgres = make_url(url).get_backend_name() == "postgresql" if url else False
    if postgres and not (make_url(url).database or "").endswith("_scale"):
        sys.exit(
            f"bench.scale drops and recreates the schema of the database it is given: name it …_scale "
            f"(createdb satukanal_scale), not {make_url(url).database!r}"
        )
    if url and not postgres:
        print(f"{DATABASE_URL_ENV} is not a PostgreSQL URL: ignored, a temporary SQLite file is used")
    print(f"code: {revision()}; sizes {', '.join(f'{size:,}' for size in sizes)} posts")
    results = []
    with tempfile.TemporaryDirectory(prefix="satukanal-scale-") as folder:
        for size in sizes:
            here = Path(folder) / str(size)
            here.mkdir()
            settings = load_settings(environ={DATABASE_URL_ENV: url} if postgres else {}, cwd=here)
            result = run_size(settings, here, size, seconds, options.workers, options.threads)
            results.append(result)
            if not postgres:
                for path in here.glob("data/satukanal.db*"):
                    path.unlink()
    if len(results) > 1:
        print_growth(results[0], results[-1])


@dataclass
class SizeResult:
    posts: int
    build_seconds: float
    analyze_seconds: float
    recap_ms: float
    dashboard_ms: dict[str, float]
    """Milliseconds to compute the dashboard's figures afresh, by period, in process."""
    pages: dict[str, PageRun]
    rss: int
    """Bytes resident in the server's processes after the load."""


def run_size(
    settings: Settings, folder: Path, size: int, seconds: float, workers: int | None, threads: int | None
) -> SizeResult:
    postgres = settings.database_url.startswith("postgresql")
    engine = make_engine(settings.database_url)
    if postgres:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    upgrade(engine)
    now = utcnow()
    print(f"\nbuilding {size:,} posts ...", flush=True)
    started = time.perf_counter()
    counts = build(engine, settings, size, now)
    built = time.perf_counter() - started
    analyzed = time.perf_counter()
    analyze(engine)
    analyze_seconds = time.perf_counter() - analyzed
    sessions = session_factory(engine)
    with sessions.begin() as session:
        user = add_user(session, settings, "bench", "moderator", PASSWORD, "bench")
        token = issue_api_token(session, user, "bench")
    where = "PostgreSQL" if postgres else "SQLite"
    print(f"== {size:,} posts, {where} ({database_size(engine) / 2**20:,.0f} MB) ==")
    print(
        f"built in {built:.1f} s: {counts['posts']:,} posts ({counts['flagged']:,} flagged), "
        f"{counts['decisions']:,} decisions, {counts['tickets']:,} tickets, {counts['changes']:,} status changes"
    )
    statement = "VACUUM, then ANALYZE" if postgres else "ANALYZE (satukanal.db.refresh_statistics)"
    print(f"then {statement} in {analyze_seconds:.1f} s, as production runs after a large import")

    week = last_complete_week(utcnow(), settings.timezone)
    runs, figures = timed_in_sessions(sessions, lambda session: recap_figures(session, settings, week))
    recap_ms = statistics.median(runs)
    print(
        f"weekly recap {week.label} (recap_figures, in process): median of {RECAP_RUNS} {recap_ms:,.1f} ms "
        f"(runs {', '.join(f'{run:,.0f}' for run in runs)} ms); {figures.posts_received:,} posts received, "
        f"{figures.tickets_opened:,} tickets opened, {figures.tickets_resolved:,} resolved, "
        f"{figures.overdue:,} overdue"
    )
    today = utcnow().astimezone(settings.timezone).date()
    periods = {"30 days": today - timedelta(days=29), "a year": today - timedelta(days=365)}
    dashboard_ms = {}
    for name, since in periods.items():
        runs, _ = timed_in_sessions(
            sessions, lambda session, since=since: dashboard(session, settings, since, today, utcnow(), CALENDAR)
        )
        dashboard_ms[name] = statistics.median(runs)
    print(
        "dashboard figures computed afresh (service.dashboard, in process: what a server process does once per "
        f"web.dashboard_cache_seconds, period and role), median of {RECAP_RUNS}: "
        + ", ".join(f"{name} {ms:,.0f} ms" for name, ms in dashboard_ms.items())
    )
    engine.dispose()

    pages = {
        "dashboard, 30 days": "/dasbor/",
        "dashboard, a year": f"/dasbor/?dari={periods['a year']}&sampai={today}",
        "queue": "/antrean/",
        "tickets, status + agency": "/tiket/?status=ditindaklanjuti&opd=pupr",
        "/api/tickets": "/api/tickets",
    }
    environ = {DATABASE_URL_ENV: settings.database_url} if postgres else {}
    web = settings.web
    log = folder / "server.log"
    print(
        f"{CLIENTS} concurrent clients, satukanal serve {workers or web.workers} workers x "
        f"{threads or web.threads} threads, {seconds:g} s per page after one untimed request per client"
    )
    print(f"load average before: {' '.join(f'{value:.1f}' for value in os.getloadavg())} (1, 5, 15 min)")
    print(f"{'page':<28}{'requests':>9}{'errors':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'CPU ms':>8}{'KB':>6}")
    measured = {}
    with serving(folder, workers, threads, environ, log) as server, server_log_on_failure(log):
        browsers = [login(server.base) for _ in range(CLIENTS)]
        api = urllib.request.build_opener()
        api.addheaders = [("Authorization", f"Bearer {token}")]
        for name, path in pages.items():
            openers = [api] * CLIENTS if path.startswith("/api/") else browsers
            run = measured[name] = load(server, path, openers, seconds)
            p50, p95, most = percentiles(run.latencies)
            print(
                f"{name:<28}{len(run.latencies):>9}{len(run.errors):>7}"
                f"{p50:>9,.0f}{p95:>9,.0f}{most:>9,.0f}{run.cpu_ms:>8,.0f}{run.size / 1024:>6,.0f}",
                flush=True,
            )
            for error in sorted(set(run.errors)):
                print(f"  {run.errors.count(error)} x {error}")
        processes, rss, peak = process_tree_memory(server.pid)
    timeouts = log.read_text(errors="replace").count("WORKER TIMEOUT")
    if timeouts or any(run.errors for run in measured.values()):
        print(f"{timeouts} worker timeouts (gunicorn ends a request after 30 s)")
        print_tail(log)
    print(
        f"server memory after the load: {rss / 2**20:,.0f} MB resident in {processes} processes "
        f"(master and workers; sum of their peaks {peak / 2**20:,.0f} MB)"
    )
    return SizeResult(size, built, analyze_seconds, recap_ms, dashboard_ms, measured, rss)


def timed_in_sessions(sessions: sessionmaker, compute: Callable[[Session], T]) -> tuple[list[float], T]:
    """``compute`` run ``RECAP_RUNS`` times, each in a session of its own: the milliseconds of each run, and
    what the last one computed."""
    runs = []
    for _ in range(RECAP_RUNS):
        with sessions() as session:
            started = time.perf_counter()
            computed = compute(session)
            runs.append((time.perf_counter() - started) * 1000)
    return runs, computed


@contextmanager
def server_log_on_failure(log: Path) -> Iterator[None]:
    """The end of the server's log when the benchmark stops with an exception: what the server said."""
    try:
        yield
    except Exception:
        print_tail(log)
        raise


def print_tail(log: Path, lines: int = 30) -> None:
    print(f"the server log's last {lines} lines:")
    print("  " + "\n  ".join(log.read_text(errors="replace").splitlines()[-lines:]), flush=True)


def print_growth(first: SizeResult, last: SizeResult) -> None:
    print(f"\n== growth from {first.posts:,} to {last.posts:,} posts (x{last.posts / first.posts:g}) ==")
    print(f"{'figure':<46}{first.posts:>12,}{last.posts:>12,}{'ratio':>8}")
    rows: list[tuple[str, float, float]] = [
        ("build, s", first.build_seconds, last.build_seconds),
        ("ANALYZE, s", first.analyze_seconds, last.analyze_seconds),
        ("weekly recap, ms", first.recap_ms, last.recap_ms),
        *(
            (f"dashboard afresh, {name}, ms", first.dashboard_ms[name], last.dashboard_ms[name])
            for name in first.dashboard_ms
        ),
    ]
    for name in first.pages:
        before, after = percentiles(first.pages[name].latencies), percentiles(last.pages[name].latencies)
        rows += [(f"{name} p50, ms", before[0], after[0]), (f"{name} p95, ms", before[1], after[1])]
        rows.append((f"{name} server CPU/request, ms", first.pages[name].cpu_ms, last.pages[name].cpu_ms))
    rows.append(("server RSS after the load, MB", first.rss / 2**20, last.rss / 2**20))
    for label, before, after in rows:
        ratio = after / before if before else float("nan")
        print(f"{label:<46}{before:>12,.1f}{after:>12,.1f}{ratio:>8.1f}")


def revision() -> str:
    """The commit measured, and whether the work tree differs from it (figures move with the code)."""
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty=-dirty"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git work tree"
    changed = " + uncommitted changes" if described.endswith("-dirty") else ""
    return f"git {described.removesuffix('-dirty')}{changed}"


if __name__ == "__main__":
    main()
