"""The web app on a threaded HTTP server inside this process, on a free loopback port.

For what drives the pages in a real browser: the browser tests and ``bench.pages``. People are served by
``satukanal.web.server`` (gunicorn).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

from satukanal.web import create_app
from satukanal.wiring import App


@contextmanager
def serving(app: App, secret_key: str) -> Iterator[str]:
    """Serves ``app`` until the block ends; yields its address (``http://127.0.0.1:PORT``)."""
    server = make_server("127.0.0.1", 0, create_app(app, secret_key), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
