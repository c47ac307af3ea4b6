"""The complaint model the application scores with: read from its file, put in place from the package's default
model when none was configured and none is there yet, and read again whenever the file changes.

The model and the libraries behind it (scikit-learn, skops) are imported on
first use, so that the commands that only read the database start at once.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from classifier import ComplaintModel

log = logging.getLogger(__name__)


def default_model(path: Path) -> ComplaintModel:
    """Put the default model at ``path`` and return it: the one shipped in the package, copied as it is; trained
    from the seed corpus (about a minute) only where the shipped file cannot be read, e.g. under a scikit-learn
    it was not built with."""
    from classifier import COMPLAINT_TASK, ModelFileError, save_model
    from classifier.default_model import shipped_model_path, train_seed_model
    from classifier.storage import metadata_path

    shipped = shipped_model_path()
    try:
        model = load_model(shipped, task=COMPLAINT_TASK)
    except ModelFileError as exc:
        log.warning("the shipped default model cannot be used here (%s): training it from the seed corpus", exc)
        model = train_seed_model()
        save_model(model, path)
        return model
    path.parent.mkdir(parents=True, exist_ok=True)
    for source, target in ((metadata_path(shipped), metadata_path(path)), (shipped, path)):
        temporary = target.with_name(f".{target.name}.copy")
        shutil.copyfile(source, temporary)
        temporary.replace(target)  # the model file last: a reader that sees it sees its metadata
    return model


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
        from classifier import COMPLAINT_TASK, ModelFileError

        if self.bootstrap and self._needs_default_model():
            self._model, self._stamp = default_model(self.path), self.path.stat().st_mtime_ns
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
            log.info("no model at %s yet: putting the default model there", self.path)
            return True
        try:
            read_metadata(self.path)
        except ModelFormatError as exc:
            log.warning("%s: putting the default model there again", exc)
            return True
        except ModelFileError:
            return False
        return False
