"""The default complaint model: trained only on the seed corpus we wrote, and shipped prebuilt in the package.

A fresh install scores its first post at once instead of training for a minute: the model is built here, by
``python -m classifier.default_model`` (run it after editing ``seed/corpus.csv``; a test fails while the shipped
model is older than the corpus), and read like any model file. The build is deterministic: the same corpus and
library versions give the same model and the same version name, which is stamped with ``BUILT_AT`` rather than
the clock.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from classifier.dataset import read_labelled_csv, seed_corpus_path
from classifier.model import ComplaintModel
from classifier.storage import save_model
from classifier.training import train_model

BUILT_AT = datetime(2026, 12, 6, tzinfo=UTC)
"""The default model's creation time as its metadata and version give it: fixed, so rebuilding changes nothing."""


def shipped_model_path() -> Path:
    return Path(str(files("classifier.default") / "complaint.skops"))


def train_seed_model(progress: Callable[[str], None] | None = None) -> ComplaintModel:
    """The default model trained from the seed corpus: what is shipped, and the fallback where it cannot be read."""
    rows = read_labelled_csv(seed_corpus_path(), category_column="category")
    return train_model(
        rows.texts,
        rows.labels,
        positive="complaint",
        categories=rows.categories,
        seed_rows=[True] * len(rows.texts),
        now=BUILT_AT,
        progress=progress,
    )


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else shipped_model_path()
    model = train_seed_model()
    save_model(model, target)
    print(f"default model {model.version} written to {target} ({target.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
