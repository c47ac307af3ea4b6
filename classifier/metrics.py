"""The figures a model is judged by, for complaint detection and for routing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
)

TARGET_RECALL = 0.90
"""The operating point moderators need: nine in ten complaints flagged."""


def choose_threshold(target: np.ndarray, scores: np.ndarray, recall: float = TARGET_RECALL) -> float:
    """The highest score threshold at which recall on ``target`` is still at least ``recall``."""
    positive_scores = np.sort(scores[target])[::-1]
    needed = int(np.ceil(recall * len(positive_scores)))
    return float(positive_scores[max(needed - 1, 0)])


def precision_at_recall(target: np.ndarray, scores: np.ndarray, recall: float = TARGET_RECALL) -> float:
    precision, achieved, _ = precision_recall_curve(target, scores)
    return float(precision[achieved >= recall].max())


def binary_metrics(target: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, float]:
    predicted = scores >= threshold
    both_classes = 0 < target.sum() < len(target)
    return {
        "n": len(target),
        "precision": round(float(precision_score(target, predicted, zero_division=0)), 4),
        "recall": round(float(recall_score(target, predicted, zero_division=0)), 4),
        "f1": round(float(f1_score(target, predicted, zero_division=0)), 4),
        "roc_auc": round(float(roc_auc_score(target, scores)), 4) if both_classes else None,
        "brier": round(float(brier_score_loss(target, scores)), 4),
        "precision_at_recall_90": round(precision_at_recall(target, scores), 4) if target.any() else None,
    }


def category_metrics(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    return {
        "n": len(truth),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
    }
