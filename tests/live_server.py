"""The ``satukanal`` command as a real server process on a free loopback port, and a logged-in HTTP client."""

from __future__ import annotations

import http.cookiejar
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.web_helpers import token

SATUKANAL = shutil.which("satukanal", path=str(Path(sys.executable).parent)) or "satukanal"


def clean_env() -> dict[str, str]:
    """This process's environment without any SATUKANAL_ setting, so the command reads only what a test gives it."""
    return {key: value for key, value in os.environ.items() if not key.startswith("SATUKANAL_")}


def run_once(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """``satukanal ARGS`` run to its end in ``cwd``, with no SatuKanal variables from outside."""
    return subprocess.run([SATUKANAL, *args], cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=60)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(args: list[str], cwd: Path, ready: str) -> Iterator[subprocess.Popen]:
    """Start ``satukanal ARGS``, wait until its output shows ``ready``, yield the process, then stop it (SIGTERM)."""
    server = subprocess.Popen([SATUKANAL, *args], cwd=cwd, env=clean_env(), stdout=subprocess.PIPE, text=True)
    try:
        lines: list[str] = []
        while not any(ready in line for line in lines):
            line = server.stdout.readline()
            assert line, f"the server stopped: {lines}"
            lines.append(line)
        yield server
    finally:
        server.terminate()
        assert server.wait(timeout=30) == 0, "the server stops cleanly on SIGTERM"
        server.stdout.close()


def logged_in(base: str, username: str, password: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A cookie-keeping client logged in as ``username``, and the page the login led to."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    for _ in range(50):
        try:
            login_page = opener.open(f"{base}/masuk", timeout=5).read().decode()
            break
        except OSError:
            time.sleep(0.2)
    fields = {"username": username, "password": password, "csrf_token": token(login_page)}
    form = urllib.parse.urlencode(fields).encode()
    return opener, opener.open(f"{base}/masuk", data=form, timeout=10).read().decode()
