"""The quick start's main job: ``satukanal demo`` as a real process on the embedded default."""

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from monitor import read_import_file
from publisher import Week, tweet_length
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
    with Image.open(outbox / "card-1.png") as card:
        assert (card.format, card.size) == ("PNG", (1080, 1350))
    assert "menunggu di antrean: 0" not in result.stdout
    assert "Login demo (kata sandi demo-satukanal): moderator (moderator), pdam (agency)" in result.stdout
    assert "satukanal demo --serve" in result.stdout, "without a terminal it does not block on serving"

    again = run(["demo"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[1] == result.stdout.splitlines()[1]


@pytest.mark.slow
def test_publish_weekly_on_the_demo_database_writes_the_outbox_once(tmp_path: Path, model_path: Path):
    copy_model(model_path, tmp_path)
    assert run(["demo"], tmp_path).returncode == 0
    demo = tmp_path / "data" / "demo"
    (tmp_path / "demo.toml").write_text(
        f'data_dir = "{demo}"\n[classifier]\nmodel_path = "{tmp_path / "data" / "models" / "complaint.skops"}"\n',
        encoding="utf-8",
    )
    week = Week.containing(datetime.now(ZoneInfo("Asia/Jakarta")).date()).shifted(-2)  # older than the demo's week
    first = run(["--config", "demo.toml", "publish", "weekly", "--week", week.label, "--channel", "outbox"], tmp_path)
    assert first.returncode == 0, first.stderr
    folder = demo / "outbox" / f"weekly-{week.label}"
    names = sorted(path.name for path in folder.iterdir())
    assert names[0] == "card-1.png" and names[-2:] == ["instagram-caption.txt", "x-thread.json"]
    with Image.open(folder / "card-1.png") as card:
        assert card.size == (1080, 1350)
    written = {path: path.stat().st_mtime_ns for path in (demo / "outbox").rglob("*")}
    second = run(["--config", "demo.toml", "publish", "weekly", "--week", week.label, "--channel", "outbox"], tmp_path)
    assert second.returncode == 0 and "sudah pernah diterbitkan" in second.stdout
    assert {path: path.stat().st_mtime_ns for path in (demo / "outbox").rglob("*")} == written, "nothing new"


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
