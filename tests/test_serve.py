"""``satukanal serve``: the production server as a real process, with several workers."""

from pathlib import Path

from satukanal.config.settings import load_settings
from satukanal.db import make_engine, upgrade
from satukanal.users.service import add_user
from satukanal.wiring import App
from tests.live_server import free_port, logged_in, run_once, running
from tests.web_helpers import PASSWORD


def test_serve_without_a_database_schema_says_what_to_run(tmp_path: Path):
    result = run_once(["serve", "--port", str(free_port())], tmp_path)
    assert result.returncode == 1
    assert "satukanal db upgrade" in result.stderr and "Traceback" not in result.stderr


def test_every_worker_honours_the_same_login(tmp_path: Path):
    settings = load_settings(environ={}, cwd=tmp_path)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    app = App(settings)
    with app.sessions.begin() as session:
        add_user(session, settings, "moderator1", "moderator", PASSWORD, "test")
    app.close()
    port = free_port()
    with running(["serve", "--port", str(port), "--workers", "2"], tmp_path, "SatuKanal berjalan di") as server:
        client, first = logged_in(f"http://127.0.0.1:{port}", "moderator1", PASSWORD)
        pages = [first] + [
            client.open(f"http://127.0.0.1:{port}/antrean/", timeout=10).read().decode() for _ in range(12)
        ]
        assert all("Antrean moderasi" in page for page in pages), "no worker sends the user back to the login"
        assert len(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()) == 2
    assert not (tmp_path / ".gunicorn").exists()
