"""``satukanal run``: the scheduler."""

from __future__ import annotations

import signal

import click

from satukanal.cli.root import State, cli


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
    stop_asked: list[int] = []
    # During the catch-up a SIGTERM is only noted: raised inside a database call it would leave the connection
    # mid-statement. The catch-up is safe to interrupt only at its end; the scheduler then stops before starting.
    signal.signal(signal.SIGTERM, lambda signum, frame: stop_asked.append(signum))
    try:
        catch_up(app)
        if stop_asked:
            raise SystemExit(0)
        signal.signal(signal.SIGTERM, _stop)
        scheduler = build_scheduler(app)
        for job in scheduler.get_jobs():
            click.echo(f"terjadwal: {job.name}")
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("berhenti")


def _stop(signum, frame) -> None:
    """SIGTERM (systemd, docker stop) ends the scheduler like Ctrl-C does."""
    raise SystemExit(0)
