"""The production server: gunicorn, with worker processes that each build their own app.

Rendering pages is Python work that holds the interpreter lock, so a single
process with many threads serves one page at a time and makes every other
request wait behind it. Worker processes serve pages in parallel; each
opens its own database connections after the fork (SQLite and psycopg
connections must not cross one). The session key is settled before the
fork, so that every worker signs cookies with the same key.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable

from gunicorn.app.base import BaseApplication

from satukanal.config.settings import Settings
from satukanal.db import check_sqlite_folder
from satukanal.web import create_app
from satukanal.web.security import session_secret
from satukanal.wiring import App


class ServerError(Exception):
    """The server cannot listen where it is asked to."""


class WebServer(BaseApplication):
    def __init__(
        self, settings: Settings, host: str, port: int, workers: int, threads: int, ready: Callable[[str], None]
    ) -> None:
        self.settings = settings
        self.secret = session_secret(settings)
        self.options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "proc_name": "satukanal",
            "graceful_timeout": 10,
            # gunicorn's runtime control socket lives in the home folder, shared by every instance.
            "control_socket_disable": True,
            "when_ready": lambda _arbiter: ready(f"http://{host}:{port}/"),
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        """Runs in each worker, after the fork."""
        return create_app(App(self.settings), self.secret)


def run_server(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    threads: int | None = None,
    ready: Callable[[str], None] = lambda address: None,
) -> None:
    """Serve the web app until SIGINT or SIGTERM; what is not given comes from ``[web]``.

    ``ready`` is called with the app's address once the server listens.
    The database and the address are checked first, so that a missing or
    outdated schema or a port in use stops the command with one line
    instead of every worker failing or gunicorn retrying.
    """
    check_sqlite_folder(settings.database_url, settings.data_dir)
    App(settings).close()
    web = settings.web
    host, port = host or web.host, port or web.port
    check_address(host, port)
    WebServer(settings, host, port, workers or web.workers, threads or web.threads, ready).run()


def check_address(host: str, port: int) -> None:
    """Fail at once when ``host:port`` cannot be listened on.

    gunicorn would instead log the failure five times, a second apart, and then give
    up with a message that names neither the setting nor the option. The probe sets
    SO_REUSEADDR as gunicorn does, so a port whose last connections linger in
    TIME_WAIT counts as free.
    """
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServerError(
                f"{host}:{port} is already in use; stop the other server or set web.port (or --port)"
            ) from None
        raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
