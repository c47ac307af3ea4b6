"""The scale benchmark's database: a year of posts, decisions and tickets (``World``), written in bulk
(``build``, ``write``), then ``ANALYZE`` (``analyze``), and its size (``database_size``). Used by ``bench.scale``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from random import Random

from sqlalchemy import JSON, Connection, Engine, Table, insert

from bench.scale_lifecycle import lifecycle
from satukanal.config.settings import Settings
from satukanal.dashboard.hourly import recount
from satukanal.db import refresh_statistics
from satukanal.models import (
    Classification,
    Post,
    ReviewDecision,
    Ticket,
    TicketPost,
    TicketStatusChange,
)
from satukanal.tickets.lifecycle import REASON_REQUIRED, Status
from satukanal.tuban import KECAMATAN, villages

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


def build(engine: Engine, settings: Settings, size: int, now: datetime) -> dict[str, int]:
    """Write ``size`` posts spread over the ``DAYS`` before ``now``, with everything a year of work adds to
    them; returns how many rows of what were written.

    Foreign keys are not checked while the rows go in (the rows are consistent by construction): a post
    names its classification, which names the post. On PostgreSQL that turns the triggers off too, so the
    hourly counts are counted afterwards (``satukanal db recount``).
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
            recount(connection)  # the triggers were off with the foreign keys
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
