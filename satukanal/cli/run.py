"""``satukanal run``: the scheduler, led by one process at a time (``satukanal.leader``)."""

from __future__ import annotations

import signal
import time

import click

from satukanal.cli.root import State, cli
from satukanal.leader import HEARTBEAT_SECONDS, STANDBY_SECONDS, Leadership
from satukanal.wiring import App

STOP_CHECK_SECONDS = 0.5
"""How soon after a SIGTERM the scheduler stops starting jobs."""


@cli.command()
@click.pass_obj
def run(state: State) -> None:
    """Run the scheduler: collection per source at its interval, the weekly recap on its day.

    On PostgreSQL any number of these processes may run, on any machines: one
    leads and runs the jobs, the others wait and take over within seconds
    when it stops or dies. On taking the lead it first finishes what a
    killed run left: posts stored but not scored, publications left in
    flight; a recap missed while no scheduler ran is published once. Stop
    with Ctrl-C or SIGTERM.
    """
    app = state.app()
    # A SIGTERM is only noted, and acted on between two steps: raised inside a database call it would leave the
    # connection mid-statement, and raised inside APScheduler while it hands a job to a thread it is swallowed
    # (logged) and the scheduler runs on.
    stop_asked: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stop_asked.append(signum))
    leadership = Leadership(app.engine)
    try:
        while _wait_for_lead(leadership, stop_asked):
            _lead(app, leadership, stop_asked)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        leadership.release()
    click.echo("berhenti")


def _wait_for_lead(leadership: Leadership, stop_asked: list[int]) -> bool:
    """Until this process leads (True) or is asked to stop (False), trying every ``STANDBY_SECONDS``."""
    said = False
    while not stop_asked:
        if leadership.acquire():
            if leadership.shared:
                click.echo("memimpin penjadwal: tugas terjadwal berjalan di proses ini")
            return True
        if not said:
            click.echo(f"siaga: `satukanal run` lain memimpin penjadwal; dicoba lagi tiap {STANDBY_SECONDS} detik")
            said = True
        _sleep(STANDBY_SECONDS, stop_asked)
    return False


def _lead(app: App, leadership: Leadership, stop_asked: list[int]) -> None:
    """Catch up, then run the jobs until a stop is asked or the lead is lost (then back to waiting)."""
    from satukanal.scheduler import build_scheduler, catch_up

    catch_up(app)
    if stop_asked:
        return
    scheduler = build_scheduler(app)
    for job in scheduler.get_jobs():
        click.echo(f"terjadwal: {job.name}")
    scheduler.start()
    try:
        while not stop_asked:
            _sleep(HEARTBEAT_SECONDS, stop_asked)
            if not stop_asked and not leadership.held():
                click.echo("kepemimpinan penjadwal lepas (sambungan ke basis data putus); tugas dihentikan", err=True)
                return
    finally:
        scheduler.shutdown(wait=True)  # the jobs running now finish; no new one starts


def _sleep(seconds: float, stop_asked: list[int]) -> None:
    deadline = time.monotonic() + seconds
    while not stop_asked and time.monotonic() < deadline:
        time.sleep(STOP_CHECK_SECONDS)
