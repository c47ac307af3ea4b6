"""The quick start's main job: ``satukanal demo`` as a real process on the embedded default."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from monitor import read_import_file
from publisher import tweet_length
from satukanal.demo.runner import demo_posts_path
from satukanal.tuban import KECAMATAN
from tests.live_server import SATUKANAL, clean_env, free_port, logged_in, running


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([SATUKANAL, *args], cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=300)


def copy_model(model_path: Path, folder: Path) -> None:
    """The session's trained model where the demo looks for it, so the demo does not train its own."""
    models = folder / "data" / "models"
    models.mkdir(parents=True)
    for part in model_path.parent.iterdir():
        shutil.copy(part, models / part.name)


@pytest.mark.slow
def test_demo_runs_the_whole_path_into_the_outbox(tmp_path: Path, model_path: Path):
    copy_model(model_path, tmp_path)

    result = run(["demo"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    posts = int(lines["Unggahan"].split()[0])
    assert posts == sum(1 for line in read_import_file(demo_posts_path()))
    outbox = Path(lines["Outbox"])
    assert outbox.parent == tmp_path / "data" / "demo" / "outbox"
    thread = json.loads((outbox / "x-thread.json").read_text(encoding="utf-8"))
    assert len(thread) >= 2 and all(tweet_length(tweet) <= 280 for tweet in thread)
    caption = (outbox / "instagram-caption.txt").read_text(encoding="utf-8")
    assert "REKAP ADUAN PEKANAN" in caption
    assert "menunggu di antrean: 0" not in result.stdout
    assert "Login demo (kata sandi demo-satukanal): moderator (moderator), pdam (agency)" in result.stdout
    assert "satukanal demo --serve" in result.stdout, "without a terminal it does not block on serving"

    again = run(["demo"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[1] == result.stdout.splitlines()[1]


def test_demo_posts_are_all_valid_and_cover_every_kecamatan():
    lines = list(read_import_file(demo_posts_path()))
    assert len(lines) >= 300
    assert [line.error for line in lines if line.record is None] == []
    text = " ".join(line.record.text.lower() for line in lines)
    assert [name for name in KECAMATAN if name.lower() not in text] == []


@pytest.mark.slow
def test_demo_serve_opens_the_web_app_on_the_demo_database(tmp_path: Path, model_path: Path):
    copy_model(model_path, tmp_path)
    port = free_port()
    (tmp_path / "demo.toml").write_text(f"[web]\nport = {port}\nworkers = 2\n", encoding="utf-8")
    with running(["--config", "demo.toml", "demo", "--serve"], tmp_path, "Aplikasi web demo: http://"):
        _, queue = logged_in(f"http://127.0.0.1:{port}", "moderator", "demo-satukanal")
        assert "Antrean moderasi" in queue and queue.count('class="card') >= 20
