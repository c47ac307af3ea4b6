"""Measuring a model on labelled data: the figures the CLI prints and the report draws."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from classifier.dataset import LabelledRows
from classifier.metrics import binary_metrics, category_metrics
from classifier.model import COMPLAINT_TASK, ComplaintModel, TrainingError


@dataclass(frozen=True)
class Evaluation:
    task: str
    texts: list[str]
    metrics: dict[str, float | int | None]
    truth: np.ndarray
    scores: np.ndarray
    """Complaint probability (complaint task) or the predicted category's probability (category task)."""
    predicted: np.ndarray


def evaluate(model: ComplaintModel, rows: LabelledRows, positive: str | None = None) -> Evaluation:
    """Score ``rows`` with ``model``; for a complaint model, ``positive`` is the label meaning a complaint."""
    if not rows.texts:
        raise TrainingError("no labelled rows to evaluate on")
    if model.task == COMPLAINT_TASK:
        positive = positive or model.metadata.positive_label
        truth = np.array([label == positive for label in rows.labels])
        scores = model.complaint_scores(rows.texts)
        predicted = scores >= model.metadata.threshold
        metrics = {**binary_metrics(truth, scores, model.metadata.threshold), "threshold": model.metadata.threshold}
    else:
        classes, probabilities = model.category_probabilities(rows.texts)
        truth = np.array(rows.labels)
        best = probabilities.argmax(axis=1)
        predicted = np.array(classes)[best]
        scores = probabilities[np.arange(len(best)), best]
        metrics = category_metrics(truth, predicted)
    return Evaluation(model.task, list(rows.texts), {**metrics, "skipped": rows.skipped}, truth, scores, predicted)
