"""Shared fixtures: a real database per test (SQLite file, or PostgreSQL when asked), settings, a trained model,
the web app with its users and a test ``client`` that ``login`` signs in, the fake X and Instagram, and the stored
posts, tickets and week that several test modules start from.

Set ``SATUKANAL_TEST_DATABASE_URL`` (e.g. ``postgresql://postgres@127.0.0.1:5432/test``)
to run the database tests on that server instead of a temporary SQLite file; the
tests that do not use the database are then left out (they ran on SQLite).
"""

from __future__ import annotations

import os
import socket
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from classifier import ComplaintModel, load_model, save_model
from classifier.default_model import shipped_model_path
from satukanal.config.settings import load_settings
from satukanal.db import make_engine, upgrade
from satukanal.models import Base
from satukanal.review.service import confirm
from satukanal.tickets.service import TicketChoices
from satukanal.users.service import add_user
from satukanal.wiring import App
from tests.browser_helpers import CHROMIUM
from tests.factories import COMPLAINT, add_posts, record
from tests.publishing_helpers import fill_busy_week
from tests.web_helpers import PASSWORD, log_in, web_app

pytest_plugins = ["tests.platform_fixtures"]

TEST_DATABASE_ENV = "SATUKANAL_TEST_DATABASE_URL"


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, run the tests that use the database, except the slow model-training ones.

    Everything else ran on SQLite already and does not depend on the server;
    the slow tests spend their time training models, not talking to it.
    """
    if not os.environ.get(TEST_DATABASE_ENV):
        return
    kept = [item for item in items if "clean_database" in item.fixturenames and not item.get_closest_marker("slow")]
    dropped = [item for item in items if item not in kept]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Tests never reach beyond this machine: only loopback and Unix sockets may connect."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if not (host.startswith("127.") or host in ("::1", "localhost")):
                raise OSError(f"network access in tests is blocked: {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


_LOADED_MODELS: dict[tuple, ComplaintModel] = {}
LOADED_MODELS_KEPT = 2


def _load_model_once(path: Path, task: str | None = None) -> ComplaintModel:
    """``load_model``, remembered per unchanged file: loading a skops model takes seconds, and
    most tests score with the same session model. A changed file (new mtime or size) loads again."""
    if not Path(path).is_file():
        return load_model(path, task=task)
    status = Path(path).stat()
    key = (str(Path(path).resolve()), status.st_mtime_ns, status.st_size, task)
    if key not in _LOADED_MODELS:
        while len(_LOADED_MODELS) >= LOADED_MODELS_KEPT:
            del _LOADED_MODELS[next(iter(_LOADED_MODELS))]
        _LOADED_MODELS[key] = load_model(path, task=task)
    return _LOADED_MODELS[key]


@pytest.fixture(autouse=True)
def models_load_once(monkeypatch):
    monkeypatch.setattr("satukanal.classifier.model_file.load_model", _load_model_once)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get(TEST_DATABASE_ENV)
    if url:
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade(engine)
        engine.dispose()
        return url
    path = tmp_path_factory.mktemp("db") / "satukanal.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return f"sqlite:///{path}"


@pytest.fixture
def clean_database(database_url: str) -> str:
    """The migrated test database, emptied before the test."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:
            connection.execute(text("UPDATE posts SET classification_id = NULL"))
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
    engine.dispose()
    return database_url


@pytest.fixture(scope="session")
def seed_model() -> ComplaintModel:
    """The default model as shipped in the package (``classifier.default_model``)."""
    return load_model(shipped_model_path())


@pytest.fixture(scope="session")
def model_path(tmp_path_factory, seed_model: ComplaintModel) -> Path:
    path = tmp_path_factory.mktemp("model") / "complaint.skops"
    save_model(seed_model, path)
    return path


@pytest.fixture
def config_file(tmp_path: Path, model_path: Path) -> Path:
    """A configuration for the test's own folder, using the session's trained model."""
    path = tmp_path / "satukanal.toml"
    path.write_text(
        f'data_dir = "{tmp_path / "data"}"\n\n[classifier]\nmodel_path = "{model_path}"\n', encoding="utf-8"
    )
    return path


@pytest.fixture
def env(clean_database: str, config_file: Path) -> dict[str, str]:
    """Environment for running the CLI against the test database and configuration."""
    return {"SATUKANAL_DATABASE_URL": clean_database, "SATUKANAL_CONFIG": str(config_file), "SATUKANAL_ACTOR": "tester"}


@pytest.fixture
def settings(env: dict[str, str], tmp_path: Path):
    return load_settings(environ=env, cwd=tmp_path)


@pytest.fixture
def app(settings):
    application = App(settings)
    yield application
    application.close()


@pytest.fixture
def unscored_app(settings):
    """An app whose model file is missing and not bootstrapped: posts stay unscored."""
    application = App(
        replace(
            settings,
            classifier=settings.classifier.model_copy(update={"model_path": settings.data_dir / "missing.skops"}),
            bootstrap_model=False,
        )
    )
    yield application
    application.close()


@pytest.fixture
def cli_run(env):
    """Run the real CLI in-process against the test database; returns click's Result."""
    from click.testing import CliRunner

    from satukanal.cli import cli

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def web(app):
    """The web app in testing mode, with a moderator ``moderator1`` and a viewer ``pengamat``."""
    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator1", "moderator", PASSWORD, "test")
        add_user(session, app.settings, "pengamat", "viewer", PASSWORD, "test")
    return web_app(app)


@pytest.fixture
def client(web):
    """A test client of ``web``: one browser, not logged in yet (see ``login``)."""
    return web.test_client()


@pytest.fixture
def login(client):
    """Logs ``client`` in through the login form, like flaskr's ``auth.login``: ``login()`` as moderator1,
    ``login("pengamat")``, ``login(password="salah")``, ``login(next_page=...)``; returns the form's answer."""

    def log_in_client(username: str = "moderator1", password: str = PASSWORD, next_page: str = ""):
        return log_in(client, username, password, next_page)

    return log_in_client


@pytest.fixture
def two_tickets(app, web):
    """A PDAM ticket and a PUPR ticket, and a PDAM liaison."""
    water, road = add_posts(
        app,
        record(id="1", text=COMPLAINT),
        record(id="2", text="Min, jalan di Desa Sugihwaras Kec. Jenu rusak parah, 50% berlubang. Hub 081234567890"),
    )
    with app.sessions.begin() as session:
        add_user(session, app.settings, "liaison-pdam", "agency", PASSWORD, "test", agency="pdam")
        numbers = [
            confirm(session, app.settings, water, "test").ticket.number,
            confirm(session, app.settings, road, "test", TicketChoices(category="jalan_jembatan")).ticket.number,
        ]
    return numbers


@pytest.fixture
def busy_week(app):
    """Posts in weeks 46 and 47, one confirmed and resolved in 47, one rejected, one own reply.

    Week 47 is ``tests.publishing_helpers.WEEK``; ``AFTER`` there is the moment it is over.
    """
    fill_busy_week(app)
    return app


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium through Playwright, launched once for the whole session (see ``browser``)."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def browser(chromium):
    """The session's browser; what a test opens in it (``new_page``, ``new_context``) is closed after the test."""
    yield chromium
    for context in chromium.contexts:
        context.close()
