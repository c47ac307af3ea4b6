"""Collection sources built from the settings: where credentials meet tweepy and instagrapi.

A source that cannot be built (credentials missing, no Instagram account
configured) becomes an ``UnusableSource`` whose run fails as broken, so it
shows up like any other broken source: in ``satukanal sources check``, the
scheduler's alarm and the web app, never as a silent gap.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from monitor import ImportFolderSource, Page, Retrier, Source, SourceBroken
from satukanal.config.settings import (
    INSTAGRAM_PASSWORD_ENV,
    INSTAGRAM_SESSIONID_ENV,
    X_BEARER_TOKEN_ENV,
    X_CREDENTIAL_ENVS,
    Settings,
)
from satukanal.config.sources import SourceConfig


class UnusableSource:
    """Stands in for a source whose settings or credentials are missing; every run says what to set."""

    def __init__(self, name: str, code: str, message: str, advice: str) -> None:
        self.name = name
        self.problem = SourceBroken(message, code, advice)

    def pages(self, cursors: Mapping[str, str]) -> Iterator[Page]:
        raise self.problem

    def check(self) -> list[str]:
        raise self.problem


def build_source(settings: Settings, config: SourceConfig, since: datetime | None = None) -> Source:
    """The source ``config`` describes; ``since`` makes it a backfill from that time."""
    if config.type == "import_folder":
        return ImportFolderSource(config.name, config.path)
    retrier = Retrier(
        attempts=settings.collect.retry_attempts,
        base_wait=settings.collect.retry_wait_seconds,
        max_wait=settings.collect.rate_limit_wait_max_seconds,
    )
    if config.type in ("x_mentions", "x_search"):
        return _x_source(settings, config, retrier, since)
    if config.type == "instagram_graph":
        return _instagram_graph_source(settings, config, retrier, since)
    return _instagram_source(settings, config, retrier, since)


def _x_source(settings: Settings, config: SourceConfig, retrier: Retrier, since: datetime | None) -> Source:
    import tweepy

    from monitor.x import XSource
    from satukanal.platforms.timeouts import REQUEST_TIMEOUT_SECONDS, TimeoutAdapter

    keys = settings.x_credentials
    if settings.x_bearer_token is None and keys is None:
        return UnusableSource(
            config.name,
            "x-no-credentials",
            "kunci X untuk membaca belum diatur",
            f"Isi {X_BEARER_TOKEN_ENV} (Bearer Token aplikasi X), atau keempat {', '.join(X_CREDENTIAL_ENVS.values())}",
        )
    client = tweepy.Client(
        bearer_token=settings.x_bearer_token,
        **({} if keys is None else vars(keys)),
        return_type=dict,
        wait_on_rate_limit=False,
    )
    client.session.mount("https://", TimeoutAdapter(REQUEST_TIMEOUT_SECONDS))
    if config.type == "x_mentions":
        feeds = {"mentions": config.accounts if config.accounts is not None else settings.accounts.x.watched}
    else:
        feeds = {"queries": [config.query]}
    return XSource(
        config.name,
        client,
        **feeds,
        user_auth=settings.x_bearer_token is None,
        own_handles=settings.accounts.own_handles("x"),
        retrier=retrier,
        since=since,
        max_pages=settings.collect.max_pages,
    )


def _instagram_source(settings: Settings, config: SourceConfig, retrier: Retrier, since: datetime | None) -> Source:
    from monitor.instagram import InstagramSource

    username = settings.instagram.username
    if not username:
        return UnusableSource(
            config.name,
            "instagram-no-account",
            "akun Instagram untuk membaca belum diatur",
            f"Isi instagram.username di berkas konfigurasi, lalu login sekali dengan {INSTAGRAM_PASSWORD_ENV} "
            f"atau {INSTAGRAM_SESSIONID_ENV}",
        )

    def client():
        from satukanal.platforms.instagram import InstagramLoginError, office_client

        try:
            return office_client(settings)
        except InstagramLoginError as exc:
            raise SourceBroken("login Instagram gagal", "instagram-login", str(exc)) from None

    watched = settings.accounts.instagram.watched
    return InstagramSource(
        config.name,
        client,
        account=watched[0] if watched else username,
        streams=config.streams,
        hashtags=config.hashtags,
        recent_posts=config.recent_posts,
        retrier=retrier,
        since=since,
        max_pages=settings.collect.max_pages,
    )


def _instagram_graph_source(
    settings: Settings, config: SourceConfig, retrier: Retrier, since: datetime | None
) -> Source:
    from monitor.instagram_graph import InstagramGraphSource
    from satukanal.platforms.meta import MetaSetupError, graph_client, token_expiry

    try:
        client, user_id = graph_client(settings)
    except MetaSetupError as exc:
        return UnusableSource(
            config.name,
            "instagram-graph-setup",
            "API resmi Instagram belum diatur",
            f"{exc}; lihat README, bagian Instagram through Meta's official API",
        )
    watched = settings.accounts.instagram.watched
    return InstagramGraphSource(
        config.name,
        client,
        user_id,
        watched[0] if watched else user_id,
        streams=tuple(config.streams),
        recent_posts=config.recent_posts,
        retrier=retrier,
        since=since,
        max_pages=settings.collect.max_pages,
        token_expires_at=token_expiry(settings),
    )
