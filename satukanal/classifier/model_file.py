"""The complaint model the application scores with: read from its file, built from the seed corpus when none
was configured and none is there yet, and read again whenever the file changes.

The model and the libraries behind it (scikit-learn, skops) are imported on
first use, so that the commands that only read the database start at once.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from classifier import ComplaintModel

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


class ModelFile:
    """The model in ``path``, kept while the file is unchanged. With ``bootstrap``, a missing model (or one
    made by another version) is first trained from the seed corpus instead of leaving posts unscored."""

    def __init__(self, path: Path, bootstrap: bool) -> None:
        self.path = path
        self.bootstrap = bootstrap
        self._model: ComplaintModel | None = None
        self._stamp: int | None = None

    def current(self) -> ComplaintModel | None:
        """The model, or None while it cannot be loaded (the reason is logged)."""
        from classifier import COMPLAINT_TASK, ModelFileError, save_model

        if self.bootstrap and self._needs_default_model():
            save_model(train_seed_model(), self.path)
        stamp = self.path.stat().st_mtime_ns if self.path.exists() else None
        if self._model is not None and stamp == self._stamp:
            return self._model
        try:
            self._model, self._stamp = load_model(self.path, task=COMPLAINT_TASK), stamp
        except ModelFileError as exc:
            log.warning("posts stay unscored until a model can be loaded: %s", exc)
            self._model = self._stamp = None
        return self._model

    def _needs_default_model(self) -> bool:
        """Whether the default model must be (re)built: it is missing or was made by another version."""
        from classifier.storage import ModelFileError, ModelFormatError, read_metadata

        if not self.path.exists():
            log.info("no model at %s yet: training the default model from the seed corpus", self.path)
            return True
        try:
            read_metadata(self.path)
        except ModelFormatError as exc:
            log.warning("%s: training the default model again from the seed corpus", exc)
            return True
        except ModelFileError:
            return False
        return False
