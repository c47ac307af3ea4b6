"""The complaint model: a complaint detector and a category router, trained together.

Both are scikit-learn pipelines over ``normalize_text``. The complaint
threshold is chosen on cross-validated scores for the recall moderators need
and kept in the model's metadata; configuration may override it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.normalize import normalize_text

TARGET_RECALL = 0.90
SUGGESTIONS = 3


class TrainingError(ValueError):
    """The training data cannot produce a model (too few rows, one class only, ...)."""


@dataclass(frozen=True)
class Prediction:
    score: float
    flagged: bool
    category: str | None
    suggestions: list[tuple[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class ModelMetadata:
    version: str
    created_at: str
    threshold: float
    positive_label: str
    training_rows: int
    fingerprint: str
    metrics: dict[str, float]
    categories: list[str]

    def to_dict(self) -> dict:
        return asdict(self)


def build_text_pipeline(class_weight: str | None = "balanced") -> Pipeline:
    """Word and character TF-IDF over normalised text, then a logistic regression."""
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(preprocessor=normalize_text, ngram_range=(1, 2), sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=normalize_text, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
                ),
            ),
        ]
    )
    return Pipeline(
        [("features", features), ("model", LogisticRegression(C=4.0, class_weight=class_weight, max_iter=2000))]
    )


class ComplaintModel:
    """Scores posts: complaint probability, flag, and the top categories."""

    def __init__(self, complaint: Pipeline, category: Pipeline | None, metadata: ModelMetadata) -> None:
        self.complaint = complaint
        self.category = category
        self.metadata = metadata

    @property
    def version(self) -> str:
        return self.metadata.version

    def predict(self, texts: Sequence[str], threshold: float | None = None) -> list[Prediction]:
        if not texts:
            return []
        threshold = self.metadata.threshold if threshold is None else threshold
        positive = list(self.complaint.classes_).index(True)
        scores = self.complaint.predict_proba(list(texts))[:, positive]
        suggestions = self._suggest(texts)
        return [
            Prediction(
                score=float(score),
                flagged=bool(score >= threshold),
                category=ranked[0][0] if ranked else None,
                suggestions=ranked,
            )
            for score, ranked in zip(scores, suggestions, strict=True)
        ]

    def _suggest(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        if self.category is None:
            return [[] for _ in texts]
        probabilities = self.category.predict_proba(list(texts))
        classes = self.category.classes_
        top = np.argsort(-probabilities, axis=1)[:, :SUGGESTIONS]
        return [
            [(str(classes[i]), round(float(row[i]), 4)) for i in order]
            for row, order in zip(probabilities, top, strict=True)
        ]


def train_model(
    texts: Sequence[str],
    labels: Sequence[str],
    positive: str = "complaint",
    categories: Sequence[str | None] | None = None,
    now: datetime | None = None,
) -> ComplaintModel:
    """Train the complaint detector (and, given categories, the router) and measure it.

    Metrics come from 5-fold cross-validated scores on the training data; the
    threshold is the highest that still reaches ``TARGET_RECALL`` there.
    """
    texts = [str(text) for text in texts]
    target = np.array([label == positive for label in labels])
    if len(texts) != len(target):
        raise TrainingError("texts and labels differ in length")
    if len(texts) < 20:
        raise TrainingError(f"{len(texts)} rows are too few to train on (at least 20)")
    positives = int(target.sum())
    if positives < 5 or len(texts) - positives < 5:
        raise TrainingError(f"need at least 5 rows labelled {positive!r} and 5 others; got {positives}")

    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=13)
    scores = cross_val_predict(build_text_pipeline(), texts, target, cv=folds, method="predict_proba")[:, 1]
    threshold = choose_threshold(target, scores)
    complaint = build_text_pipeline().fit(texts, target)
    category = _train_router(texts, categories, target) if categories is not None else None

    created = (now or datetime.now(UTC)).replace(microsecond=0)
    fingerprint = training_fingerprint(texts, labels)
    metadata = ModelMetadata(
        version=f"{created:%Y%m%d%H%M%S}-{fingerprint[:8]}",
        created_at=created.isoformat(),
        threshold=round(threshold, 4),
        positive_label=positive,
        training_rows=len(texts),
        fingerprint=fingerprint,
        metrics=binary_metrics(target, scores, threshold),
        categories=sorted(str(c) for c in category.classes_) if category is not None else [],
    )
    return ComplaintModel(complaint, category, metadata)


def _train_router(texts: Sequence[str], categories: Sequence[str | None], target: np.ndarray) -> Pipeline | None:
    rows = [
        (text, category)
        for text, category, is_complaint in zip(texts, categories, target, strict=True)
        if is_complaint and category
    ]
    if len({category for _, category in rows}) < 2:
        return None
    router_texts, router_labels = zip(*rows, strict=True)
    return build_text_pipeline().fit(list(router_texts), list(router_labels))


def choose_threshold(target: np.ndarray, scores: np.ndarray, recall: float = TARGET_RECALL) -> float:
    """The highest score threshold at which recall on ``target`` is still at least ``recall``."""
    positive_scores = np.sort(scores[target])[::-1]
    needed = int(np.ceil(recall * len(positive_scores)))
    return float(positive_scores[max(needed - 1, 0)])


def binary_metrics(target: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, float]:
    predicted = scores >= threshold
    return {
        "precision": round(float(precision_score(target, predicted, zero_division=0)), 4),
        "recall": round(float(recall_score(target, predicted, zero_division=0)), 4),
        "f1": round(float(f1_score(target, predicted, zero_division=0)), 4),
        "roc_auc": round(float(roc_auc_score(target, scores)), 4),
        "brier": round(float(brier_score_loss(target, scores)), 4),
    }


def training_fingerprint(texts: Sequence[str], labels: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()
