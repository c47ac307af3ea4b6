"""``satukanal run``: the scheduler."""

from __future__ import annotations

import signal
import time

import click

from satukanal.cli.root import State, cli

STOP_CHECK_SECONDS = 0.5
"""How soon after a SIGTERM the scheduler stops starting jobs."""


@cli.command()
@click.pass_obj
def run(state: State) -> None:
    """Run the scheduler: collection per source at its interval, the weekly recap on its day.

    At start it first finishes what a killed run left: posts stored but not
    scored, publications left in flight. A recap missed while the scheduler
    was down is published once at start. Stop with Ctrl-C or SIGTERM.
    """
    from satukanal.scheduler import build_scheduler, catch_up

    app = state.app()
    # A SIGTERM is only noted, and acted on between two steps: raised inside a database call it would leave the
    # connection mid-statement, and raised inside APScheduler while it hands a job to a thread it is swallowed
    # (logged) and the scheduler runs on.
    stop_asked: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stop_asked.append(signum))
    try:
        catch_up(app)
        if stop_asked:
            raise SystemExit(0)
        scheduler = build_scheduler(app)
        for job in scheduler.get_jobs():
            click.echo(f"terjadwal: {job.name}")
        scheduler.start()
        try:
            while not stop_asked:
                time.sleep(STOP_CHECK_SECONDS)
        finally:
            scheduler.shutdown(wait=True)  # the jobs running now finish; no new one starts
    except (KeyboardInterrupt, SystemExit):
        pass
    click.echo("berhenti")
