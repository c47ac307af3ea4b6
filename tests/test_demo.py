"""The quick start's main job: ``satukanal demo`` as a real process on the embedded default."""

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
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
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "demo.toml").write_text(f"[web]\nport = {port}\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("SATUKANAL_")}
    server = subprocess.Popen(
        [SATUKANAL, "--config", "demo.toml", "demo", "--serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        while not any("Aplikasi web demo: http://" in line for line in lines):
            line = server.stdout.readline()
            assert line, f"the demo stopped: {lines}"
            lines.append(line)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        for _ in range(50):
            try:
                login_page = opener.open(f"http://127.0.0.1:{port}/masuk", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
        form = urllib.parse.urlencode({"username": "moderator", "password": "demo-satukanal", "csrf_token": token})
        queue = opener.open(f"http://127.0.0.1:{port}/masuk", data=form.encode(), timeout=10).read().decode()
        assert "Antrean moderasi" in queue and queue.count('class="card') >= 20
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()
