"""What training fits: the feature pipeline every model reads text through, and the complaint head's candidates.

The pipeline is ``normalize_texts`` → word and character TF-IDF
(``classifier.features.TextFeatures``); grouped
cross-validation picks the complaint head among ``CANDIDATES`` (see
``classifier.training``).
"""

from __future__ import annotations

from collections.abc import Callable

from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from classifier.features import TextFeatures
from classifier.normalize import lead_texts, normalize_texts

LEAD_WEIGHT = 0.5


def build_features(lead: bool = False) -> Pipeline | FeatureUnion:
    """Normalised text → word (1–2) and character (2–5, within words) TF-IDF, chosen by grouped CV.

    With ``lead``, the opening words (``lead_texts``) get features of their own
    at half weight. Grouped CV on LAPOR! reports shows it helps routing, where
    the title opens the text (macro-F1 0.71 → 0.73), and not complaint
    detection on posts, so only category models use it.
    """
    body = Pipeline([("normalize", FunctionTransformer(normalize_texts)), ("tfidf", TextFeatures())])
    if not lead:
        return body
    opening = Pipeline(
        [
            ("lead", FunctionTransformer(lead_texts)),
            ("normalize", FunctionTransformer(normalize_texts)),
            ("tfidf", TextFeatures()),
        ]
    )
    return FeatureUnion([("body", body), ("lead", opening)], transformer_weights={"lead": LEAD_WEIGHT})


def _linear(regularisation: float) -> LogisticRegression:
    return LogisticRegression(C=regularisation, class_weight="balanced", solver="liblinear")


def _ridge(alpha: float) -> RidgeClassifier:
    return RidgeClassifier(alpha=alpha, class_weight="balanced")


CANDIDATES: dict[str, Callable[[], LogisticRegression | RidgeClassifier]] = {
    "logistic C=2": lambda: _linear(2.0),
    "logistic C=8": lambda: _linear(8.0),
    "logistic C=32": lambda: _linear(32.0),
    "ridge alpha=0.25": lambda: _ridge(0.25),
    "ridge alpha=1": lambda: _ridge(1.0),
    "ridge alpha=4": lambda: _ridge(4.0),
}
"""Linear models tried for the complaint head; grouped CV picks one per training run."""
