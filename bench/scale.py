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
2. the weekly recap's figures for the last complete week, ``recap_figures`` in this process: median of 3;
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
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from random import Random

from sqlalchemy import JSON, Connection, Engine, Table, insert
from sqlalchemy.engine import make_url

from bench.serving import PASSWORD, Server, login, percentiles, process_tree_cpu, process_tree_memory, serving
from publisher.periods import last_complete_week
from satukanal.config.settings import DATABASE_URL_ENV, Settings, load_settings
from satukanal.db import make_engine, refresh_statistics, session_factory, upgrade
from satukanal.models import (
    Classification,
    Post,
    ReviewDecision,
    Ticket,
    TicketPost,
    TicketStatusChange,
    utcnow,
)
from satukanal.publishing.recap import recap_figures
from satukanal.tickets.lifecycle import INITIAL, REASON_REQUIRED, Status, check_transition
from satukanal.tuban import KECAMATAN, villages
from satukanal.users.service import add_user, issue_api_token

CLIENTS = 8
RECAP_RUNS = 3
DAYS = 52 * 7
FLAGGED_SHARE = 0.2
TICKET_SHARE = 0.02
DUPLICATE_SHARE = 0.03
"""Of the decided flagged posts that open no ticket: those a moderator joins to an earlier ticket."""
FORGOTTEN_SHARE = 0.01
"""Flagged posts nobody ever decided: they stay in the queue however old."""
OWN_SHARE = 0.01
"""Posts by our own accounts: stored, never queued."""
BATCH = 20_000
"""Posts per batch; each batch's rows of every table are written and committed together."""
REQUEST_TIMEOUT = 300
ROWS = (Post, Classification, ReviewDecision, Ticket, TicketPost, TicketStatusChange)

COMPLAINTS = {
    "jalan_jembatan": "jalan di desa {desa} kec. {kecamatan} rusak parah min, sudah {n} bulan belum diperbaiki",
    "drainase": "saluran air di desa {desa} mampet, tiap hujan genangan sampai masuk rumah warga",
    "penerangan_jalan": "lampu jalan depan balai desa {desa} mati sejak {n} minggu lalu @laportuban",
    "sampah": "sampah numpuk di pasar {desa} baunya sampai ke jalan, tolong diangkut",
    "air_minum": "banyu pdam ora mili wes {n} dino ning desa {desa} kec. {kecamatan}",
    "adminduk": "ktp elektronik saya belum jadi sudah {n} bulan, di kecamatan {kecamatan} katanya blangko habis",
    "kesehatan": "antrean di puskesmas {kecamatan} lama sekali, jam 9 dokter belum datang",
    "bansos": "bansos di desa {desa} tidak tepat sasaran min, yang mampu dapat yang miskin tidak",
    "pendidikan": "atap sd negeri di desa {desa} bocor, murid belajar di teras sudah {n} minggu",
    "ketertiban": "balap liar tiap malam minggu di jalan raya {kecamatan}, warga resah",
}
CHATTER = (
    "selamat pagi tuban, semoga hari ini lancar semua",
    "terima kasih pak, air pdam di desa {desa} sudah mengalir lagi",
    "min jadwal posyandu desa {desa} bulan ini kapan ya?",
    "mantap min, jalan ke {kecamatan} sekarang sudah mulus",
    "info lowongan kerja di {kecamatan} ada min?",
)
CATEGORY_WEIGHTS = (30, 12, 10, 10, 12, 6, 6, 6, 4, 4)
REJECT_REASONS = ("bukan keluhan", "pertanyaan informasi", "ucapan terima kasih", "spam")
MODERATORS = tuple(f"moderator{n}" for n in range(1, 7))


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
class PageRun:
    latencies: list[float] = field(default_factory=list)
    """Milliseconds of each timed request answered 200."""
    errors: list[str] = field(default_factory=list)
    size: int = 0
    """Bytes of the last answer."""
    requests: int = 0
    """Every request made, the untimed first ones and those that failed too."""
    cpu: float = 0.0
    """CPU seconds the server's processes used meanwhile."""

    @property
    def cpu_ms(self) -> float:
        """The server's CPU time per request, in milliseconds: what concurrency and a busy machine do not
        change."""
        return self.cpu * 1000 / self.requests if self.requests else float("nan")


@dataclass
class SizeResult:
    posts: int
    build_seconds: float
    analyze_seconds: float
    recap_ms: float
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
    runs = []
    for _ in range(RECAP_RUNS):
        with sessions() as session:
            started = time.perf_counter()
            figures = recap_figures(session, settings, week)
            runs.append((time.perf_counter() - started) * 1000)
    recap_ms = statistics.median(runs)
    print(
        f"weekly recap {week.label} (recap_figures, in process): median of {RECAP_RUNS} {recap_ms:,.1f} ms "
        f"(runs {', '.join(f'{run:,.0f}' for run in runs)} ms); {figures.posts_received:,} posts received, "
        f"{figures.tickets_opened:,} tickets opened, {figures.tickets_resolved:,} resolved, "
        f"{figures.overdue:,} overdue"
    )
    engine.dispose()

    today = utcnow().astimezone(settings.timezone).date()
    pages = {
        "dashboard, 30 days": "/dasbor/",
        "dashboard, a year": f"/dasbor/?dari={today - timedelta(days=365)}&sampai={today}",
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
    return SizeResult(size, built, analyze_seconds, recap_ms, measured, rss)


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


def load(server: Server, path: str, openers: list[urllib.request.OpenerDirector], seconds: float) -> PageRun:
    """``CLIENTS`` threads fetch ``path`` over and over for ``seconds``, after one untimed request each."""
    run = PageRun()
    lock = threading.Lock()
    ready = threading.Barrier(CLIENTS)
    deadline: list[float] = []

    def fetch(opener: urllib.request.OpenerDirector) -> float:
        with lock:
            run.requests += 1
        started = time.perf_counter()
        try:
            with opener.open(server.base + path, timeout=REQUEST_TIMEOUT) as response:
                body = response.read()
                if "/masuk" in response.geturl():
                    raise RuntimeError("sent to the login page")
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"HTTP {exc.code}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise RuntimeError(f"{type(exc).__name__}: {exc}") from None
        elapsed = (time.perf_counter() - started) * 1000
        run.size = len(body)
        return elapsed

    def client(n: int) -> None:
        opener = openers[n]
        try:
            fetch(opener)
        except RuntimeError as exc:
            with lock:
                run.errors.append(f"untimed first request: {exc}")
        if ready.wait() == 0:
            deadline.append(time.perf_counter() + seconds)
        ready.wait()
        while time.perf_counter() < deadline[0]:
            try:
                elapsed = fetch(opener)
            except RuntimeError as exc:
                with lock:
                    run.errors.append(str(exc))
                continue
            with lock:
                run.latencies.append(elapsed)

    cpu = process_tree_cpu(server.pid)
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    run.cpu = process_tree_cpu(server.pid) - cpu
    return run


def print_growth(first: SizeResult, last: SizeResult) -> None:
    print(f"\n== growth from {first.posts:,} to {last.posts:,} posts (x{last.posts / first.posts:g}) ==")
    print(f"{'figure':<46}{first.posts:>12,}{last.posts:>12,}{'ratio':>8}")
    rows: list[tuple[str, float, float]] = [
        ("build, s", first.build_seconds, last.build_seconds),
        ("ANALYZE, s", first.analyze_seconds, last.analyze_seconds),
        ("weekly recap, ms", first.recap_ms, last.recap_ms),
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


def analyze(engine: Engine) -> None:
    """What production runs after a large import: ``refresh_statistics`` (``ANALYZE``). On PostgreSQL also
    ``VACUUM``, which autovacuum would run soon after so many inserts (it sets the visibility map that
    index-only scans read); run now, it stays out of the measurement."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM")
    refresh_statistics(engine)
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def database_size(engine: Engine) -> int:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            return connection.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
    path = Path(engine.url.database)
    return sum(item.stat().st_size for item in path.parent.glob(path.name + "*"))


# The database


def build(engine: Engine, settings: Settings, size: int, now: datetime) -> dict[str, int]:
    """Write ``size`` posts spread over the ``DAYS`` before ``now``, with everything a year of work adds to
    them; returns how many rows of what were written.

    Foreign keys are not checked while the rows go in (the rows are consistent by construction): a post
    names its classification, which names the post.
    """
    world = World(settings, Random(size), now, size)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET session_replication_role = replica")
        else:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for rows in world.batches():
            for model in ROWS:
                if rows[model]:
                    write(connection, model.__table__, rows[model])
            connection.commit()
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("RESET session_replication_role")
            for model in ROWS:
                table = model.__tablename__
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1)) FROM {table}"
                )
            connection.commit()
        else:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    return world.counts


def write(connection: Connection, table: Table, rows: list[dict]) -> None:
    """One batch of rows: ``COPY`` on PostgreSQL, a Core ``executemany`` elsewhere."""
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    documents = {name for name in columns if isinstance(table.c[name].type, JSON)}
    with connection.connection.dbapi_connection.cursor() as cursor:
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(row[name]) if name in documents else row[name] for name in columns])


class World:
    """A year of posts, decisions and tickets, generated in the order they were collected."""

    def __init__(self, settings: Settings, rng: Random, now: datetime, size: int) -> None:
        self.settings, self.rng, self.now, self.size = settings, rng, now, size
        self.start = now - timedelta(days=DAYS)
        self.places = [(village.name, village.kecamatan) for items in villages().values() for village in items]
        self.places = [(name, kecamatan or self.rng.choice(KECAMATAN)) for name, kecamatan in self.places]
        self.counts = dict.fromkeys(("posts", "flagged", "decisions", "tickets", "changes"), 0)
        self.numbers: dict[int, int] = {}
        """The last ticket number given in each year."""
        self.ticket_numbers: dict[int, str] = {}
        self.last_ticket: tuple[int, datetime] | None = None
        self.ids = dict.fromkeys(("decision", "ticket_post", "change"), 0)

    def batches(self) -> Iterator[dict[type, list[dict]]]:
        for first in range(1, self.size + 1, BATCH):
            rows: dict[type, list[dict]] = {model: [] for model in ROWS}
            for n in range(first, min(first + BATCH, self.size + 1)):
                self.post(n, rows)
            yield rows

    def post(self, n: int, rows: dict[type, list[dict]]) -> None:
        rng = self.rng
        created = self.start + timedelta(seconds=(n - 1 + rng.random()) * DAYS * 86400 / self.size)
        own = rng.random() < OWN_SHARE
        score = rng.random() if not own else rng.random() * 0.5
        flagged = score >= 1 - FLAGGED_SHARE
        category = rng.choices(list(COMPLAINTS), CATEGORY_WEIGHTS)[0]
        desa, kecamatan = rng.choice(self.places)
        pattern = COMPLAINTS[category] if flagged or rng.random() < 0.3 else rng.choice(CHATTER)
        text = pattern.format(desa=desa, kecamatan=kecamatan, n=rng.randint(2, 9))
        platform = "x" if n % 9 < 5 else "instagram"
        citizen = rng.randrange(40_000)
        author = "laportuban" if own else f"warga{citizen}"
        decided = created + timedelta(hours=min(rng.lognormvariate(1.8, 1.0), 24 * 14))
        status = "pending"
        if flagged and not own and decided < self.now and rng.random() >= FORGOTTEN_SHARE:
            status = self.decide(n, created, decided, category, kecamatan, text, rows)
        rows[Post].append(
            {
                "id": n,
                "platform": platform,
                "platform_id": str(10**15 + n),
                "source": "x-mentions" if platform == "x" else "instagram",
                "kind": "mention" if platform == "x" else "comment",
                "account": "laportuban",
                "author": author,
                "author_id": "1" if own else str(10**9 + citizen),
                "text": "info pelayanan publik hari ini, cek tautan di bio" if own else text,
                "url": f"https://x.com/{author}/status/{10**15 + n}" if platform == "x" else None,
                "in_reply_to": None,
                "created_at": created,
                "collected_at": created + timedelta(minutes=rng.randint(1, 15)),
                "is_own": own,
                "review_status": status,
                "raw": {"id": str(10**15 + n)},
                "media": [],
                "classification_id": n,
                "flagged": flagged,
                "owner_id": None,
            }
        )
        rows[Classification].append(
            {
                "id": n,
                "post_id": n,
                "model_version": "bench",
                "score": score,
                "threshold": 1 - FLAGGED_SHARE,
                "flagged": flagged,
                "category": category,
                "agency": self.settings.agency_for_category(category),
                "suggestions": [[category, round(score, 4)]],
                "created_at": created + timedelta(minutes=15),
            }
        )
        self.counts["posts"] += 1
        self.counts["flagged"] += flagged

    def decide(
        self,
        n: int,
        created: datetime,
        decided: datetime,
        category: str,
        kecamatan: str,
        text: str,
        rows: dict[type, list[dict]],
    ) -> str:
        """A moderator's decision on flagged post ``n``: a new ticket while tickets are behind their share,
        otherwise now and then a duplicate of the latest ticket, mostly a rejection. Returns the post's status."""
        decision, ticket_id, reason = "reject", None, self.rng.choice(REJECT_REASONS)
        if self.counts["tickets"] < TICKET_SHARE * n:
            decision, reason = "confirm", None
            ticket_id = self.ticket(n, decided, category, kecamatan, text, rows)
        elif self.last_ticket and self.last_ticket[1] < decided and self.rng.random() < DUPLICATE_SHARE:
            decision, ticket_id = "duplicate", self.last_ticket[0]
            reason = f"duplikat {self.ticket_numbers[ticket_id]}"
        if ticket_id is not None:
            self.ids["ticket_post"] += 1
            rows[TicketPost].append({"id": self.ids["ticket_post"], "ticket_id": ticket_id, "post_id": n})
        self.ids["decision"] += 1
        rows[ReviewDecision].append(
            {
                "id": self.ids["decision"],
                "post_id": n,
                "decision": decision,
                "reason": reason,
                "actor": self.rng.choice(MODERATORS),
                "decided_at": decided,
                "ticket_id": ticket_id,
            }
        )
        self.counts["decisions"] += 1
        return "rejected" if decision == "reject" else "confirmed"

    def ticket(
        self, n: int, opened: datetime, category: str, kecamatan: str, text: str, rows: dict[type, list[dict]]
    ) -> int:
        """A ticket opened at ``opened`` for post ``n``, with its status history up to now."""
        self.counts["tickets"] += 1
        ticket_id = self.counts["tickets"]
        year = opened.astimezone(self.settings.timezone).year
        self.numbers[year] = self.numbers.get(year, 0) + 1
        number = f"TBN-{year}-{self.numbers[year]:06d}"
        self.ticket_numbers[ticket_id] = number
        self.last_ticket = (ticket_id, opened)
        history = lifecycle(self.rng, opened, self.now)
        status, changed = history[-1][1], history[-1][2]
        resolved = [at for _, target, at in history if target == Status.SELESAI]
        reached = {target for _, target, _ in history}
        for before, target, at in history:
            self.ids["change"] += 1
            rows[TicketStatusChange].append(
                {
                    "id": self.ids["change"],
                    "ticket_id": ticket_id,
                    "from_status": before.value if before else None,
                    "to_status": target.value,
                    "note": "dicatat oleh bench" if target in REASON_REQUIRED else None,
                    "actor": self.rng.choice(MODERATORS),
                    "changed_at": at,
                }
            )
        self.counts["changes"] += len(history)
        rows[Ticket].append(
            {
                "id": ticket_id,
                "number": number,
                "title": f"{category.replace('_', ' ').capitalize()} di Kec. {kecamatan}",
                "body": text,
                "category": category,
                "agency": self.settings.agency_for_category(category),
                "kecamatan": kecamatan,
                "is_anonymous": True,
                "is_confidential": self.rng.random() < 0.02,
                "lapor_id": str(9_100_000 + ticket_id) if Status.TERVERIFIKASI in reached else None,
                "status": status.value,
                "created_at": opened,
                "status_changed_at": changed,
                "resolved_at": resolved[-1] if resolved else None,
                "owner_id": None,
            }
        )
        return ticket_id


STEPS: dict[Status, tuple[tuple[float, Status | None, float, float], ...]] = {
    # (cumulative probability, next status or None to stay, fewest days, most days until it)
    Status.BELUM_TERVERIFIKASI: (
        (0.03, Status.BUKAN_WEWENANG, 0.5, 3),
        (0.05, Status.DIHAPUS, 0.2, 2),
        (0.08, None, 0, 0),
        (1.0, Status.TERVERIFIKASI, 0.1, 4),
    ),
    Status.TERVERIFIKASI: (
        (0.03, Status.BUKAN_WEWENANG, 0.5, 3),
        (0.06, Status.TERTUNDA, 1, 5),
        (0.09, None, 0, 0),
        (1.0, Status.TERDISPOSISI, 0.2, 5),
    ),
    Status.TERDISPOSISI: ((0.03, Status.TERTUNDA, 1, 5), (0.08, None, 0, 0), (1.0, Status.DITINDAKLANJUTI, 0.5, 8)),
    Status.DITINDAKLANJUTI: (
        (0.5, Status.DITANGGAPI, 1, 10),
        (0.93, Status.SELESAI, 1, 14),
        (0.96, Status.TERTUNDA, 2, 10),
        (1.0, None, 0, 0),
    ),
    Status.DITANGGAPI: ((0.9, Status.SELESAI, 0.5, 7), (1.0, Status.DITINDAKLANJUTI, 1, 5)),
    Status.TERTUNDA: ((0.5, None, 0, 0), (1.0, Status.DITINDAKLANJUTI, 3, 20)),
    Status.SELESAI: ((0.4, Status.DIARSIPKAN, 14, 60), (1.0, None, 0, 0)),
    Status.BUKAN_WEWENANG: ((0.4, Status.DIARSIPKAN, 14, 60), (1.0, None, 0, 0)),
    Status.DIHAPUS: ((0.4, Status.DIARSIPKAN, 14, 60), (1.0, None, 0, 0)),
    Status.DIARSIPKAN: ((1.0, None, 0, 0),),
}
"""How a ticket moves on from each status: most along the main path, some set aside, some stalled."""


def lifecycle(rng: Random, opened: datetime, now: datetime) -> list[tuple[Status | None, Status, datetime]]:
    """A ticket's status changes (from, to, when) from its opening up to ``now``, each one the lifecycle allows."""
    history: list[tuple[Status | None, Status, datetime]] = [(None, INITIAL, opened)]
    status, at = INITIAL, opened
    while True:
        draw = rng.random()
        _, target, fewest, most = next(step for step in STEPS[status] if draw < step[0])
        at += timedelta(days=rng.uniform(fewest, most))
        if target is None or at >= now:
            return history
        check_transition(status, target)
        history.append((status, target, at))
        status = target


if __name__ == "__main__":
    main()
