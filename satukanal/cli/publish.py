"""``satukanal publish``: the weekly recap, exactly once per week and channel."""

from __future__ import annotations

import click

from publisher import Week, last_complete_week
from satukanal.cli.root import State, cli
from satukanal.cli.types import Parsed
from satukanal.models import utcnow
from satukanal.publishing import publish_weekly


@cli.group()
def publish() -> None:
    """Render and publish recaps to the configured channels."""


@publish.command("weekly")
@click.option(
    "--week", type=Parsed("week", Week.parse, Week), help="ISO week such as 2026-W47 (default: the last complete week)."
)
@click.option("--channel", "channels", multiple=True, help="Channel to publish to (default: every configured one).")
@click.option("--dry-run", is_flag=True, help="Render and print, publish nothing.")
@click.pass_obj
def publish_weekly_command(state: State, week: Week | None, channels: tuple[str, ...], dry_run: bool) -> None:
    """Publish the weekly recap (Monday to Sunday, in the configured time zone).

    Publishing a week that is already published on a channel does nothing and
    says so; a week that is not over yet is refused.
    """
    app = state.app()
    week = week or last_complete_week(utcnow(), app.settings.timezone)
    for name in channels or app.settings.channels:
        if name not in app.settings.channels:
            raise click.ClickException(
                f"kanal {name!r} tidak dikonfigurasi (yang ada: {', '.join(app.settings.channels)})"
            )
        outcome = publish_weekly(app.sessions, app.settings, app.channel(name), week, state.actor, dry_run=dry_run)
        if outcome.status == "dry_run":
            for number, tweet in enumerate(outcome.rendered.x_thread, start=1):
                click.echo(f"--- X {number}/{len(outcome.rendered.x_thread)}\n{tweet}")
            click.echo(f"--- Keterangan Instagram\n{outcome.rendered.instagram_caption}")
        elif outcome.status == "already_published":
            click.echo(f"{week} sudah pernah diterbitkan di {name}; tidak ada yang dilakukan.")
        else:
            click.echo(f"{week} diterbitkan di {name}: {', '.join(outcome.remote_ids)}")
