"""``satukanal serve``: the web app behind a production WSGI server (gunicorn)."""

from __future__ import annotations

import click

from satukanal.cli.root import State, cli


@cli.command()
@click.option("--host", help="Address to listen on (default: web.host, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: web.port, 8080).")
@click.option("--workers", type=click.IntRange(1, 64), help="Server processes (default: web.workers, 2 × cores + 1).")
@click.option("--threads", type=click.IntRange(1, 64), help="Threads per process (default: web.threads, 1).")
@click.pass_obj
def serve(state: State, host: str | None, port: int | None, workers: int | None, threads: int | None) -> None:
    """Serve the web app until Ctrl-C or SIGTERM.

    Sessions are signed with SATUKANAL_SECRET_KEY, or with the key in
    web.secret_key_file (created, mode 0600, on first start).
    """
    from satukanal.web.server import run_server

    run_server(state.settings, host, port, workers, threads, ready=announce)


def announce(address: str) -> None:
    click.echo(f"SatuKanal berjalan di {address} — Ctrl-C untuk berhenti.")
