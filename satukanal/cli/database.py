"""``satukanal db``: the database schema."""

from __future__ import annotations

import click

from satukanal.cli.root import State, cli
from satukanal.dashboard.hourly import recount
from satukanal.db import current_revision, head_revision, upgrade


@cli.group()
def db() -> None:
    """Create or upgrade the database schema (SQLite or PostgreSQL)."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(state: State) -> None:
    """Apply every pending migration. Safe to run again: an up-to-date database is left as it is."""
    app = state.app(check_schema=False)
    before, after = upgrade(app.engine)
    if before == after:
        click.echo(f"The database is up to date (revision {after}).")
    else:
        click.echo(f"Upgraded the database from {before or 'empty'} to revision {after}.")


@db.command("current")
@click.pass_obj
def db_current(state: State) -> None:
    """Show the schema revision of the database and the one this version needs."""
    app = state.app(check_schema=False)
    current = current_revision(app.engine)
    head = head_revision()
    click.echo(f"database: {current or 'empty'}; this version needs: {head}")
    if current != head:
        raise click.ClickException("the database is not up to date: run `satukanal db upgrade`")


@db.command("recount")
@click.pass_obj
def db_recount(state: State) -> None:
    """Count the dashboard's hourly counts again from every post and decision.

    The database keeps them as rows are written; rows loaded with triggers off (a restore with
    --disable-triggers, a bulk load as replica) are missing from them until this runs. Writers wait meanwhile.
    """
    app = state.app()
    with app.sessions.begin() as session:
        posts, decisions = recount(session.connection())
    click.echo(f"Hourly counts counted again: posts {posts}, decisions {decisions}.")
