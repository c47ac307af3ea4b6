from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from satukanal.config.settings import ConfigError, load_settings


def test_no_file_gives_the_embedded_default(tmp_path: Path):
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.data_dir == tmp_path / "data"
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'satukanal.db'}"
    assert settings.publish.outbox_dir == tmp_path / "data" / "outbox"
    assert settings.timezone == ZoneInfo("Asia/Jakarta")
    assert [source.name for source in settings.sources] == ["inbox"]
    assert settings.sources[0].path == tmp_path / "data" / "inbox"
    assert settings.publish.channels == ["outbox"]
    assert settings.agency_for_category("air_minum") == "pdam"
    assert settings.bootstrap_model is True


def test_file_overrides_defaults_and_environment_sets_the_database(tmp_path: Path):
    config = tmp_path / "c.toml"
    config.write_text(
        """
data_dir = "var"
timezone = "Asia/Makassar"

[accounts.x]
watched = ["@LaporTuban"]
own = ["dpuprtuban"]

[[sources]]
name = "wa-inbox"
type = "import_folder"
path = "incoming"
interval_minutes = 5

[classifier]
threshold = 0.42

[schedule]
weekly_recap_day = "Tuesday"
weekly_recap_time = "09:30"

[agencies.pupr]
name = "Dinas PUPR PRKP"
categories = ["jalan_jembatan"]
""",
        encoding="utf-8",
    )
    settings = load_settings(config, environ={"SATUKANAL_DATABASE_URL": "postgresql://db/x"}, cwd=tmp_path)
    assert settings.data_dir == tmp_path / "var"
    assert settings.database_url == "postgresql://db/x"
    assert settings.timezone == ZoneInfo("Asia/Makassar")
    assert settings.accounts.own_handles("x") == {"laportuban", "dpuprtuban"}
    assert settings.sources[0].path == tmp_path / "incoming"
    assert settings.sources[0].interval_minutes == 5
    assert settings.classifier.threshold == 0.42
    assert settings.schedule.weekly_recap_day == "tue"
    assert list(settings.agencies) == ["pupr"]
    assert settings.categories == ["jalan_jembatan"]


def test_config_path_may_come_from_the_environment(tmp_path: Path):
    config = tmp_path / "c.toml"
    config.write_text('data_dir = "elsewhere"\n', encoding="utf-8")
    settings = load_settings(environ={"SATUKANAL_CONFIG": str(config)}, cwd=tmp_path)
    assert settings.data_dir == tmp_path / "elsewhere"
    assert settings.config_file == config


@pytest.mark.parametrize(
    "content, expected",
    [
        ("[classifier]\nthreshold = 1.5\n", "classifier.threshold: Input should be less than or equal to 1"),
        ('timezone = "Mars/Olympus"\n', "timezone: unknown time zone 'Mars/Olympus'"),
        ('[schedule]\nweekly_recap_day = "someday"\n', "schedule.weekly_recap_day: must be one of"),
        ('[schedule]\nweekly_recap_time = "25:00"\n', "schedule.weekly_recap_time: String should match pattern"),
        ("[classifier]\napi_key = 'x'\n", "classifier.api_key: unknown key"),
        (
            "[web]\ndashboard_cache_seconds = -1\n",
            "web.dashboard_cache_seconds: Input should be greater than or equal to 0",
        ),
        (
            '[[sources]]\nname = "a"\ntype = "ftp"\npath = "x"\n',
            "sources.0.type: must be one of import_folder, x_mentions, x_search, instagram",
        ),
        (
            '[agencies.a]\nname = "A"\ncategories = ["jalan"]\n[agencies.b]\nname = "B"\ncategories = ["jalan"]\n',
            "category 'jalan' belongs to both 'a' and 'b'",
        ),
    ],
)
def test_invalid_configuration_names_the_key_and_the_problem(tmp_path: Path, content: str, expected: str):
    config = tmp_path / "c.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(config, environ={}, cwd=tmp_path)
    message = str(error.value)
    assert expected in message
    assert "\n" not in message


def test_unparseable_and_missing_files_are_clear_errors(tmp_path: Path):
    broken = tmp_path / "broken.toml"
    broken.write_text("data_dir = [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_settings(broken, environ={}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", environ={}, cwd=tmp_path)


def test_cli_reports_invalid_configuration_in_one_line_with_exit_code_2(tmp_path: Path):
    from click.testing import CliRunner

    from satukanal.cli import cli

    config = tmp_path / "c.toml"
    config.write_text("[classifier]\nthreshold = 'high'\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "review", "list"])
    assert result.exit_code == 2
    expected = "Input should be a valid number, unable to parse string as a number"
    assert result.stderr.strip().splitlines() == [f"Error: configuration: classifier.threshold: {expected} in {config}"]
