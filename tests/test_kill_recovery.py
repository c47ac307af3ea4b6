"""``kill -9`` at the worst moments, on real processes: while an import scores, while a collection stores,
and in the middle of an X thread. The restarted scheduler (or the next import) finishes the work, once."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from satukanal.models import Classification, Post, Publication
from satukanal.publishing.ledger import approve
from satukanal.publishing.service import publish_recap
from tests.factories import posts, write_jsonl
from tests.live_server import SATUKANAL
from tests.publishing_helpers import AFTER, WEEK
from tests.x_wire import CREATED, CREDENTIALS, recorded, replied_to

ROOT = Path(__file__).resolve().parents[1]
POSTS = 3000


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def counts(app) -> tuple[int, int]:
    with app.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Post)),
            session.scalar(select(func.count()).select_from(Classification)),
        )


STARTED: list[subprocess.Popen] = []


def start(env: dict[str, str], *arguments: str) -> subprocess.Popen:
    process = subprocess.Popen(
        arguments, env={**os.environ, **env}, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    STARTED.append(process)
    return process


@pytest.fixture(autouse=True)
def no_process_left():
    """A test that fails half-way leaves no process of its own running."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL


def run_scheduler_until(env: dict[str, str], condition: Callable[[], bool], what: str) -> str:
    """``satukanal run`` until ``condition`` holds, then SIGTERM; its log."""
    process = start(env, SATUKANAL, "-v", "run")
    try:
        wait_for(condition, what)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("restart", ["import", "run"])
def test_an_import_killed_while_scoring_is_scored_by_the_next_import_or_the_scheduler(app, env, tmp_path, restart):
    path = write_jsonl(tmp_path / "wa.jsonl", posts(POSTS, "kill-import"))
    process = start(env, SATUKANAL, "import", str(path))
    wait_for(lambda: counts(app)[0] == POSTS, "every post stored")
    kill(process)
    assert counts(app)[1] < POSTS, "killed before scoring finished"

    if restart == "run":
        run_scheduler_until(env, lambda: counts(app)[1] == POSTS, "every post scored")
    else:
        again = start(env, SATUKANAL, "import", str(path))
        out, err = again.communicate(timeout=300)
        assert again.returncode == 0, err
        assert f"diimpor 0, {POSTS} sudah tersimpan, 0 rusak, {POSTS} dinilai" in out
    assert counts(app) == (POSTS, POSTS)


def test_a_collection_killed_after_storing_is_scored_when_the_scheduler_restarts(app, env):
    inbox = app.settings.sources[0].path
    inbox.mkdir(parents=True)
    write_jsonl(inbox / "wa.jsonl", posts(POSTS, "kill-collect"))
    process = start(env, SATUKANAL, "collect")
    wait_for(lambda: counts(app)[0] == POSTS, "every post stored")
    kill(process)
    assert counts(app)[1] < POSTS, "killed before scoring finished"

    log = run_scheduler_until(env, lambda: counts(app)[1] == POSTS, "every post scored")
    assert "posts that were waiting" in log
    assert counts(app) == (POSTS, POSTS)


def test_a_thread_killed_halfway_is_finished_once_when_the_scheduler_restarts(busy_week, env, tmp_path):
    """An approved recap goes to X; the process dies after some of its tweets; the restarted scheduler
    finds those on the account and posts only the rest."""
    app = busy_week
    recorded(CREATED)  # the fake X answers from the recordings: skip without them
    config = Path(env["SATUKANAL_CONFIG"])
    config.write_text(config.read_text(encoding="utf-8") + '\n[publish]\nchannels = ["x"]\n', encoding="utf-8")
    keys = {
        "SATUKANAL_X_CONSUMER_KEY": CREDENTIALS["consumer_key"],
        "SATUKANAL_X_CONSUMER_SECRET": CREDENTIALS["consumer_secret"],
        "SATUKANAL_X_ACCESS_TOKEN": CREDENTIALS["access_token"],
        "SATUKANAL_X_ACCESS_TOKEN_SECRET": CREDENTIALS["access_token_secret"],
    }
    env = {**env, **keys}
    with_approval = replace(app.settings, publish=app.settings.publish.model_copy(update={"require_approval": True}))
    outcome = publish_recap(app.sessions, with_approval, SimpleNamespace(name="x"), WEEK, "tester", now=AFTER)
    approve(app.sessions, outcome.publication_id, "admin")
    thread = json.loads(outcome.item.files["x-thread.json"])
    assert len(thread) >= 2
    state = tmp_path / "x-account.json"
    hang_after = len(thread) // 2

    def entry() -> Publication:
        with app.sessions() as session:
            return session.get(Publication, outcome.publication_id)

    first = start(env, sys.executable, "-m", "tests.fake_x_process", str(state), str(hang_after), "--", "run")
    wait_for(state.with_suffix(".hung").exists, "the scheduler to post part of the thread")
    kill(first)
    assert entry().status == "in_flight"
    assert entry().claimed_by.startswith(f"{socket.gethostname()}:{first.pid}:")
    assert len(json.loads(state.read_text(encoding="utf-8"))["tweets"]) == hang_after

    second = start(env, sys.executable, "-m", "tests.fake_x_process", str(state), "-1", "--", "run")
    try:
        wait_for(lambda: entry().status == "published", "the restarted scheduler to finish the thread")
    finally:
        second.send_signal(signal.SIGTERM)
        _, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    tweets = json.loads(state.read_text(encoding="utf-8"))["tweets"]
    recap = [tweet for tweet in tweets if tweet["id"] in entry().remote_ids]
    assert [tweet["text"] for tweet in recap] == thread, "every tweet once, in order"
    assert [replied_to(tweet) for tweet in recap[1:]] == [tweet["id"] for tweet in recap[:-1]], "one thread"
    assert len({tweet["text"] for tweet in tweets}) == len(tweets), "nothing posted twice"
