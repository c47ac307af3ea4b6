"""The configuration file's sections (``satukanal.toml``), validated with pydantic; every key is optional.

The section classes end in ``Config`` so that they never read like the domain
objects they configure (``monitor.ImportFolderSource``, ``tickets.clocks.Clock``).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from satukanal.config.base import Section
from satukanal.config.sources import SourceConfig

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class PlatformAccounts(Section):
    """Accounts on one platform: the ones we watch, and the ones that are ours."""

    watched: list[str] = Field(default_factory=list)
    own: list[str] = Field(default_factory=list)

    @field_validator("watched", "own")
    @classmethod
    def _strip_at(cls, handles: list[str]) -> list[str]:
        return [handle.strip().lstrip("@").lower() for handle in handles if handle.strip()]


class AccountsConfig(Section):
    x: PlatformAccounts = PlatformAccounts(watched=["laportuban"], own=["laportuban", "pemkabtuban"])
    instagram: PlatformAccounts = PlatformAccounts(watched=["laportuban"], own=["laportuban", "pemkabtuban"])

    def own_handles(self, platform: str) -> frozenset[str]:
        """Handles whose posts are ours: watched accounts count as ours too."""
        accounts = getattr(self, platform, None)
        if accounts is None:
            return frozenset()
        return frozenset(accounts.watched) | frozenset(accounts.own)


class CollectConfig(Section):
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


class AgencyConfig(Section):
    """A Tuban agency (OPD) and the complaint categories routed to it."""

    name: str = Field(min_length=1)
    categories: list[str] = Field(default_factory=list)


LEARNABLE_PLATFORMS = ("whatsapp", "sms", "phone", "email", "web")
"""Where posts come to the office directly: their senders wrote to us, and no platform's terms stand between
those texts and a model. X's developer guidelines forbid training models on X data."""


class ClassifierConfig(Section):
    model_path: Path | None = None
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    learn_from: list[str] = Field(default_factory=lambda: list(LEARNABLE_PLATFORMS))
    """The platforms whose moderated posts ``classifier retrain`` learns from; add ``instagram`` once the office
    has settled that Meta's terms allow it."""

    @field_validator("learn_from")
    @classmethod
    def _known_platforms(cls, platforms: list[str]) -> list[str]:
        from monitor.records import PLATFORMS

        unknown = sorted(set(platforms) - PLATFORMS)
        if unknown:
            raise ValueError(f"unknown platform {', '.join(unknown)} (choose from {', '.join(sorted(PLATFORMS))})")
        return platforms


class ScheduleConfig(Section):
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


class PublishConfig(Section):
    channels: list[Literal["outbox", "x", "instagram"]] = Field(default_factory=lambda: ["outbox"], min_length=1)
    outbox_dir: Path | None = None
    templates_dir: Path | None = None
    hashtags: list[str] = Field(default_factory=lambda: ["LaporTuban", "TubanBumiWali", "LaporanMingguan"])
    highlights: int = Field(default=3, ge=0, le=10)
    require_approval: bool = False
    answer_citizens: bool = True
    """Draft replies to the citizens whose posts become tickets (``satukanal.replies``); off for an office that
    answers by hand, or has not settled X's terms for a government user yet."""
    acknowledge_automatically: bool = False
    """Post the acknowledgement to a citizen without waiting for a moderator's approval (a resolution reply
    always waits for one)."""
    retry_attempts: int = Field(default=4, ge=1, le=10)
    retry_wait_seconds: float = Field(default=30, ge=0, le=3600)
    """The wait before the second attempt; it doubles with each further one, up to ``retry_wait_max_seconds``."""
    retry_wait_max_seconds: float = Field(default=900, ge=0, le=6 * 3600)


class InstagramConfig(Section):
    """The Instagram account we publish with, and which of the two ways: instagrapi (the app's private API,
    logged in as ``username``) or Meta's official Graph API (``meta``)."""

    api: Literal["instagrapi", "graph"] = "instagrapi"
    username: str | None = None
    session_file: Path = Path("~/.config/satukanal/instagram-session.json")
    """instagrapi's saved session, written with mode 0600; keep it outside the repository."""
    request_delay_seconds: tuple[float, float] = (1.0, 3.0)


class MetaConfig(Section):
    """Meta's official Instagram API (Instagram API with Facebook Login): the account, the API version, when the
    access token (``SATUKANAL_META_ACCESS_TOKEN``) expires, and where Meta may download the recap cards."""

    ig_user_id: str | None = Field(default=None, pattern=r"^\d{1,32}$")
    """The Instagram professional account's id in the Graph API (not its username)."""
    api_version: str = Field(default="v21.0", pattern=r"^v\d{1,3}\.\d$")
    token_expires_on: date | None = None
    """The day the access token expires (Meta's Access Token Debugger shows it); warned of 14 days before."""
    public_base_url: str | None = Field(default=None, pattern=r"^https://[^\s/]+(/[^\s]*)?$")
    """The web app's address on the internet, from which Meta downloads each card (under an unguessable path)."""


class ClocksConfig(Section):
    """The LAPOR! time limits (DOMAIN.md); working days unless the name says otherwise."""

    verification_days: int = Field(default=3, ge=1, le=60)
    forwarding_days: int = Field(default=3, ge=1, le=60)
    follow_up_days: int = Field(default=5, ge=1, le=60)
    ombudsman_days: int = Field(default=60, ge=1, le=365)
    due_soon_days: int = Field(default=1, ge=0, le=10)


class WebConfig(Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    secret_key_file: Path | None = None
    secure_cookies: bool = False
    workers: int = Field(default_factory=lambda: (os.cpu_count() or 1) + 1, ge=1, le=64)
    """Server processes: one per core and one to cover a worker waiting on the database. Pages are CPU work
    under the interpreter lock, so gunicorn's usual 2 × cores + 1 served no more here, and each worker holds
    about 100 MB."""
    threads: int = Field(default=1, ge=1, le=64)
    """Threads per process. Pages are CPU work under the interpreter lock: more processes beat more threads."""
    dashboard_cache_seconds: int = Field(default=60, ge=0, le=3600)
    """How long a server process shows the dashboard it computed again, for the same period, agency and role:
    at a million posts a dashboard is hundreds of milliseconds of work. The page says when its figures were
    computed; 0 computes them for every view."""


class NotificationsConfig(Section):
    """Notifications outside the app. Where e-mail goes out is a secret: ``SATUKANAL_SMTP_URL``."""

    check_minutes: int = Field(default=10, ge=1, le=24 * 60)
    """How often the scheduler checks deadlines and drafts, and sends what is waiting."""
    digest_time: str = Field(default="07:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    """When the daily digest goes to the users who prefer one (office time)."""
    base_url: str | None = Field(default=None, pattern=r"^https?://[^\s]+$")
    """The web app's address, so messages link to the ticket (``https://satukanal.tubankab.go.id``)."""
    urls_file: Path | None = None
    """A TOML file of further apprise URLs (Telegram, WhatsApp, ...) per user or agency:
    ``[users] pdam_budi = ["tgram://..."]``, ``[agencies] pdam = [...]``. They hold tokens: keep it outside
    the repository, readable by the service only."""


class XPricesConfig(Section):
    """X's pay-per-use prices in US dollars per post; X changes them, so they are settings."""

    own_mention_read: float = Field(default=0.001, ge=0)
    read: float = Field(default=0.005, ge=0)
    post: float = Field(default=0.015, ge=0)
    post_with_url: float = Field(default=0.20, ge=0)


class XSpendConfig(Section):
    """What X's API may cost in a month, all sources and publishing together (``satukanal.spend``)."""

    prices: XPricesConfig = XPricesConfig()
    monthly_budget_usd: float | None = Field(default=None, gt=0)


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


class FileSettings(Section):
    """The TOML file's shape; every key is optional."""

    data_dir: Path = Path("data")
    timezone: str = "Asia/Jakarta"
    accounts: AccountsConfig = AccountsConfig()
    sources: list[SourceConfig] | None = None
    classifier: ClassifierConfig = ClassifierConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    publish: PublishConfig = PublishConfig()
    instagram: InstagramConfig = InstagramConfig()
    collect: CollectConfig = CollectConfig()
    web: WebConfig = WebConfig()
    clocks: ClocksConfig = ClocksConfig()
    notifications: NotificationsConfig = NotificationsConfig()
    x_spend: XSpendConfig = XSpendConfig()
    meta: MetaConfig = MetaConfig()
    agencies: dict[str, AgencyConfig] = Field(
        default_factory=lambda: {key: AgencyConfig(**value) for key, value in DEFAULT_AGENCIES.items()}
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
