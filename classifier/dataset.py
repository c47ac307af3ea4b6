"""Labelled CSV files for training: the bundled seed corpus or any file with the named columns."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path


class DatasetError(Exception):
    """A training file is unreadable or lacks a column; the message is one line."""


@dataclass(frozen=True)
class LabelledRows:
    texts: list[str]
    labels: list[str]
    categories: list[str | None] | None
    skipped: int


def seed_corpus_path() -> Path:
    return Path(str(files("classifier.seed") / "corpus.csv"))


def read_labelled_csv(
    path: Path,
    text_column: str | Sequence[str] = "text",
    label_column: str = "label",
    category_column: str | None = None,
) -> LabelledRows:
    """Read a UTF-8 CSV (with or without BOM); rows with an empty label are skipped and counted.

    Several text columns (such as a report's title and body) are joined, one per line.
    """
    text_columns = [text_column] if isinstance(text_column, str) else list(text_column)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            wanted = [*text_columns, label_column] + ([category_column] if category_column else [])
            missing = [name for name in wanted if name not in (reader.fieldnames or [])]
            if missing:
                raise DatasetError(f"{path}: no column named {', '.join(missing)}")
            texts, labels, categories, skipped = [], [], [], 0
            for row in reader:
                label = (row.get(label_column) or "").strip()
                if not label:
                    skipped += 1
                    continue
                texts.append("\n".join(row.get(name) or "" for name in text_columns).strip())
                labels.append(label)
                categories.append((row.get(category_column) or "").strip() or None if category_column else None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DatasetError(f"{path}: cannot be read as a UTF-8 CSV file ({exc})") from None
    return LabelledRows(texts, labels, categories if category_column else None, skipped)
