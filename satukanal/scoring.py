"""Scoring stored posts with the complaint model.

Posts without a classification wait; whenever a model is available they are
scored in batches, each post getting a classification row for the model
version that produced it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from classifier import ComplaintModel
from satukanal.models import Classification, Post

BATCH = 500


def score_pending(
    session: Session,
    model: ComplaintModel,
    threshold: float | None,
    agency_for_category: Callable[[str | None], str | None],
) -> int:
    """Score every post that has no classification yet (ours excepted); returns how many."""
    scored = 0
    effective = model.metadata.threshold if threshold is None else threshold
    while True:
        posts = session.scalars(
            select(Post).where(Post.classification_id.is_(None), Post.is_own.is_(False)).order_by(Post.id).limit(BATCH)
        ).all()
        if not posts:
            return scored
        predictions = model.predict([post.text for post in posts], threshold=effective)
        classifications = [
            Classification(
                post_id=post.id,
                model_version=model.version,
                score=prediction.score,
                threshold=effective,
                flagged=prediction.flagged,
                category=prediction.category,
                agency=agency_for_category(prediction.category),
                suggestions=[[name, score] for name, score in prediction.suggestions],
            )
            for post, prediction in zip(posts, predictions, strict=True)
        ]
        session.add_all(classifications)
        session.flush()
        for post, classification in zip(posts, classifications, strict=True):
            post.classification_id = classification.id
        scored += len(posts)
