"""The models: a complaint detector with a category router, or a category router alone.

Every model reads text through one fitted feature pipeline (``normalize_texts``
→ word and character TF-IDF); the complaint detector is a linear model with
Platt-calibrated probabilities, the router a calibrated one-vs-rest ridge
classifier over the categories. Sharing the features means a post is
normalised and vectorised once however many heads read it, which is what
makes scoring fast.

This module holds the fitted model, its predictions and metadata; the
pipeline and candidate estimators are in ``classifier.estimators``, training
in ``classifier.training``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import FeatureUnion, Pipeline

# Re-exported for bench/classifier.py, which imports them from here.
from classifier.estimators import CANDIDATES as CANDIDATES
from classifier.estimators import build_features as build_features

COMPLAINT_TASK = "complaint"
CATEGORY_TASK = "category"
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
    task: str
    threshold: float | None
    positive_label: str | None
    training_rows: int
    fingerprint: str
    metrics: dict[str, float]
    categories: list[str]
    category_metrics: dict[str, float]
    parameters: dict[str, str]

    def to_dict(self) -> dict:
        return asdict(self)


class ComplaintModel:
    """Scores posts: complaint probability, flag and the top categories (or categories alone)."""

    def __init__(
        self,
        features: Pipeline | FeatureUnion,
        complaint: CalibratedClassifierCV | None,
        router: CalibratedClassifierCV | None,
        metadata: ModelMetadata,
    ) -> None:
        self.features = features
        self.complaint = complaint
        self.router = router
        self.metadata = metadata

    @property
    def version(self) -> str:
        return self.metadata.version

    @property
    def task(self) -> str:
        return self.metadata.task

    def complaint_scores(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probability that each text is a complaint."""
        if self.complaint is None:
            raise TrainingError(f"model {self.version} is a {self.task} model: it does not score complaints")
        return self._complaint_scores(self.features.transform(list(texts)))

    def category_probabilities(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """The router's classes and, per text, the probability of each."""
        if self.router is None:
            raise TrainingError(f"model {self.version} has no category router")
        return [str(name) for name in self.router.classes_], self.router.predict_proba(
            self.features.transform(list(texts))
        )

    def predict(self, texts: Sequence[str], threshold: float | None = None) -> list[Prediction]:
        """Score, flag and route a batch; the features are computed once for both heads."""
        if not texts:
            return []
        threshold = self.metadata.threshold if threshold is None else threshold
        features = self.features.transform(list(texts))
        scores = self._complaint_scores(features).tolist()
        suggestions = self._suggest(features, len(texts))
        return [
            Prediction(
                score=score,
                flagged=score >= threshold,
                category=ranked[0][0] if ranked else None,
                suggestions=ranked,
            )
            for score, ranked in zip(scores, suggestions, strict=True)
        ]

    def _complaint_scores(self, features) -> np.ndarray:
        positive = list(self.complaint.classes_).index(True)
        return self.complaint.predict_proba(features)[:, positive]

    def _suggest(self, features, count: int) -> list[list[tuple[str, float]]]:
        """The top categories per post with their probability (rounded: it is shown and stored)."""
        if self.router is None:
            return [[] for _ in range(count)]
        probabilities = self.router.predict_proba(features)
        classes = [str(name) for name in self.router.classes_]
        top = np.argsort(-probabilities, axis=1)[:, :SUGGESTIONS]
        # Python floats and ints from .tolist(): converting NumPy scalars one by one cost a third of scoring.
        values = np.take_along_axis(probabilities, top, axis=1).tolist()
        return [
            [(classes[i], round(value, 4)) for i, value in zip(order, row, strict=True)]
            for order, row in zip(top.tolist(), values, strict=True)
        ]
