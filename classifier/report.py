"""Evaluation reports: a static HTML page with PNG charts showing how a classifier does on labelled data.

The operator reads one before putting a model live. A complaint report shows
the precision-recall curve with the operating threshold, the calibration of
the scores, the confusion matrix at the threshold and the worst mistakes; a
category report shows the confusion matrix, precision and recall per class
and the most confident wrong routings. Everything lands in one directory
(``index.html`` and its images), which opens from disk or can be copied
anywhere: inline CSS, no JavaScript, no external resources.

Post texts come from the internet, so the template escapes everything. Charts
are drawn on ``Figure`` objects with the Agg canvas, never through pyplot,
so nothing global changes and no display is needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.calibration import calibration_curve
from sklearn.metrics import confusion_matrix, precision_recall_curve, precision_recall_fscore_support

from classifier.metrics import TARGET_RECALL

CALIBRATION_BINS = 10
COMPLAINT_LABELS = ("complaint", "not complaint")

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def write_complaint_report(
    out: Path,
    *,
    model_version: str,
    data_name: str,
    texts: Sequence[str],
    truth: np.ndarray,
    scores: np.ndarray,
    threshold: float,
    metrics: Mapping[str, float | int],
    worst: int = 25,
) -> Path:
    """truth: bool array (True = complaint); scores: complaint probability in [0, 1]. Returns out / 'index.html'.

    Worst mistakes are the ``worst`` highest-scoring flagged non-complaints and
    the ``worst`` lowest-scoring missed complaints (flagged = score >= threshold).
    """
    truth = np.asarray(truth)
    scores = np.asarray(scores, dtype=float)
    _check_rows(texts, truth=truth, scores=scores)
    if truth.dtype != bool:
        raise ValueError(f"truth must be a bool array (True = complaint), got {truth.dtype}")
    _check_probabilities("scores", scores)
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    if not truth.any():
        raise ValueError("no complaint in the data: precision and recall are undefined")
    _check_worst(worst)

    out.mkdir(parents=True, exist_ok=True)
    flagged = scores >= threshold
    plot_precision_recall(out / "precision-recall.png", truth, scores, threshold)
    plot_calibration(out / "calibration.png", truth, scores)
    matrix = confusion_matrix(truth, flagged, labels=[True, False])
    plot_confusion(out / "confusion.png", matrix, COMPLAINT_LABELS)

    false_positives = np.flatnonzero(~truth & flagged)
    false_negatives = np.flatnonzero(truth & ~flagged)
    false_positives = false_positives[np.argsort(-scores[false_positives], kind="stable")][:worst]
    false_negatives = false_negatives[np.argsort(scores[false_negatives], kind="stable")][:worst]
    return _render(
        out,
        kind="complaint",
        model_version=model_version,
        data_name=data_name,
        rows=len(texts),
        threshold=f"{threshold:.4f}",
        metrics=metrics,
        images=[
            ("precision-recall.png", "Precision-recall curve"),
            ("calibration.png", "Calibration"),
            ("confusion.png", "Confusion matrix at the threshold"),
        ],
        false_positives=[(f"{scores[i]:.4f}", texts[i]) for i in false_positives],
        false_negatives=[(f"{scores[i]:.4f}", texts[i]) for i in false_negatives],
        worst=worst,
    )


def write_category_report(
    out: Path,
    *,
    model_version: str,
    data_name: str,
    texts: Sequence[str],
    truth: Sequence[str],
    predicted: Sequence[str],
    confidence: np.ndarray,
    metrics: Mapping[str, float | int],
    worst: int = 25,
) -> Path:
    """truth/predicted: category labels; confidence: probability of the predicted label. Returns out / 'index.html'."""
    truth = np.asarray([str(label) for label in truth], dtype=object)
    predicted = np.asarray([str(label) for label in predicted], dtype=object)
    confidence = np.asarray(confidence, dtype=float)
    _check_rows(texts, truth=truth, predicted=predicted, confidence=confidence)
    _check_probabilities("confidence", confidence)
    _check_worst(worst)

    out.mkdir(parents=True, exist_ok=True)
    classes = sorted(set(truth) | set(predicted))
    plot_confusion(out / "confusion.png", confusion_matrix(truth, predicted, labels=classes), classes)

    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, labels=classes, zero_division=0)
    per_class = [
        (name, f"{p:.4f}", f"{r:.4f}", f"{f:.4f}", int(s))
        for name, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
    ]
    wrong = np.flatnonzero(truth != predicted)
    wrong = wrong[np.argsort(-confidence[wrong], kind="stable")][:worst]
    return _render(
        out,
        kind="category",
        model_version=model_version,
        data_name=data_name,
        rows=len(texts),
        threshold=None,
        metrics=metrics,
        images=[("confusion.png", "Confusion matrix")],
        per_class=per_class,
        wrong=[(truth[i], predicted[i], f"{confidence[i]:.4f}", texts[i]) for i in wrong],
        worst=worst,
    )


def plot_precision_recall(path: Path, truth: np.ndarray, scores: np.ndarray, threshold: float) -> None:
    """Precision against recall, the operating threshold as a point and the target recall as a line."""
    precision, recall, _ = precision_recall_curve(truth, scores, pos_label=True)
    flagged = scores >= threshold
    caught = int((truth & flagged).sum())
    at_recall = caught / int(truth.sum())
    at_precision = caught / int(flagged.sum()) if flagged.any() else 0.0

    figure, axes = _figure((6, 5))
    axes.plot(recall, precision, drawstyle="steps-post", label="model")
    axes.axvline(TARGET_RECALL, color="grey", linestyle="--", label=f"recall {TARGET_RECALL:.2f}")
    axes.plot(at_recall, at_precision, "o", color="crimson", label=f"threshold {threshold:.4f}")
    axes.set(xlabel="Recall", ylabel="Precision", xlim=(0, 1.02), ylim=(0, 1.02), title="Precision-recall")
    axes.legend(loc="lower left")
    _save(figure, path)


def plot_calibration(path: Path, truth: np.ndarray, scores: np.ndarray) -> None:
    """Fraction of complaints per score bin against the mean score there, with the number of rows per bin below."""
    fraction, mean_score = calibration_curve(truth, scores, n_bins=CALIBRATION_BINS, pos_label=True)
    # The same bins as calibration_curve, which returns only the non-empty ones.
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], scores), minlength=CALIBRATION_BINS)

    figure = Figure(figsize=(6, 6.5), layout="constrained")
    FigureCanvasAgg(figure)
    curve, bins = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    curve.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfectly calibrated")
    curve.plot(mean_score, fraction, "o-", label="model")
    curve.set(ylabel="Fraction of complaints", xlim=(0, 1), ylim=(-0.02, 1.02), title="Calibration")
    curve.legend(loc="upper left")
    bars = bins.bar(edges[:-1], counts, width=np.diff(edges), align="edge", edgecolor="white")
    bins.bar_label(bars, fontsize=8)
    bins.set(xlabel="Score", ylabel="Rows", ylim=(0, counts.max() * 1.25))
    _save(figure, path)


def plot_confusion(path: Path, matrix: np.ndarray, labels: Sequence[str]) -> None:
    """Counts per (actual, predicted) pair, written in the cells; rows are actual, columns predicted."""
    size = max(4.0, 1.0 + 0.6 * len(labels))
    figure, axes = _figure((size + 1, size))
    image = axes.imshow(matrix, cmap="Blues")
    figure.colorbar(image, ax=axes)
    ticks = np.arange(len(labels))
    if len(labels) > 2:
        axes.set_xticks(ticks, labels, rotation=45, ha="right")
    else:
        axes.set_xticks(ticks, labels)
    axes.set_yticks(ticks, labels)
    axes.set(xlabel="Predicted", ylabel="Actual", title="Confusion matrix")
    middle = matrix.max() / 2
    for (row, column), count in np.ndenumerate(matrix):
        colour = "white" if count > middle else "black"
        axes.text(column, row, str(count), ha="center", va="center", color=colour)
    _save(figure, path)


def _figure(size: tuple[float, float]) -> tuple[Figure, Axes]:
    figure = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _save(figure: Figure, path: Path) -> None:
    figure.savefig(path, format="png", dpi=100)


def _render(out: Path, **context) -> Path:
    metrics = [(name, _format(value)) for name, value in context.pop("metrics").items()]
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    html = _templates.get_template("report.html.j2").render(metrics=metrics, generated=generated, **context)
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    return index


def _format(value: float | int | None) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int | np.integer):
        return str(value)
    return f"{value:.4f}"


def _check_rows(texts: Sequence[str], **columns: np.ndarray) -> None:
    if len(texts) == 0:
        raise ValueError("no rows to report on")
    for name, column in columns.items():
        if column.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {column.shape}")
        if len(column) != len(texts):
            raise ValueError(f"{name} has {len(column)} rows, texts has {len(texts)}")


def _check_probabilities(name: str, values: np.ndarray) -> None:
    if not np.all((values >= 0.0) & (values <= 1.0)):
        raise ValueError(f"{name} must be probabilities in [0, 1]")


def _check_worst(worst: int) -> None:
    if worst < 0:
        raise ValueError(f"worst must be zero or more, got {worst}")
