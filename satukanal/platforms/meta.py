"""The Graph API client for Meta's official Instagram API, built from the settings: the edge where the access
token meets ``monitor.graph_api``."""

from __future__ import annotations

from datetime import UTC, datetime, time

import requests

from monitor.graph_api import TIMEOUT_SECONDS, GraphClient
from satukanal.config.settings import META_ACCESS_TOKEN_ENV, Settings


class MetaSetupError(Exception):
    """The official API is not set up; the message says what to set."""


def graph_client(settings: Settings, timeout: float = TIMEOUT_SECONDS) -> tuple[GraphClient, str]:
    """A client for the office's account and the account's Graph API id; raises ``MetaSetupError``."""
    user_id, token = settings.meta.ig_user_id, settings.meta_access_token
    missing = [name for name, value in (("meta.ig_user_id", user_id), (META_ACCESS_TOKEN_ENV, token)) if not value]
    if missing:
        raise MetaSetupError(f"API resmi Instagram belum diatur: isi {' dan '.join(missing)}")
    return GraphClient(requests.Session(), token, version=settings.meta.api_version, timeout=timeout), user_id


def token_expiry(settings: Settings) -> datetime | None:
    """When the access token stops working (the end of ``meta.token_expires_on``, office time), if recorded."""
    day = settings.meta.token_expires_on
    return None if day is None else datetime.combine(day, time.max, settings.timezone).astimezone(UTC)
