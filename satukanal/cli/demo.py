"""``satukanal demo``: the whole path on a fresh demo database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from satukanal.cli.root import State, cli

STATUS_WORDS = {
    "published": "diterbitkan",
    "already_published": "sudah diterbitkan sebelumnya",
    "recovered": "dipulihkan",
}


@cli.command()
@click.option(
    "--dir", "folder", type=click.Path(path_type=Path, file_okay=False), help="Demo folder (default: DATA_DIR/demo)."
)
@click.option(
    "--serve/--no-serve",
    default=None,
    help="Start the web app on the demo database afterwards (default: only when run from a terminal).",
)
@click.pass_obj
def demo(state: State, folder: Path | None, serve: bool | None) -> None:
    """Build a fresh demo database from the bundled demo posts and run the whole path.

    Imports and scores the posts, lets a scripted moderator decide the older
    flagged ones, moves their tickets along the LAPOR! lifecycle and writes
    the last complete week's recap to the demo outbox. Then, from a terminal,
    it serves the web app on the demo database with demo logins.
    """
    from satukanal.demo.runner import DEMO_PASSWORD, add_demo_users, demo_settings, run_demo
    from satukanal.web.server import run_server

    settings = demo_settings(state.settings, (folder or state.settings.data_dir / "demo").resolve())
    summary = run_demo(settings)
    click.echo(f"Database demo: {summary.database}")
    click.echo(f"Unggahan: {summary.posts}  terdeteksi aduan: {summary.flagged}  menunggu di antrean: {summary.queue}")
    click.echo(f"Tiket: {summary.tickets}  selesai: {summary.resolved}")
    click.echo(f"Rekap pekanan {summary.week}: {STATUS_WORDS[summary.outcome.status]}")
    click.echo(f"Outbox: {settings.publish.outbox_dir / f'weekly-{summary.week.label}'}")
    logins = add_demo_users(settings)
    if serve is None:
        serve = sys.stdin.isatty() and sys.stdout.isatty()
    click.echo("Login demo (kata sandi " + DEMO_PASSWORD + "): " + ", ".join(f"{u} ({r})" for u, r in logins))
    if not serve:
        click.echo("Aplikasi web demo: jalankan `satukanal demo --serve`.")
        return
    run_server(settings, ready=lambda address: click.echo(f"Aplikasi web demo: {address} — Ctrl-C untuk berhenti."))
