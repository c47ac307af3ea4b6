"""``satukanal run`` as a real process: it catches up a missed recap, collects, and stops on SIGTERM."""

import os
import signal
import subprocess
import time

import pytest
from sqlalchemy import func, select

from satukanal.models import Post, utcnow
from satukanal.scheduler import due_recap_week
from tests.factories import row, write_jsonl
from tests.live_server import SATUKANAL


@pytest.mark.slow
def test_scheduler_process_collects_publishes_and_stops(app, env):
    inbox = app.settings.sources[0].path
    inbox.mkdir(parents=True)
    write_jsonl(inbox / "wa.jsonl", [row(id="w1", platform="whatsapp", kind="dm")])
    process = subprocess.Popen(
        [SATUKANAL, "run"], env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 90
        stored = 0
        while time.monotonic() < deadline and not stored:
            time.sleep(0.5)
            with app.sessions() as session:
                stored = session.scalar(select(func.count()).select_from(Post))
        assert stored == 1
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "terjadwal: kumpulkan inbox tiap 15 menit" in out
    assert "terjadwal: rekap pekanan" in out
    assert out.strip().endswith("berhenti")
    week = due_recap_week(app.settings, utcnow())
    recaps = list(app.settings.publish.outbox_dir.glob("weekly-*"))
    assert [path.name for path in recaps] == ([f"weekly-{week.label}"] if week else [])
