"""The ``[[sources]]`` tables of the configuration file: one class per source type, told apart by ``type``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator

from satukanal.config.base import Section


class _SourceBase(Section):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    interval_minutes: int = Field(default=15, ge=1, le=24 * 60)
    enabled: bool = True


class ImportFolderConfig(_SourceBase):
    """A folder watched for JSONL/CSV import files (WhatsApp, phone, e-mail complaints typed up by staff)."""

    type: Literal["import_folder"]
    path: Path


class _XSourceBase(_SourceBase):
    """X bills every post a source reads, so an X source may have a budget of its own."""

    monthly_budget_usd: float | None = Field(default=None, gt=0)
    """X spend this source may reach in a month (office time) before it pauses (``satukanal.spend``)."""


class XMentionsConfig(_XSourceBase):
    """Mentions of watched X accounts (``GET /2/users/:id/mentions``)."""

    type: Literal["x_mentions"]
    accounts: list[str] | None = None
    """Handles whose mentions are read; default ``accounts.x.watched``."""

    @field_validator("accounts")
    @classmethod
    def _strip_at(cls, handles: list[str] | None) -> list[str] | None:
        return None if handles is None else [handle.strip().lstrip("@").lower() for handle in handles if handle.strip()]


class XSearchConfig(_XSourceBase):
    """Recent tweets matching a search query (``GET /2/tweets/search/recent``, the last 7 days)."""

    type: Literal["x_search"]
    query: str = Field(min_length=1, max_length=512)


INSTAGRAM_STREAMS = ("tags", "comments", "hashtags", "direct")


class InstagramSourceConfig(_SourceBase):
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


class InstagramGraphSourceConfig(_SourceBase):
    """The office's Instagram account read through Meta's official Graph API (``monitor.instagram_graph``):
    posts that tag it and comments on its posts. Mentions and direct messages come by the webhook."""

    type: Literal["instagram_graph"]
    streams: list[Literal["tags", "comments"]] = Field(default_factory=lambda: ["tags", "comments"], min_length=1)
    recent_posts: int = Field(default=12, ge=1, le=50)
    """How many of the account's latest posts are watched for new comments."""


SourceConfig = Annotated[
    ImportFolderConfig | XMentionsConfig | XSearchConfig | InstagramSourceConfig | InstagramGraphSourceConfig,
    Field(discriminator="type"),
]
SOURCE_TYPES = ("import_folder", "x_mentions", "x_search", "instagram", "instagram_graph")
