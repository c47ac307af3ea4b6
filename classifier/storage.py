"""Model files: skops (never pickle) with an explicit allow-list, metadata beside them.

``MODEL.skops`` holds the pipelines, compressed (skops stores the fitted
vocabularies as JSON, nine tenths of an uncompressed file); ``MODEL.json``
(same stem) holds the metadata. Loading refuses any file that names a type outside scikit-learn's
own and ``TRUSTED_TYPES``, so a crafted file cannot run code.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

from classifier.model import ComplaintModel, ModelMetadata

TRUSTED_TYPES = (
    "classifier.features.TextFeatures",
    "classifier.normalize.lead_texts",
    "classifier.normalize.normalize_texts",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
)
FORMAT = "satukanal-complaint-model/2"
COMPRESSION_LEVEL = 6


class ModelFileError(Exception):
    """A model file is missing, corrupt, untrusted or made for another version."""


class ModelFormatError(ModelFileError):
    """A model file made by another version of SatuKanal (its metadata format differs)."""


def metadata_path(path: Path) -> Path:
    return path.with_suffix(".json")


def save_model(model: ComplaintModel, path: Path) -> None:
    """Write the model and its metadata atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = {"features": model.features, "complaint": model.complaint, "router": model.router}
    _atomic_write(path, sio.dumps(parts, compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION_LEVEL))
    document = {"format": FORMAT, **model.metadata.to_dict()}
    _atomic_write(metadata_path(path), json.dumps(document, indent=2, ensure_ascii=False).encode())


def load_model(path: Path, task: str | None = None) -> ComplaintModel:
    """Load a model file; with ``task``, refuse a model trained for another task."""
    if not path.is_file():
        raise ModelFileError(f"no model file at {path}: run `satukanal classifier train`")
    metadata = read_metadata(path)
    if task is not None and metadata.task != task:
        raise ModelFileError(f"model file {path} holds a {metadata.task} model; a {task} model is needed here")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(f"model file {path} cannot be read ({exc.strerror or exc})") from None
    try:
        # skops audits the whole file before it builds anything, and refuses a type not trusted: no separate
        # look at the types first, which would read the file's tree a second time (1.5 s for the default model)
        parts = sio.loads(data, trusted=list(TRUSTED_TYPES))
        return ComplaintModel(parts["features"], parts["complaint"], parts["router"], metadata)
    except UntrustedTypesFoundException:
        untrusted = [name for name in sio.get_untrusted_types(data=data) if name not in TRUSTED_TYPES]
        raise ModelFileError(f"model file {path} contains untrusted types: {', '.join(sorted(untrusted))}") from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ModelFileError(f"model file {path} is corrupt or not a skops file ({type(exc).__name__})") from None
    except Exception as exc:
        raise ModelFileError(f"model file {path} cannot be loaded ({type(exc).__name__}: {exc})") from None


def read_metadata(path: Path) -> ModelMetadata:
    """The metadata beside a model file, without loading the model."""
    meta = metadata_path(path)
    try:
        document = json.loads(meta.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelFileError(f"model metadata {meta} is missing") from None
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"model metadata {meta} is unreadable ({exc})") from None
    if not isinstance(document, dict) or document.pop("format", None) != FORMAT:
        raise ModelFormatError(f"model metadata {meta} is not a {FORMAT} file")
    try:
        return ModelMetadata(**document)
    except TypeError as exc:
        raise ModelFormatError(f"model metadata {meta} does not match this version ({exc})") from None


def _atomic_write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
