"""Operating safely: debug logs without keys, a private database file, one-line errors for bad paths and ports."""

import logging
import socket
import stat
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from requests_oauthlib import OAuth1

from satukanal.cli import cli
from satukanal.config.settings import load_settings
from satukanal.db import make_engine, upgrade
from tests.live_server import free_port, run_once

X_KEYS = ("consumer-key-3f9a", "consumer-secret-77c1", "access-token-51be", "token-secret-d20e")


def invoke(environment: dict[str, str], *args: str):
    return CliRunner().invoke(cli, list(args), env=environment, catch_exceptions=False)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_debug_logging_keeps_the_x_keys_out_of_the_log(cli_run, caplog):
    assert cli_run("-vv", "db", "current").exit_code == 0
    caplog.set_level(logging.DEBUG)

    signed = requests.Request("POST", "https://api.x.com/2/tweets", json={"text": "halo"}, auth=OAuth1(*X_KEYS))
    header = signed.prepare().headers["Authorization"].decode()

    assert f'oauth_consumer_key="{X_KEYS[0]}"' in header, "the request was signed"
    assert not any(key in caplog.text for key in X_KEYS)
    assert not logging.getLogger("urllib3.connectionpool").isEnabledFor(logging.DEBUG)


def test_db_upgrade_creates_the_default_database_in_data_dir_for_its_owner_only(env, settings):
    default = {key: value for key, value in env.items() if key != "SATUKANAL_DATABASE_URL"}
    assert not settings.data_dir.exists()

    result = invoke(default, "db", "upgrade")

    assert result.exit_code == 0, result.output
    assert mode(settings.data_dir / "satukanal.db") == 0o600


def test_db_upgrade_leaves_the_mode_of_an_existing_database_alone(env, tmp_path: Path):
    path = tmp_path / "shared.db"
    path.touch()
    path.chmod(0o640)

    result = invoke({**env, "SATUKANAL_DATABASE_URL": f"sqlite:///{path}"}, "db", "upgrade")

    assert result.exit_code == 0, result.output
    assert mode(path) == 0o640


def test_db_upgrade_refuses_to_create_a_missing_folder_outside_data_dir(env, tmp_path: Path):
    folder = tmp_path / "typo" / "db"

    result = invoke({**env, "SATUKANAL_DATABASE_URL": f"sqlite:///{folder / 'satukanal.db'}"}, "db", "upgrade")

    assert result.exit_code == 1
    assert result.output == (
        f"Error: the folder {folder} of the SQLite database does not exist: create it or correct the database URL\n"
    )
    assert not (tmp_path / "typo").exists()


def test_demo_in_a_folder_that_cannot_be_created_is_one_line(cli_run, tmp_path: Path):
    (tmp_path / "file").touch()
    folder = tmp_path / "file" / "sub"

    result = cli_run("demo", "--dir", str(folder), "--no-serve")

    assert result.exit_code == 1
    assert result.output == f"Error: cannot create the demo folder {folder}: Not a directory\n"


def test_serve_on_a_port_in_use_says_so_in_one_line(tmp_path: Path):
    settings = load_settings(environ={}, cwd=tmp_path)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    port = free_port()
    with socket.socket() as other_server:
        other_server.bind(("127.0.0.1", port))
        other_server.listen()
        result = run_once(["serve", "--port", str(port)], tmp_path)

    assert result.returncode == 1
    assert result.stderr == (
        f"Error: 127.0.0.1:{port} is already in use; stop the other server or set web.port (or --port)\n"
    )
    assert result.stdout == "", "gunicorn never started"


@pytest.mark.parametrize(
    "command",
    [
        ("publish", "retry", "9" * 20),
        ("publish", "approve", "1", "9" * 20),
        ("review", "reject", "9" * 20, "--reason", "spam"),
        ("review", "confirm", "9" * 20),
    ],
)
def test_an_id_no_row_can_have_is_a_usage_error(cli_run, command):
    result = cli_run(*command)
    assert result.exit_code == 2
    assert "is not in the range 1<=x<=2147483647" in result.stderr
