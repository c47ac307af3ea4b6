"""The production server: gunicorn, with worker processes that each build their own app.

Rendering pages is Python work that holds the interpreter lock, so a single
process with many threads serves one page at a time and makes every other
request wait behind it. Worker processes serve pages in parallel; each
opens its own database connections after the fork (SQLite and psycopg
connections must not cross one). The session key is settled before the
fork, so that every worker signs cookies with the same key.
"""

from __future__ import annotations

from collections.abc import Callable

from gunicorn.app.base import BaseApplication

from satukanal.config import Settings
from satukanal.web import create_app
from satukanal.web.security import session_secret
from satukanal.wiring import App


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
    The database is checked first, so that a missing or outdated schema
    stops the command with its message instead of every worker failing.
    """
    App(settings).close()
    web = settings.web
    host, port = host or web.host, port or web.port
    WebServer(settings, host, port, workers or web.workers, threads or web.threads, ready).run()
