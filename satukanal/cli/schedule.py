"""``satukanal schedule``: what the scheduler (``satukanal run``) would do, and when."""

from __future__ import annotations

import click

from publisher import format_day
from satukanal.cli.root import State, cli


@cli.group()
def schedule() -> None:
    """Inspect the scheduler's jobs."""


@schedule.command("show")
@click.pass_obj
def show(state: State) -> None:
    """List the scheduled jobs with their next run time in the configured time zone (Asia/Jakarta)."""
    from satukanal.scheduler import planned_jobs

    app = state.app()
    zone = app.settings.timezone
    for job in planned_jobs(app):
        if job.next_run is None:
            when = "tidak dijadwalkan lagi"
        else:
            local = job.next_run.astimezone(zone)
            when = f"{format_day(local.date())} {local:%H.%M} {local.tzname()} ({zone.key})"
        click.echo(f"{job.id:<24} {job.name:<44} berikutnya: {when}")
