"""The application's dependencies, built once at the edge and passed down.

CLI commands, the scheduler and each web worker build one ``App``
from ``Settings``; the services and domain packages receive what they need
from it and never read the environment themselves.

The model and the libraries behind it (scikit-learn, skops), and requests
and Pillow for thumbnails, are imported on first use, so that the commands
that only read the database start at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select

from monitor import Page, Source
from satukanal.classifier.scoring import score_pending
from satukanal.config import Settings, SourceConfig
from satukanal.db import DatabaseError, ensure_current, make_engine, session_factory
from satukanal.intake.service import CollectResult, StoreResult, collect
from satukanal.models import Post
from satukanal.platforms.channels import build_channel
from satukanal.platforms.collectors import build_source

if TYPE_CHECKING:
    from classifier import ComplaintModel
    from publisher import Channel

log = logging.getLogger(__name__)


def train_seed_model() -> ComplaintModel:
    """The default model: trained only on the seed corpus we wrote, so a fresh install works."""
    from classifier import read_labelled_csv, seed_corpus_path, train_model

    rows = read_labelled_csv(seed_corpus_path(), category_column="category")
    return train_model(
        rows.texts, rows.labels, positive="complaint", categories=rows.categories, seed_rows=[True] * len(rows.texts)
    )


def load_model(path: Path, task: str | None = None) -> ComplaintModel:
    """``classifier.load_model``, imported on first use."""
    import classifier

    return classifier.load_model(path, task=task)


def _needs_default_model(path: Path) -> bool:
    """Whether the default model must be (re)built: it is missing or was made by another version."""
    from classifier.storage import ModelFileError, ModelFormatError, read_metadata

    if not path.exists():
        log.info("no model at %s yet: training the default model from the seed corpus", path)
        return True
    try:
        read_metadata(path)
    except ModelFormatError as exc:
        log.warning("%s: training the default model again from the seed corpus", exc)
        return True
    except ModelFileError:
        return False
    return False


class App:
    def __init__(self, settings: Settings, check_schema: bool = True) -> None:
        self.settings = settings
        self.engine: Engine = make_engine(settings.database_url)
        self.sessions = session_factory(self.engine)
        self._model: ComplaintModel | None = None
        self._model_stamp: int | None = None
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
        from classifier import COMPLAINT_TASK, ModelFileError, save_model

        path = self.settings.classifier.model_path
        if self.settings.bootstrap_model and _needs_default_model(path):
            save_model(train_seed_model(), path)
        stamp = path.stat().st_mtime_ns if path.exists() else None
        if self._model is not None and stamp == self._model_stamp:
            return self._model
        try:
            self._model, self._model_stamp = load_model(path, task=COMPLAINT_TASK), stamp
        except ModelFileError as exc:
            log.warning("posts stay unscored until a model can be loaded: %s", exc)
            self._model = self._model_stamp = None
        return self._model

    def score_pending(self) -> int:
        model = self.model
        if model is None:
            return 0
        with self.sessions.begin() as session:
            return score_pending(session, model, self.settings.classifier.threshold, self.settings.agency_for_category)

    def build_source(self, config: SourceConfig, since: datetime | None = None) -> Source:
        return build_source(self.settings, config, since=since)

    def sources(self) -> list[Source]:
        return [self.build_source(config) for config in self.settings.sources if config.enabled]

    def collect(self, source: Source, on_page: Callable[[Page, StoreResult], None] | None = None) -> CollectResult:
        """Run ``source`` once and score what is new; a failure is in the result and the source's health."""
        result = collect(self.sessions, source, self.own_handles, on_page=on_page)
        if result.added:
            self.score_pending()
            if self.settings.collect.thumbnails:
                self.add_thumbnails(result.added_ids)
        return result

    @property
    def thumbnails_dir(self) -> Path:
        return self.settings.data_dir / "thumbnails"

    def add_thumbnails(self, post_ids: list[int]) -> None:
        """Download previews of the media on ``post_ids`` for the queue (``collect.thumbnails``)."""
        import requests

        from monitor.thumbnails import ThumbnailFetcher

        options = self.settings.collect
        with requests.Session() as http:
            fetcher = ThumbnailFetcher(
                http, self.thumbnails_dir, options.thumbnail_max_bytes, options.thumbnails_per_post
            )
            for start in range(0, len(post_ids), 200):
                with self.sessions.begin() as session:
                    for post in session.scalars(select(Post).where(Post.id.in_(post_ids[start : start + 200]))):
                        if post.media:
                            post.media = fetcher.fetch(post.media)

    def channel(self, name: str) -> Channel:
        return build_channel(self.settings, name)

    def close(self) -> None:
        self.engine.dispose()
