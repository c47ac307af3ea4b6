"""Classifier benchmark: quality on real posts, training time, scoring throughput and peak memory.

Run from the project root: ``.venv/bin/python -m bench.classifier`` (as a module:
run as a script, this file would shadow the ``classifier`` package). It reads
the reference data in ``../shared/data`` (and says so and stops when that
folder is absent) and prints tables:

1. the candidate complaint heads compared by grouped 5-fold CV on
   ``mentions-labelled.csv`` (how the model is chosen);
2. models trained on four fifths of the real data and measured on the unseen
   fifth, for each of five grouped folds (no near-duplicate on both sides):
   complaint detection on ``mentions-labelled.csv`` and sector routing on
   ``lapor-reports.csv``;
3. the shipped default model (seed corpus only) on all of ``mentions-labelled.csv``;
4. speed and memory: training time, posts per second in batches and one by
   one, peak Python memory while training.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score
from sklearn.model_selection import cross_val_predict

from classifier import evaluate, read_labelled_csv, train_category_model, train_model
from classifier.dataset import LabelledRows
from classifier.metrics import choose_threshold, precision_at_recall
from classifier.model import CANDIDATES, build_features
from classifier.splits import grouped_splits
from satukanal.classifier.model_file import train_seed_model

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MENTIONS = DATA / "mentions-labelled.csv"
REPORTS = DATA / "lapor-reports.csv"
COMPLAINT_FIGURES = ("n", "precision", "recall", "f1", "roc_auc", "brier", "precision_at_recall_90")


def main() -> int:
    if not MENTIONS.is_file() or not REPORTS.is_file():
        print(f"reference data not found in {DATA}: nothing to measure")
        return 0
    mentions = read_labelled_csv(MENTIONS)
    reports = read_labelled_csv(REPORTS, ["title", "text"], "sector")
    truth = np.array([label == "complaint" for label in mentions.labels])

    table("Complaint heads, grouped 5-fold CV on mentions-labelled.csv", candidate_rows(mentions, truth))

    complaint_rows, complaint_seconds, complaint_peak = held_out_rows(mentions, truth, train_model, COMPLAINT_FIGURES)
    table(
        "Complaint model: trained on 4 grouped folds of mentions-labelled.csv, measured on the unseen fifth",
        complaint_rows,
        ["fold", *COMPLAINT_FIGURES],
    )
    report_truth = np.array(reports.labels)
    sector_rows, sector_seconds, sector_peak = held_out_rows(
        reports, report_truth, train_category_model, ("n", "accuracy", "macro_f1")
    )
    table(
        "Sector model: trained on 4 grouped folds of lapor-reports.csv (title + text), measured on the unseen fifth",
        sector_rows,
        ["fold", "n", "accuracy", "macro_f1"],
    )

    default, default_seconds, default_peak = timed(train_seed_model)
    shipped = evaluate(default, mentions).metrics
    table(
        "Shipped default model (seed corpus only) on all of mentions-labelled.csv",
        [["default", *(shipped[name] for name in COMPLAINT_FIGURES), default.metadata.threshold]],
        ["model", *COMPLAINT_FIGURES, "threshold"],
    )

    texts = (mentions.texts * 3)[:10_000]
    started = time.perf_counter()
    default.predict(texts)
    batch_rate = len(texts) / (time.perf_counter() - started)
    single = texts[:1_000]
    started = time.perf_counter()
    for text in single:
        default.predict([text])
    single_rate = len(single) / (time.perf_counter() - started)
    table(
        "Speed and memory (one process)",
        [
            [
                "train complaint model, 80 % of mentions",
                f"{complaint_seconds:.1f} s",
                f"{complaint_peak / 2**20:.0f} MiB",
            ],
            ["train sector model, 80 % of lapor reports", f"{sector_seconds:.1f} s", f"{sector_peak / 2**20:.0f} MiB"],
            ["train default model, seed corpus", f"{default_seconds:.1f} s", f"{default_peak / 2**20:.0f} MiB"],
            ["score in batches (with router)", f"{batch_rate:,.0f} posts/s", ""],
            ["score one by one (with router)", f"{single_rate:,.0f} posts/s", ""],
            [
                "process peak resident memory",
                "",
                f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB",
            ],
        ],
        ["what", "time / rate", "peak memory"],
    )
    return 0


def candidate_rows(rows: LabelledRows, truth: np.ndarray) -> list[list]:
    splits = grouped_splits(rows.texts, truth)
    matrix = build_features().fit_transform(rows.texts)
    result = []
    for name, make in CANDIDATES.items():
        scores = cross_val_predict(make(), matrix, truth, cv=splits, method="decision_function")
        predicted = scores >= choose_threshold(truth, scores)
        result.append(
            [
                name,
                round(float(average_precision_score(truth, scores)), 4),
                round(precision_at_recall(truth, scores), 4),
                round(float(f1_score(truth, predicted)), 4),
                round(float(roc_auc_score(truth, scores)), 4),
            ]
        )
    return result


def held_out_rows(rows: LabelledRows, truth: np.ndarray, train, figures: tuple[str, ...]):
    """Per-fold figures on unseen data and their mean; the slowest training time and highest peak memory."""
    table_rows, seconds, peak = [], 0.0, 0
    for number, (train_part, test_part) in enumerate(grouped_splits(rows.texts, truth), start=1):
        learned = subset(rows, train_part)
        model, took, used = timed(lambda learned=learned: train(learned.texts, learned.labels))
        seconds, peak = max(seconds, took), max(peak, used)
        measured = evaluate(model, subset(rows, test_part)).metrics
        table_rows.append([number, *(measured[name] for name in figures)])
    means = [round(float(np.mean([row[i + 1] for row in table_rows])), 4) for i in range(len(figures))]
    return [*table_rows, ["mean", *means]], seconds, peak


def subset(rows: LabelledRows, indices: np.ndarray) -> LabelledRows:
    return LabelledRows([rows.texts[i] for i in indices], [rows.labels[i] for i in indices], None, 0)


def timed(train):
    tracemalloc.start()
    started = time.perf_counter()
    model = train()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return model, seconds, peak


def table(title: str, rows: list[list], header: list[str] | None = None) -> None:
    header = header or ["candidate", "avg precision", "P@R0.90", "F1@R0.90", "ROC AUC"]
    cells = [[str(value) for value in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for number, row in enumerate(cells):
        print("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)))
        if number == 0:
            print("  ".join("-" * width for width in widths))


if __name__ == "__main__":
    sys.exit(main())
