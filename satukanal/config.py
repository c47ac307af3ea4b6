"""Settings: built-in defaults, then an optional TOML file, then the environment.

The file sets everything that is not a secret. Secrets (and the database URL,
which may carry a password) come only from the environment. Relative paths
resolve against the working directory.

Environment variables read here and nowhere else:

- ``SATUKANAL_CONFIG``: path of the TOML file (``--config`` wins over it).
- ``SATUKANAL_DATABASE_URL``: SQLAlchemy URL; default is a SQLite file in the
  data folder.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

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

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line naming the key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlatformAccounts(_Section):
    """Accounts on one platform: the ones we watch, and the ones that are ours."""

    watched: list[str] = Field(default_factory=list)
    own: list[str] = Field(default_factory=list)

    @field_validator("watched", "own")
    @classmethod
    def _strip_at(cls, handles: list[str]) -> list[str]:
        return [handle.strip().lstrip("@").lower() for handle in handles if handle.strip()]


class Accounts(_Section):
    x: PlatformAccounts = PlatformAccounts(watched=["laportuban"], own=["laportuban", "pemkabtuban"])
    instagram: PlatformAccounts = PlatformAccounts(watched=["laportuban"], own=["laportuban", "pemkabtuban"])

    def own_handles(self, platform: str) -> frozenset[str]:
        """Handles whose posts are ours: watched accounts count as ours too."""
        accounts = getattr(self, platform, None)
        if accounts is None:
            return frozenset()
        return frozenset(accounts.watched) | frozenset(accounts.own)


class _SourceBase(_Section):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    interval_minutes: int = Field(default=15, ge=1, le=24 * 60)
    enabled: bool = True


class ImportFolderSource(_SourceBase):
    """A folder watched for JSONL/CSV import files (WhatsApp, phone, e-mail complaints typed up by staff)."""

    type: Literal["import_folder"]
    path: Path


class XMentionsSource(_SourceBase):
    """Mentions of watched X accounts (``GET /2/users/:id/mentions``)."""

    type: Literal["x_mentions"]
    accounts: list[str] | None = None
    """Handles whose mentions are read; default ``accounts.x.watched``."""

    @field_validator("accounts")
    @classmethod
    def _strip_at(cls, handles: list[str] | None) -> list[str] | None:
        return None if handles is None else [handle.strip().lstrip("@").lower() for handle in handles if handle.strip()]


class XSearchSource(_SourceBase):
    """Recent tweets matching a search query (``GET /2/tweets/search/recent``, the last 7 days)."""

    type: Literal["x_search"]
    query: str = Field(min_length=1, max_length=512)


INSTAGRAM_STREAMS = ("tags", "comments", "hashtags", "direct")


class InstagramSource(_SourceBase):
    """What reaches the office's Instagram account: tags, comments on its posts, hashtags, direct messages."""

    type: Literal["instagram"]
    streams: list[Literal["tags", "comments", "hashtags", "direct"]] = Field(
        default_factory=lambda: list(INSTAGRAM_STREAMS), min_length=1
    )
    hashtags: list[str] = Field(default_factory=list)
    recent_posts: int = Field(default=12, ge=1, le=50)
    """How many of the account's latest posts are watched for new comments."""

    @field_validator("hashtags")
    @classmethod
    def _strip_hash(cls, tags: list[str]) -> list[str]:
        return [tag.strip().lstrip("#").lower() for tag in tags if tag.strip()]


Source = Annotated[ImportFolderSource | XMentionsSource | XSearchSource | InstagramSource, Field(discriminator="type")]
SOURCE_TYPES = ("import_folder", "x_mentions", "x_search", "instagram")


class Collect(_Section):
    """How collectors treat the platforms: retries, waits, broken sources, thumbnails."""

    retry_attempts: int = Field(default=4, ge=1, le=10)
    retry_wait_seconds: float = Field(default=5, ge=0, le=600)
    """Wait after a server or network error; it doubles with each further attempt."""
    rate_limit_wait_max_seconds: float = Field(default=900, ge=0, le=3600)
    """Longest wait for a rate limit to reset before the source gives up until its next run."""
    broken_retry_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)
    """A broken source is tried again by the scheduler no sooner than this."""
    stale_after_intervals: int = Field(default=4, ge=2, le=100)
    """A source without a success for this many intervals counts as stale."""
    max_pages: int = Field(default=50, ge=1, le=1000)
    """Pages one run reads per feed; a backfill (``--since``) has no limit."""
    thumbnails: bool = False
    """Download preview images for the moderation queue."""
    thumbnail_max_bytes: int = Field(default=512 * 1024, ge=1024, le=10 * 1024 * 1024)
    thumbnails_per_post: int = Field(default=4, ge=1, le=10)


class Agency(_Section):
    """A Tuban agency (OPD) and the complaint categories routed to it."""

    name: str = Field(min_length=1)
    categories: list[str] = Field(default_factory=list)


class ClassifierSettings(_Section):
    model_path: Path | None = None
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)


class Schedule(_Section):
    weekly_recap_day: str = "mon"
    weekly_recap_time: str = Field(default="08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    misfire_grace_minutes: int = Field(default=6 * 60, ge=1)

    @field_validator("weekly_recap_day")
    @classmethod
    def _weekday(cls, day: str) -> str:
        day = day.strip().lower()[:3]
        if day not in WEEKDAYS:
            raise ValueError(f"must be one of {', '.join(WEEKDAYS)}")
        return day


class Publish(_Section):
    channels: list[Literal["outbox", "x", "instagram"]] = Field(default_factory=lambda: ["outbox"], min_length=1)
    outbox_dir: Path | None = None
    templates_dir: Path | None = None
    hashtags: list[str] = Field(default_factory=lambda: ["LaporTuban", "TubanBumiWali", "LaporanMingguan"])
    highlights: int = Field(default=3, ge=0, le=10)
    require_approval: bool = False
    retry_attempts: int = Field(default=4, ge=1, le=10)
    retry_wait_seconds: float = Field(default=30, ge=0, le=3600)
    """The wait before the second attempt; it doubles with each further one, up to ``retry_wait_max_seconds``."""
    retry_wait_max_seconds: float = Field(default=900, ge=0, le=6 * 3600)


class Instagram(_Section):
    """The Instagram account we publish with (and, later, collect with)."""

    username: str | None = None
    session_file: Path = Path("~/.config/satukanal/instagram-session.json")
    """instagrapi's saved session, written with mode 0600; keep it outside the repository."""
    request_delay_seconds: tuple[float, float] = (1.0, 3.0)


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


class Clocks(_Section):
    """The LAPOR! time limits (DOMAIN.md); working days unless the name says otherwise."""

    verification_days: int = Field(default=3, ge=1, le=60)
    forwarding_days: int = Field(default=3, ge=1, le=60)
    follow_up_days: int = Field(default=5, ge=1, le=60)
    ombudsman_days: int = Field(default=60, ge=1, le=365)
    due_soon_days: int = Field(default=1, ge=0, le=10)


class Web(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    secret_key_file: Path | None = None
    secure_cookies: bool = False
    workers: int = Field(default_factory=lambda: 2 * (os.cpu_count() or 1) + 1, ge=1, le=64)
    """Server processes; gunicorn's usual 2 × cores + 1."""
    threads: int = Field(default=1, ge=1, le=64)
    """Threads per process. Pages are CPU work under the interpreter lock: more processes beat more threads."""


DEFAULT_AGENCIES: dict[str, dict] = {
    "pupr": {"name": "Dinas PUPR PRKP", "categories": ["jalan_jembatan", "drainase", "penerangan_jalan"]},
    "dlhp": {"name": "DLHP", "categories": ["sampah", "parkir_lalu_lintas"]},
    "dinsos": {"name": "Dinsos P3A PMD", "categories": ["bansos"]},
    "disdukcapil": {"name": "Disdukcapil", "categories": ["adminduk"]},
    "dindik": {"name": "Dinas Pendidikan", "categories": ["pendidikan"]},
    "dinkes": {"name": "Dinas Kesehatan", "categories": ["kesehatan"]},
    "pdam": {"name": "Perumda Air Minum Tirta Lestari", "categories": ["air_minum"]},
    "satpolpp": {"name": "Satpol PP", "categories": ["ketertiban"]},
    "bpbd": {"name": "BPBD", "categories": ["bencana"]},
    "diskominfo": {"name": "Diskominfo-SP", "categories": ["lainnya"]},
}


class FileSettings(_Section):
    """The TOML file's shape; every key is optional."""

    data_dir: Path = Path("data")
    timezone: str = "Asia/Jakarta"
    accounts: Accounts = Accounts()
    sources: list[Source] | None = None
    classifier: ClassifierSettings = ClassifierSettings()
    schedule: Schedule = Schedule()
    publish: Publish = Publish()
    instagram: Instagram = Instagram()
    collect: Collect = Collect()
    web: Web = Web()
    clocks: Clocks = Clocks()
    agencies: dict[str, Agency] = Field(
        default_factory=lambda: {key: Agency(**value) for key, value in DEFAULT_AGENCIES.items()}
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r}") from None
        return name

    @model_validator(mode="after")
    def _unique_names(self) -> FileSettings:
        if self.sources is not None:
            names = [source.name for source in self.sources]
            duplicated = sorted({name for name in names if names.count(name) > 1})
            if duplicated:
                raise ValueError(f"sources: duplicate name {duplicated[0]!r}")
        owners: dict[str, str] = {}
        for key, agency in self.agencies.items():
            for category in agency.categories:
                if category in owners:
                    raise ValueError(
                        f"agencies: category {category!r} belongs to both {owners[category]!r} and {key!r}"
                    )
                owners[category] = key
        return self


@dataclass(frozen=True)
class Settings:
    """Everything the application needs, resolved to absolute paths."""

    data_dir: Path
    database_url: str
    timezone: ZoneInfo
    accounts: Accounts
    sources: tuple[Source, ...]
    model_path: Path
    threshold: float | None
    schedule: Schedule
    channels: tuple[str, ...]
    outbox_dir: Path
    templates_dir: Path | None
    hashtags: tuple[str, ...]
    highlights: int
    agencies: dict[str, Agency]
    web: Web = Web()
    clocks: Clocks = Clocks()
    publish: Publish = Publish()
    instagram: Instagram = Instagram()
    collect: Collect = Collect()
    x_credentials: XCredentials | None = field(default=None, repr=False)
    # The X app's bearer token (app-only OAuth 2.0): enough to read mentions and search.
    x_bearer_token: str | None = field(default=None, repr=False)
    instagram_login: InstagramLogin = field(default=InstagramLogin(), repr=False)
    # The web app's session signing key: SATUKANAL_SECRET_KEY, else read from (or
    # created in) ``secret_key_file``. Never written to the database or the logs.
    secret_key: str | None = field(default=None, repr=False)
    secret_key_file: Path | None = None
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
        sources = [ImportFolderSource(name="inbox", type="import_folder", path=parsed.data_dir / "inbox")]
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
        model_path=_absolute(parsed.classifier.model_path or data_dir / "models" / "complaint.skops", cwd),
        threshold=parsed.classifier.threshold,
        schedule=parsed.schedule,
        channels=tuple(parsed.publish.channels),
        outbox_dir=_absolute(parsed.publish.outbox_dir or data_dir / "outbox", cwd),
        templates_dir=_absolute(parsed.publish.templates_dir, cwd) if parsed.publish.templates_dir else None,
        hashtags=tuple(parsed.publish.hashtags),
        highlights=parsed.publish.highlights,
        agencies=dict(parsed.agencies),
        web=parsed.web,
        clocks=parsed.clocks,
        publish=parsed.publish,
        collect=parsed.collect,
        instagram=parsed.instagram.model_copy(
            update={"session_file": _absolute(parsed.instagram.session_file.expanduser(), cwd)}
        ),
        x_credentials=_x_credentials(environ),
        x_bearer_token=environ.get(X_BEARER_TOKEN_ENV) or None,
        instagram_login=InstagramLogin(
            password=environ.get(INSTAGRAM_PASSWORD_ENV) or None, sessionid=environ.get(INSTAGRAM_SESSIONID_ENV) or None
        ),
        secret_key=environ.get(SECRET_KEY_ENV) or None,
        secret_key_file=_absolute(parsed.web.secret_key_file or data_dir / "web-secret-key", cwd),
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
