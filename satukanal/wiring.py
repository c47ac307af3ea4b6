"""The application's dependencies, built once at the edge and passed down.

CLI commands, the scheduler and each web worker build one ``App`` from
``Settings``; the services and domain packages receive what they need from
it and never read the environment themselves. The App builds and holds; the
work is done by the feature packages.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from monitor import Source
from satukanal.classifier.model_file import ModelFile
from satukanal.classifier.scoring import score_pending, score_posts
from satukanal.config.settings import Settings
from satukanal.config.sources import SourceConfig
from satukanal.db import DatabaseError, ensure_current, make_engine, session_factory
from satukanal.platforms.channels import build_channel
from satukanal.platforms.collectors import build_source

if TYPE_CHECKING:
    from classifier import ComplaintModel
    from publisher import Channel


class App:
    def __init__(self, settings: Settings, check_schema: bool = True) -> None:
        self.settings = settings
        self.engine: Engine = make_engine(settings.database_url)
        self.sessions = session_factory(self.engine)
        self._model_file = ModelFile(settings.classifier.model_path, bootstrap=settings.bootstrap_model)
        self._channels: dict[str, Channel] = {}
        self._channels_lock = threading.Lock()
        if check_schema:
            try:
                ensure_current(self.engine)
            except DatabaseError:
                self.engine.dispose()
                raise

    def own_handles(self, platform: str) -> frozenset[str]:
        return self.settings.accounts.own_handles(platform)

    @property
    def model(self) -> ComplaintModel | None:
        """The complaint model, or None while it cannot be loaded (posts then wait unscored).

        The file is read again whenever it changes, so a long-running scheduler
        picks up a retrained or repaired model without a restart.
        """
        return self._model_file.current()

    def score_pending(self) -> int:
        """Score every stored post that waits for the current model; how many were scored."""
        return self._scored_with_model(score_pending)

    def score_posts(self, post_ids: list[int], progress: Callable[[int], None] | None = None) -> int:
        """Score the stored posts ``post_ids`` (those not ours); how many were scored (none without a model).
        ``progress`` is told how many of ``post_ids`` are done after each batch."""
        return self._scored_with_model(score_posts, post_ids, progress)

    def _scored_with_model(self, score: Callable[..., int], *arguments: object) -> int:
        """``score`` run in one transaction with the current model and the configured threshold and agency map."""
        model = self.model
        if model is None:
            return 0
        with self.sessions.begin() as session:
            return score(
                session, model, self.settings.classifier.threshold, self.settings.agency_for_category, *arguments
            )

    def build_source(self, config: SourceConfig, since: datetime | None = None) -> Source:
        return build_source(self.settings, config, since=since)

    def sources(self) -> list[Source]:
        return [self.build_source(config) for config in self.settings.sources if config.enabled]

    def channel(self, name: str) -> Channel:
        """The publication channel ``name``, built on first use and kept for the process: one X client and one
        Instagram login per run, however many recaps it sends. A channel that cannot be built is not kept, so
        the next call tries again (``ChannelSetupError``)."""
        with self._channels_lock:
            if name not in self._channels:
                self._channels[name] = build_channel(self.settings, name)
            return self._channels[name]

    def close(self) -> None:
        self.engine.dispose()
