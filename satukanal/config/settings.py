"""Settings: built-in defaults, then an optional TOML file, then the environment.

The file sets everything that is not a secret. Secrets (and the database URL,
which may carry a password) come only from the environment. Relative paths
resolve against the working directory, once, here: every path in ``Settings``
is absolute, and each value lives in one place, its section.

Environment variables read here and nowhere else:

- ``SATUKANAL_CONFIG``: path of the TOML file (``--config`` wins over it).
- ``SATUKANAL_DATABASE_URL``: SQLAlchemy URL; default is a SQLite file in the
  data folder.
- the secrets below (X keys and bearer token, Instagram login, the web app's key, the
  mail server's apprise URL with its password, the Meta app's secret and webhook verify token).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from satukanal.config.sections import (
    AccountsConfig,
    AgencyConfig,
    ClassifierConfig,
    ClocksConfig,
    CollectConfig,
    FileSettings,
    InstagramConfig,
    MetaConfig,
    NotificationsConfig,
    PublishConfig,
    ScheduleConfig,
    WebConfig,
    XSpendConfig,
)
from satukanal.config.sources import SOURCE_TYPES, ImportFolderConfig, SourceConfig

CONFIG_ENV = "SATUKANAL_CONFIG"
DATABASE_URL_ENV = "SATUKANAL_DATABASE_URL"
SECRET_KEY_ENV = "SATUKANAL_SECRET_KEY"
X_CREDENTIAL_ENVS = {
    "consumer_key": "SATUKANAL_X_CONSUMER_KEY",
    "consumer_secret": "SATUKANAL_X_CONSUMER_SECRET",
    "access_token": "SATUKANAL_X_ACCESS_TOKEN",
    "access_token_secret": "SATUKANAL_X_ACCESS_TOKEN_SECRET",
}
X_BEARER_TOKEN_ENV = "SATUKANAL_X_BEARER_TOKEN"
INSTAGRAM_PASSWORD_ENV = "SATUKANAL_INSTAGRAM_PASSWORD"
INSTAGRAM_SESSIONID_ENV = "SATUKANAL_INSTAGRAM_SESSIONID"
SMTP_URL_ENV = "SATUKANAL_SMTP_URL"
META_APP_SECRET_ENV = "SATUKANAL_META_APP_SECRET"
META_VERIFY_TOKEN_ENV = "SATUKANAL_META_VERIFY_TOKEN"
META_ACCESS_TOKEN_ENV = "SATUKANAL_META_ACCESS_TOKEN"


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line naming the key."""


@dataclass(frozen=True)
class XCredentials:
    """OAuth 1.0a user-context keys for the X account, from the environment only (never printed)."""

    consumer_key: str = field(repr=False)
    consumer_secret: str = field(repr=False)
    access_token: str = field(repr=False)
    access_token_secret: str = field(repr=False)


@dataclass(frozen=True)
class InstagramLogin:
    """How to log in to Instagram: a password or a browser session id, from the environment only."""

    password: str | None = None
    sessionid: str | None = None


@dataclass(frozen=True)
class MetaWebhook:
    """What Meta's webhook deliveries are checked with (``satukanal.web.meta_webhook``), from the environment only:
    the app secret that signs every delivery, and the token we chose for the subscription handshake."""

    app_secret: str = field(repr=False)
    verify_token: str = field(repr=False)


@dataclass(frozen=True)
class Settings:
    """Everything the application needs: the file's sections with their paths made absolute, and the secrets."""

    data_dir: Path
    database_url: str
    timezone: ZoneInfo
    accounts: AccountsConfig
    sources: tuple[SourceConfig, ...]
    agencies: dict[str, AgencyConfig]
    # ``model_path`` is always set: the configured file, else the default model in the data folder.
    classifier: ClassifierConfig
    schedule: ScheduleConfig
    # ``outbox_dir`` is always set; ``templates_dir`` is None for the bundled templates.
    publish: PublishConfig
    # ``secret_key_file`` is always set: where the session key is read from (or created in) without
    # SATUKANAL_SECRET_KEY.
    web: WebConfig
    clocks: ClocksConfig
    instagram: InstagramConfig
    collect: CollectConfig
    # ``urls_file`` is absolute when set.
    notifications: NotificationsConfig
    x_spend: XSpendConfig = XSpendConfig()
    meta: MetaConfig = MetaConfig()
    x_credentials: XCredentials | None = field(default=None, repr=False)
    # The X app's bearer token (app-only OAuth 2.0): enough to read mentions and search.
    x_bearer_token: str | None = field(default=None, repr=False)
    instagram_login: InstagramLogin = field(default=InstagramLogin(), repr=False)
    # The web app's session signing key from SATUKANAL_SECRET_KEY. Never written to the database or the logs.
    secret_key: str | None = field(default=None, repr=False)
    # Where notification e-mail goes out: an apprise mail URL from SATUKANAL_SMTP_URL
    # (``mailtos://user:password@mail.example.go.id?from=satukanal@example.go.id``).
    smtp_url: str | None = field(default=None, repr=False)
    # The Instagram webhook endpoint (/webhook/meta) is on only when both Meta values are set.
    meta_webhook: MetaWebhook | None = field(default=None, repr=False)
    # The Graph API access token for ``meta.ig_user_id`` (SATUKANAL_META_ACCESS_TOKEN).
    meta_access_token: str | None = field(default=None, repr=False)
    # True when no model path was configured: a missing default model is then
    # trained from the seed corpus instead of leaving posts unscored.
    bootstrap_model: bool = True
    config_file: Path | None = None

    def agency_for_category(self, category: str | None) -> str | None:
        """The agency key a category is routed to, or ``None`` when no agency claims it."""
        for key, agency in self.agencies.items():
            if category in agency.categories:
                return key
        return None

    def agency_name(self, key: str | None) -> str:
        """The agency's name for people to read; "Belum ditentukan" when none or unknown."""
        agency = self.agencies.get(key or "")
        return agency.name if agency else "Belum ditentukan"

    @property
    def categories(self) -> list[str]:
        return [category for agency in self.agencies.values() for category in agency.categories]


def load_settings(
    config_path: str | Path | None = None,
    environ: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Build settings from defaults, the TOML file and the environment.

    Raises ``ConfigError`` with one line naming the key and the problem.
    """
    environ = dict(os.environ) if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    path = config_path or environ.get(CONFIG_ENV) or None
    raw: dict = {}
    config_file = None
    if path:
        config_file = Path(path)
        raw = _read_toml(config_file)
    try:
        parsed = FileSettings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, config_file)) from None

    data_dir = _absolute(parsed.data_dir, cwd)
    sources = parsed.sources
    if sources is None:
        sources = [ImportFolderConfig(name="inbox", type="import_folder", path=parsed.data_dir / "inbox")]
    sources = tuple(
        source.model_copy(update={"path": _absolute(source.path, cwd)}) if source.type == "import_folder" else source
        for source in sources
    )
    database_url = environ.get(DATABASE_URL_ENV) or f"sqlite:///{data_dir / 'satukanal.db'}"
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        timezone=ZoneInfo(parsed.timezone),
        accounts=parsed.accounts,
        sources=sources,
        agencies=dict(parsed.agencies),
        classifier=parsed.classifier.model_copy(
            update={
                "model_path": _absolute(parsed.classifier.model_path or data_dir / "models" / "complaint.skops", cwd)
            }
        ),
        schedule=parsed.schedule,
        publish=parsed.publish.model_copy(
            update={
                "outbox_dir": _absolute(parsed.publish.outbox_dir or data_dir / "outbox", cwd),
                "templates_dir": _absolute(parsed.publish.templates_dir, cwd) if parsed.publish.templates_dir else None,
            }
        ),
        web=parsed.web.model_copy(
            update={"secret_key_file": _absolute(parsed.web.secret_key_file or data_dir / "web-secret-key", cwd)}
        ),
        clocks=parsed.clocks,
        collect=parsed.collect,
        notifications=parsed.notifications.model_copy(
            update={"urls_file": _absolute(parsed.notifications.urls_file.expanduser(), cwd)}
        )
        if parsed.notifications.urls_file
        else parsed.notifications,
        instagram=parsed.instagram.model_copy(
            update={"session_file": _absolute(parsed.instagram.session_file.expanduser(), cwd)}
        ),
        x_spend=parsed.x_spend,
        x_credentials=_x_credentials(environ),
        x_bearer_token=environ.get(X_BEARER_TOKEN_ENV) or None,
        instagram_login=InstagramLogin(
            password=environ.get(INSTAGRAM_PASSWORD_ENV) or None, sessionid=environ.get(INSTAGRAM_SESSIONID_ENV) or None
        ),
        secret_key=environ.get(SECRET_KEY_ENV) or None,
        smtp_url=environ.get(SMTP_URL_ENV) or None,
        meta_webhook=_meta_webhook(environ),
        meta=parsed.meta,
        meta_access_token=environ.get(META_ACCESS_TOKEN_ENV) or None,
        bootstrap_model=parsed.classifier.model_path is None,
        config_file=config_file,
    )


def _x_credentials(environ: dict[str, str]) -> XCredentials | None:
    """All four X keys, or None when none is set; some but not all is a configuration error."""
    values = {name: environ.get(variable, "") for name, variable in X_CREDENTIAL_ENVS.items()}
    if not any(values.values()):
        return None
    missing = [X_CREDENTIAL_ENVS[name] for name, value in values.items() if not value]
    if missing:
        raise ConfigError(f"X credentials are incomplete: set {', '.join(missing)} as well")
    return XCredentials(**values)


def _meta_webhook(environ: dict[str, str]) -> MetaWebhook | None:
    """Both Meta values, or None when neither is set; one without the other is a configuration error."""
    secret, token = environ.get(META_APP_SECRET_ENV, ""), environ.get(META_VERIFY_TOKEN_ENV, "")
    if not secret and not token:
        return None
    if not (secret and token):
        missing = META_VERIFY_TOKEN_ENV if secret else META_APP_SECRET_ENV
        raise ConfigError(f"the Meta webhook is half configured: set {missing} as well")
    return MetaWebhook(app_secret=secret, verify_token=token)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from None


def _describe(exc: ValidationError, config_file: Path | None) -> str:
    error = exc.errors()[0]
    # A source's errors are located under its type's name (sources.0.x_search.query): drop that part.
    loc = [part for part in error["loc"] if part not in SOURCE_TYPES]
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    elif error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc.append("type")
        message = f"must be one of {', '.join(SOURCE_TYPES)}"
    key = ".".join(str(part) for part in loc) or "(top level)"
    where = f" in {config_file}" if config_file else ""
    return f"{key}: {message}{where}"


def _absolute(path: Path, cwd: Path) -> Path:
    path = path.expanduser()
    return path if path.is_absolute() else cwd / path
