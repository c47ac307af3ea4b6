"""Several ``satukanal run`` processes on one PostgreSQL database: one leads, the others wait, and a killed
leader is replaced; nothing is collected or published twice. On SQLite the one process always leads."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from satukanal.db import make_engine
from satukanal.leader import STANDBY_SECONDS, Leadership
from satukanal.models import Post, Publication
from satukanal.publishing.ledger import approve
from satukanal.publishing.service import publish_recap
from tests.factories import posts, write_jsonl
from tests.live_server import SATUKANAL
from tests.publishing_helpers import AFTER, WEEK

ROOT = Path(__file__).resolve().parents[1]
TAKEOVER_LIMIT = 60


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 120) -> float:
    """Seconds until ``condition`` held."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
    return time.monotonic() - started


def post_count(app) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(Post))


class Scheduler:
    """A ``satukanal -v run`` process writing its output to a file of its own."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("w", encoding="utf-8") as out:
            self.process = subprocess.Popen(
                [SATUKANAL, "-v", "run"], env={**os.environ, **env}, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
            )

    def said(self, words: str) -> bool:
        return words in self.log.read_text(encoding="utf-8")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


@pytest.fixture
def schedulers(env, tmp_path):
    started: list[Scheduler] = []

    def start(name: str) -> Scheduler:
        started.append(Scheduler(env, tmp_path / f"{name}.log"))
        return started[-1]

    yield start
    for scheduler in started:
        if scheduler.process.poll() is None:
            scheduler.process.kill()
        scheduler.process.wait(timeout=30)


def test_on_sqlite_the_one_scheduler_always_leads(app):
    if app.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: on PostgreSQL processes compete for the lead")
    leadership = Leadership(app.engine)
    assert leadership.acquire() and leadership.held() and not leadership.shared


def test_a_database_out_of_reach_means_waiting_not_a_crash():
    leadership = Leadership(make_engine("postgresql://postgres@127.0.0.1:1/nowhere"))
    assert leadership.shared
    assert not leadership.acquire() and not leadership.held()


def test_a_second_process_only_leads_once_the_first_lets_go(app):
    if app.engine.dialect.name != "postgresql":
        pytest.skip("the lead is a PostgreSQL advisory lock; SQLite runs one scheduler")
    first, second = Leadership(app.engine), Leadership(app.engine)
    assert first.acquire()
    assert not second.acquire() and not second.held()
    assert first.acquire(), "asking again while leading keeps the lead"
    first.release()
    assert not first.held()
    assert second.acquire() and second.held()
    second.release()


def test_two_schedulers_run_each_job_once_and_a_killed_leader_is_replaced(app, busy_week, schedulers, tmp_path):
    if app.engine.dialect.name != "postgresql":
        pytest.skip("several schedulers share a PostgreSQL database; SQLite runs one")
    settings = app.settings
    with_approval = replace(settings, publish=settings.publish.model_copy(update={"require_approval": True}))
    outcome = publish_recap(app.sessions, with_approval, SimpleNamespace(name="outbox"), WEEK, "tester", now=AFTER)
    approve(app.sessions, outcome.publication_id, "admin")
    inbox = settings.sources[0].path
    inbox.mkdir(parents=True)
    before = post_count(app)
    write_jsonl(inbox / "first.jsonl", posts(40, "leader-first"))

    one = schedulers("one")
    wait_for(lambda: one.said("memimpin penjadwal"), "the first process to lead")
    two = schedulers("two")
    wait_for(lambda: two.said("siaga"), "the second process to wait")
    wait_for(lambda: post_count(app) == before + 40, "the first file collected")
    wait_for(lambda: one.said("approved publication"), "the approved recap published")
    time.sleep(STANDBY_SECONDS + 1)  # the waiting process tries again at least once meanwhile
    assert not two.said("terjadwal") and not two.said("collected"), "the waiting process runs no job"

    one.process.send_signal(signal.SIGKILL)
    one.process.wait(timeout=30)
    write_jsonl(inbox / "second.jsonl", posts(25, "leader-second"))
    took = wait_for(lambda: two.said("memimpin penjadwal"), "the second process to take over", TAKEOVER_LIMIT)
    assert took < TAKEOVER_LIMIT
    wait_for(lambda: post_count(app) == before + 65, "the second file collected by the new leader")
    wait_for(lambda: two.said("collected inbox"), "the new leader's collection logged")
    two.stop()

    log = two.log.read_text(encoding="utf-8")
    assert "collected inbox: 25 new, 0 already stored" in log, "the first file was not read again"
    assert "approved publication" not in log, "the recap was not published again"
    with app.sessions() as session:
        entry = session.get(Publication, outcome.publication_id)
        assert (entry.status, entry.attempts) == ("published", 1)
