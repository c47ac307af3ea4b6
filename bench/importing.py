"""Import benchmark: ``satukanal import`` of a large file, end to end, beside a raw ``executemany`` of its rows.

Run from the project root: ``.venv/bin/python -m bench.importing [--posts 100000]``.
It writes ``--posts`` generated posts (varied complaint and chatter texts, in
the neutral JSONL schema) to a temporary folder, then

1. imports them with ``satukanal import`` as a real process into a fresh,
   upgraded SQLite file (stored and scored by the default model), and reads
   the process's wall time and peak resident memory;
2. as the reference, in this process: reads the same file with ``json``
   and inserts the same columns into the ``posts`` table of another fresh,
   upgraded SQLite file with one ``sqlite3`` ``executemany`` per 500 rows.

Both are measured in the same run, so the ratio holds on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.startup import SATUKANAL, environment

TEXTS = [
    "jalan di desa {n} kec. jenu rusak parah min, sudah {d} bulan belum diperbaiki",
    "lampu jalan depan balai desa {n} mati sejak minggu lalu @laportuban",
    "terima kasih pak, air pdam di perumahan {n} sudah mengalir lagi",
    "min jadwal posyandu desa {n} bulan ini kapan ya?",
    "sampah numpuk di pasar {n} baunya sampai ke jalan, tolong diangkut",
    "selamat pagi tuban, semoga hari ini lancar semua {n}",
    "banyu pdam ora mili wes {d} dino ning dusun {n}",
]


def write_posts(path: Path, count: int) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            text = TEXTS[n % len(TEXTS)].format(n=n % 997, d=1 + n % 11)
            record = {
                "platform": "whatsapp",
                "id": f"wa-{n}",
                "author": f"warga{n % 5000}",
                "text": text,
                "created_at": (start + timedelta(seconds=30 * n)).isoformat(),
            }
            handle.write(json.dumps(record) + "\n")


def import_with_cli(folder: Path, posts: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, last line printed) of ``satukanal import`` in a fresh data folder."""
    env = environment(folder)
    started = time.perf_counter()
    done = subprocess.run(
        [*SATUKANAL, "import", str(posts)], cwd=folder, env=env, check=True, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb, done.stdout.strip().splitlines()[-1]


COLUMNS = (
    "platform, platform_id, source, kind, author, text, created_at, collected_at, is_own, review_status, raw, media"
)


def raw_executemany(folder: Path, posts: Path) -> float:
    """Seconds to read the file with ``json`` and insert its rows with ``sqlite3`` ``executemany``."""
    environment(folder)
    connection = sqlite3.connect(folder / "data" / "bench.db")
    started = time.perf_counter()
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    statement = f"INSERT INTO posts ({COLUMNS}) VALUES (?, ?, 'import', 'message', ?, ?, ?, ?, 0, 'pending', ?, '[]')"
    batch = []
    with posts.open(encoding="utf-8") as handle, connection:
        for line in handle:
            record = json.loads(line)
            created = datetime.fromisoformat(record["created_at"]).replace(tzinfo=None).isoformat(sep=" ")
            batch.append(
                (record["platform"], record["id"], record["author"], record["text"], created, now, json.dumps(record))
            )
            if len(batch) == 500:
                connection.executemany(statement, batch)
                batch.clear()
        connection.executemany(statement, batch)
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000, help="posts in the file (default: 100,000)")
    count = parser.parse_args().posts
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        posts = root / "posts.jsonl"
        write_posts(posts, count)
        (root / "cli").mkdir()
        (root / "raw").mkdir()
        seconds, peak_mb, said = import_with_cli(root / "cli", posts)
        reference = raw_executemany(root / "raw", posts)
    print(f"satukanal import said: {said}")
    print(f"{'':<40}{'seconds':>10}{'posts/s':>10}{'peak MB':>10}")
    print(f"{'raw sqlite3 executemany (reference)':<40}{reference:>10.1f}{count / reference:>10,.0f}{'':>10}")
    print(f"{'satukanal import, stored and scored':<40}{seconds:>10.1f}{count / seconds:>10,.0f}{peak_mb:>10.0f}")
    print(f"satukanal import at {reference / seconds:.2f}x the raw reference's speed")


if __name__ == "__main__":
    main()
