"""``satukanal serve``: the moderation web app behind a production WSGI server (waitress)."""

from __future__ import annotations

import click
import waitress

from satukanal.cli.root import State, cli
from satukanal.web import create_app
from satukanal.web.security import session_secret

THREADS = 8


@cli.command()
@click.option("--host", help="Address to listen on (default: web.host, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: web.port, 8080).")
@click.pass_obj
def serve(state: State, host: str | None, port: int | None) -> None:
    """Serve the web app (queue, and more to come) until Ctrl-C or SIGTERM.

    Sessions are signed with SATUKANAL_SECRET_KEY, or with the key in
    web.secret_key_file (created, mode 0600, on first start).
    """
    app = state.app()
    web = create_app(app, session_secret(app.settings))
    host = host or app.settings.web.host
    port = port or app.settings.web.port
    click.echo(f"SatuKanal berjalan di http://{host}:{port}/ — Ctrl-C untuk berhenti.")
    waitress.serve(web, host=host, port=port, threads=THREADS, ident="SatuKanal")
