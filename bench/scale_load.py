"""The scale benchmark's load: ``CLIENTS`` threads fetching one page over and over against ``satukanal serve``,
timed (``load``, ``PageRun``). Used by ``bench.scale``.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bench.serving import Server, process_tree_cpu

CLIENTS = 8
REQUEST_TIMEOUT = 300


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
