"""What the web benchmarks share: ``satukanal serve`` as its own processes on loopback, logged-in clients,
latency percentiles, and the server's resident memory.

Used by ``bench.web`` and ``bench.scale``; not a benchmark itself.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "bangku-panjang-123"
"""The password of the bench user each benchmark adds (``bench``)."""
SECRET_KEY = "bench-key"


@dataclass(frozen=True)
class Server:
    base: str
    """``http://127.0.0.1:PORT``."""
    pid: int
    """The gunicorn master's process id; its workers are its children."""


@contextmanager
def serving(
    folder: Path,
    workers: int | None = None,
    threads: int | None = None,
    environ: Mapping[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[Server]:
    """``satukanal serve`` run from ``folder`` (its data folder is ``folder/data``) on a free loopback port.

    The ``SATUKANAL_*`` variables of this process are left out, so a production configuration in the shell
    is never served; ``environ`` adds what the benchmark wants (``SATUKANAL_DATABASE_URL``). The server's
    output goes to ``log`` when given, to this process's otherwise.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "satukanal", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += [*(["--workers", str(workers)] if workers else []), *(["--threads", str(threads)] if threads else [])]
    env = {key: value for key, value in os.environ.items() if not key.startswith("SATUKANAL_")}
    env |= {"SATUKANAL_SECRET_KEY": SECRET_KEY, **(environ or {})}
    output = log.open("ab") if log else None
    server = subprocess.Popen(command, cwd=folder, env=env, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, base)
        yield Server(base, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if output:
            output.close()


def _wait_until_up(server: subprocess.Popen, base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"satukanal serve stopped at start (exit code {server.returncode})")
        try:
            urllib.request.urlopen(f"{base}/masuk", timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"satukanal serve did not answer on {base} within {seconds:.0f} s")


def login(base: str, username: str = "bench", password: str = PASSWORD) -> urllib.request.OpenerDirector:
    """An opener holding a logged-in session cookie, after the login form as a browser sends it."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base}/masuk") as response:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode()).group(1)
    form = urllib.parse.urlencode({"username": username, "password": password, "csrf_token": token}).encode()
    with opener.open(f"{base}/masuk", data=form) as response:
        response.read()
    return opener


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95 and max of ``values`` (nearest rank for p95); NaN for none."""
    if not values:
        return (float("nan"),) * 3
    ordered = sorted(values)
    middle = len(ordered) // 2
    p50 = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return p50, ordered[int(0.95 * (len(ordered) - 1))], ordered[-1]


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (a gunicorn master and its workers), from ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    tree = [pid]
    for member in tree:
        tree.extend(children.get(member, []))
    return tree


def process_tree_memory(pid: int) -> tuple[int, int, int]:
    """(processes, total VmRSS, total VmHWM) in bytes of ``pid`` and all its descendants.

    VmHWM is each process's peak resident size; their sum is an upper bound of the tree's peak.
    """
    tree = process_tree(pid)
    fields = [_status_fields(member) for member in tree]
    return len(tree), sum(item.get("VmRSS", 0) for item in fields), sum(item.get("VmHWM", 0) for item in fields)


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user and system) used so far by ``pid`` and its descendants alive now, and by their
    children that ended and were waited for."""
    ticks = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        ticks += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _status_fields(pid: int) -> dict[str, int]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    fields = {}
    for line in lines:
        name, _, value = line.partition(":")
        if value.strip().endswith(" kB"):
            fields[name] = int(value.split()[0]) * 1024
    return fields
