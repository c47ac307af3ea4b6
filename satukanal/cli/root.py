"""The root command group, its shared state, and how errors reach the user."""

from __future__ import annotations

import getpass
import logging
import os
from functools import cached_property

import click

from satukanal import __version__
from satukanal.config.settings import ConfigError, Settings, load_settings
from satukanal.db import check_sqlite_folder
from satukanal.wiring import App

ACTOR_ENV = "SATUKANAL_ACTOR"
# Their debug logs carry credentials or citizens' data, so they stay at INFO whatever -vv asks: request headers
# and whole answers (tweepy, instagrapi), the X consumer key and access token in OAuth 1 signing (oauthlib,
# requests_oauthlib), and every request's address with its query, such as signed links to media in private
# messages (urllib3).
CHATTY_LIBRARIES = (
    "tweepy",
    "instagrapi",
    "private_request",
    "public_request",
    "graphql_request",
    "oauthlib",
    "requests_oauthlib",
    "urllib3",
)
# Errors that are the user's to fix: shown as one line, never as a traceback. They are named, not imported, so
# that a command imports only the libraries it uses (an error can only come from a module its command loaded).
USER_ERRORS = frozenset(
    {
        "classifier.dataset.DatasetError",
        "classifier.model.TrainingError",
        "classifier.storage.ModelFileError",
        "monitor.importfile.ImportFileError",
        "publisher.render.RenderError",
        "satukanal.notifications.delivery.NotifyConfigError",
        "satukanal.notifications.preferences.PreferenceError",
        "satukanal.ownership.service.OwnershipError",
        "satukanal.platforms.channels.ChannelSetupError",
        "satukanal.db.DatabaseError",
        "satukanal.demo.runner.DemoError",
        "satukanal.publishing.ledger.PublishingError",
        "satukanal.review.service.ReviewError",
        "satukanal.tickets.service.TicketError",
        "satukanal.users.service.UserError",
        "satukanal.web.server.ServerError",
    }
)


class ConfigProblem(click.ClickException):
    exit_code = 2

    def format_message(self) -> str:
        return f"configuration: {self.message}"


class State:
    """What every command may need, built on first use."""

    def __init__(self, config_path: str | None, actor: str) -> None:
        self.config_path = config_path
        self.actor = actor

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.config_path)

    def app(self, check_schema: bool = True) -> App:
        """The command's ``App``; its connections close when the command ends."""
        check_sqlite_folder(self.settings.database_url, self.settings.data_dir)
        app = App(self.settings, check_schema=check_schema)
        click.get_current_context().call_on_close(app.close)
        return app


class Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise ConfigProblem(str(exc)) from None
        except Exception as exc:
            if is_user_error(exc):
                raise click.ClickException(str(exc)) from None
            raise


def is_user_error(exc: Exception) -> bool:
    """Whether ``exc`` is one of the ``USER_ERRORS`` or derives from one."""
    return any(f"{kind.__module__}.{kind.__qualname__}" in USER_ERRORS for kind in type(exc).__mro__)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="SATUKANAL_CONFIG",
    help="TOML configuration file (default: none; built-in defaults apply). Env: SATUKANAL_CONFIG.",
)
@click.option(
    "--actor",
    default=lambda: os.environ.get(ACTOR_ENV) or f"cli:{getpass.getuser()}",
    show_default="cli:<login name>",
    help=f"Name recorded in the audit log for this command's actions. Env: {ACTOR_ENV}.",
)
@click.option("-v", "--verbose", count=True, help="Log more (-v: progress, -vv: debug).")
@click.version_option(__version__, prog_name="satukanal")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, actor: str, verbose: int) -> None:
    """SatuKanal: Tuban's complaints on Instagram and X, collected, classified,
    moderated, handed to SP4N-LAPOR! and reported back every week.

    With no configuration it works on the embedded default: a SQLite file in
    ./data, the import folder ./data/inbox and the outbox ./data/outbox.
    """
    logging.basicConfig(
        level=(logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)],
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for library in CHATTY_LIBRARIES:
        logging.getLogger(library).setLevel(logging.INFO)
    ctx.obj = State(config_path, actor)


def main() -> None:
    cli(prog_name="satukanal")
