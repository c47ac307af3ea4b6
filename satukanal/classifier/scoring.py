"""Scoring stored posts with the complaint model.

Posts without a classification wait; whenever a model is available they are
scored in batches, each post getting a classification row for the model
version that produced it. When the model changes (retrained, replaced), posts
still waiting for a moderator are scored again, so the queue always reflects
the current model; decided posts keep the classification they were decided on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from satukanal.models import Classification, Post

if TYPE_CHECKING:
    from classifier import ComplaintModel

BATCH = 500


def score_pending(
    session: Session,
    model: ComplaintModel,
    threshold: float | None,
    agency_for_category: Callable[[str | None], str | None],
) -> int:
    """Score every post without a classification, or awaiting review under another model; returns how many."""
    scored = 0
    effective = model.metadata.threshold if threshold is None else threshold
    while True:
        posts = session.scalars(
            select(Post)
            .outerjoin(Post.classification)
            .where(
                Post.is_own.is_(False),
                or_(
                    Post.classification_id.is_(None),
                    and_(Post.review_status == "pending", Classification.model_version != model.version),
                ),
            )
            .order_by(Post.id)
            .limit(BATCH)
        ).all()
        if not posts:
            return scored
        earlier = _earlier_classifications(session, [post.id for post in posts], model.version)
        fresh = [post for post in posts if post.id not in earlier]
        predictions = model.predict([post.text for post in fresh], threshold=effective)
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
            for post, prediction in zip(fresh, predictions, strict=True)
        ]
        session.add_all(classifications)
        session.flush()
        earlier.update((classification.post_id, classification) for classification in classifications)
        for post in posts:
            post.classification_id = earlier[post.id].id
        scored += len(posts)


def _earlier_classifications(session: Session, post_ids: list[int], version: str) -> dict[int, Classification]:
    """Classifications these posts already have from ``version`` (a model rolled back to)."""
    rows = session.scalars(
        select(Classification).where(Classification.post_id.in_(post_ids), Classification.model_version == version)
    )
    return {row.post_id: row for row in rows}
