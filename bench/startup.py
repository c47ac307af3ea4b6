"""Startup benchmark: wall time of short CLI commands, beside an empty Python as the reference.

Run from the project root: ``.venv/bin/python -m bench.startup [--runs 7]``.
It creates and upgrades a fresh SQLite database in a temporary folder (the
data folder is set there too, so nothing touches ./data), then starts each
command as a real process ``--runs`` times in turn and prints the median and
best wall time of each. The reference, ``python -c pass``, is measured in the
same run, so figures from machines of different speed can be compared.

The last row is a new office's first command that scores: ``satukanal import``
of one post into a fresh data folder each time, where the default model must
first be put in place (copied from the package; it used to be trained, about
a minute).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from satukanal.db import make_engine, upgrade

SATUKANAL = [sys.executable, "-m", "satukanal"]
COMMANDS = {
    "python -c pass (reference)": [sys.executable, "-c", "pass"],
    "satukanal --help": [*SATUKANAL, "--help"],
    "satukanal users list": [*SATUKANAL, "users", "list"],
    "satukanal review list": [*SATUKANAL, "review", "list"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="starts of each command (default: 7)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = environment(Path(folder))
        timings = measure(Path(folder), env, options.runs)
        timings[FIRST_IMPORT] = [first_import(Path(folder) / f"fresh-{run}") for run in range(options.runs)]
    print(f"{'command':<30}{'median s':>10}{'best s':>10}{'x reference':>13}")
    reference = statistics.median(next(iter(timings.values())))
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"{name:<30}{median:>10.3f}{min(values):>10.3f}{median / reference:>13.1f}")


FIRST_IMPORT = "first import, fresh data folder"
POST = (
    '{"platform": "whatsapp", "id": "wa-1", "author": "warga", "text": "lampu jalan di desa mentoso mati seminggu",'
    ' "created_at": "2026-11-23T08:15:00+07:00"}\n'
)


def first_import(folder: Path) -> float:
    """Seconds a fresh data folder's first ``satukanal import`` of one post takes, model set-up included."""
    folder.mkdir()
    env = environment(folder)
    (folder / "post.jsonl").write_text(POST, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([*SATUKANAL, "import", "post.jsonl"], cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def environment(folder: Path) -> dict[str, str]:
    """The commands' environment: a configuration file and an upgraded database in ``folder``, nothing else."""
    config = folder / "satukanal.toml"
    config.write_text(f'data_dir = "{(folder / "data").as_posix()}"\n', encoding="utf-8")
    (folder / "data").mkdir()
    url = f"sqlite:///{folder / 'data' / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    env = {key: value for key, value in os.environ.items() if not key.startswith("SATUKANAL_")}
    return env | {"SATUKANAL_CONFIG": str(config), "SATUKANAL_DATABASE_URL": url}


def measure(folder: Path, env: dict[str, str], runs: int) -> dict[str, list[float]]:
    """Each command ``runs`` times, interleaved so a slow moment of the machine hits them all alike."""
    timings: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, command in COMMANDS.items():
            started = time.perf_counter()
            subprocess.run(command, cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
            timings[name].append(time.perf_counter() - started)
    return timings


if __name__ == "__main__":
    main()
