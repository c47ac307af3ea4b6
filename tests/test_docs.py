"""Every command describes itself, and the README documents every command and configuration key."""

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from satukanal.cli import cli
from satukanal.config.sections import FileSettings
from satukanal.config.sources import (
    ImportFolderConfig,
    InstagramGraphSourceConfig,
    InstagramSourceConfig,
    XMentionsConfig,
    XSearchConfig,
)

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from command_paths(command, prefix + (name,))


COMMANDS = list(command_paths(cli))
SOURCE_MODELS = (ImportFolderConfig, XMentionsConfig, XSearchConfig, InstagramSourceConfig, InstagramGraphSourceConfig)


def config_keys(model: type[BaseModel], prefix: str = ""):
    for name, field in model.model_fields.items():
        annotation = field.annotation
        nested = getattr(annotation, "model_fields", None)
        if name == "agencies":
            yield "agencies.KEY.name"
            yield "agencies.KEY.categories"
        elif name == "sources":
            yield "sources"
            for source_type in SOURCE_MODELS:
                yield from (f"sources[].{source_field}" for source_field in source_type.model_fields)
        elif nested and name == "accounts":
            for platform in annotation.model_fields:
                yield f"accounts.{platform}.watched"
                yield f"accounts.{platform}.own"
        elif nested:
            yield from config_keys(annotation, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert len(result.stdout.splitlines()) > 4
    assert f"satukanal {' '.join(path)}" in README


def test_every_command_has_a_description():
    undescribed = [" ".join(path) for path, command in COMMANDS if not (command.help or "").strip()]
    assert undescribed == []


def test_every_configuration_key_is_in_the_readme():
    keys = list(config_keys(FileSettings))
    assert "classifier.threshold" in keys and "schedule.weekly_recap_time" in keys
    missing = [key for key in keys if f"`{key}`" not in README]
    assert missing == []


def test_the_root_help_and_version():
    result = CliRunner().invoke(cli, ["--help"])
    assert "Tuban" in result.stdout
    assert CliRunner().invoke(cli, ["--version"]).stdout.startswith("satukanal, version ")
