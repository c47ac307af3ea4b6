"""The quick start's main job: ``satukanal demo`` as a real process on the embedded default."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from monitor import read_import_file
from publisher import tweet_length
from satukanal.demo.runner import demo_posts_path
from satukanal.tuban import KECAMATAN

SATUKANAL = shutil.which("satukanal", path=str(Path(sys.executable).parent)) or "satukanal"


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SATUKANAL_")}
    return subprocess.run([SATUKANAL, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_demo_runs_the_whole_path_into_the_outbox(tmp_path: Path, model_path: Path):
    models = tmp_path / "data" / "models"
    models.mkdir(parents=True)
    for part in model_path.parent.iterdir():
        shutil.copy(part, models / part.name)

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

    again = run(["demo"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[1] == result.stdout.splitlines()[1]


def test_demo_posts_are_all_valid_and_cover_every_kecamatan():
    lines = list(read_import_file(demo_posts_path()))
    assert len(lines) >= 300
    assert [line.error for line in lines if line.record is None] == []
    text = " ".join(line.record.text.lower() for line in lines)
    assert [name for name in KECAMATAN if name.lower() not in text] == []
