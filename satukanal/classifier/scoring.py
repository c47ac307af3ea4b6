"""Scoring stored posts with the complaint model.

Posts without a classification wait; whenever a model is available they are
scored in batches, each post getting a classification row for the model
version that produced it. When the model changes (retrained, replaced), posts
still waiting for a moderator are scored again, so the queue always reflects
the current model; decided posts keep the classification they were decided on.

Where the posts to score are known (an import scores the ids it just stored),
``score_posts`` takes them directly. ``score_pending`` finds the rest by id
order, a page at a time, and looks for posts under an older model only while
the model differs from the one it last finished with (the ``scoring`` cursor):
with a million posts, asking again every minute which pending post has an
older classification cost more than half a second even when none had.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from satukanal.db import upsert_insert
from satukanal.models import Classification, Cursor, Post, utcnow

if TYPE_CHECKING:
    from classifier import ComplaintModel

BATCH = 500
CURSOR_SOURCE = "scoring"
CURSOR_KEY = "rescored_for"
"""The ``cursors`` row naming the model version every pending post has been scored by."""

AgencyFor = Callable[[str | None], str | None]


def score_pending(session: Session, model: ComplaintModel, threshold: float | None, agency_for: AgencyFor) -> int:
    """Score every post without a classification, or awaiting review under another model; returns how many."""
    scored = _score_pages(session, model, threshold, agency_for, Post.classification_id.is_(None))
    if Cursor.read(session, CURSOR_SOURCE, CURSOR_KEY) == model.version:
        return scored
    older = Post.classification.has(Classification.model_version != model.version)
    scored += _score_pages(session, model, threshold, agency_for, (Post.review_status == "pending") & older)
    Cursor.save(session, CURSOR_SOURCE, CURSOR_KEY, model.version)
    return scored


def score_posts(
    session: Session,
    model: ComplaintModel,
    threshold: float | None,
    agency_for: AgencyFor,
    post_ids: Sequence[int],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Score the posts ``post_ids`` that are not our own with ``model``; returns how many were scored.
    ``progress`` is told how many of ``post_ids`` are done after each batch."""
    scored = 0
    for start in range(0, len(post_ids), BATCH):
        rows = session.execute(
            select(Post.id, Post.text)
            .where(Post.id.in_(post_ids[start : start + BATCH]), Post.is_own.is_(False))
            .order_by(Post.id)
        ).all()
        scored += _score_batch(session, model, threshold, agency_for, rows)
        if progress is not None:
            progress(min(start + BATCH, len(post_ids)))
    return scored


def _score_pages(session: Session, model: ComplaintModel, threshold: float | None, agency_for: AgencyFor, which) -> int:
    """Score the posts that are not ours and match ``which``, a page at a time in id order."""
    scored, after = 0, 0
    while True:
        rows = session.execute(
            select(Post.id, Post.text)
            .where(Post.is_own.is_(False), Post.id > after, which)
            .order_by(Post.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return scored
        scored += _score_batch(session, model, threshold, agency_for, rows)
        after = rows[-1].id


def _score_batch(session: Session, model: ComplaintModel, threshold: float | None, agency_for: AgencyFor, rows) -> int:
    """Classify ``rows`` (id, text) with ``model`` at ``threshold`` (None: the model's own); point each post at
    its classification and copy its flag.

    A post that already has one from this version (a model rolled back to, or
    another process scoring the same post) keeps it: the insert skips it, and
    the classifications are looked up afterwards (faster than ``RETURNING`` over
    many rows on SQLite).
    """
    if not rows:
        return 0
    now = utcnow()
    threshold = model.metadata.threshold if threshold is None else threshold
    predictions = model.predict([row.text for row in rows], threshold=threshold)
    values = [
        {
            "post_id": row.id,
            "model_version": model.version,
            "score": prediction.score,
            "threshold": threshold,
            "flagged": prediction.flagged,
            "category": prediction.category,
            "agency": agency_for(prediction.category),
            "suggestions": [[name, score] for name, score in prediction.suggestions],
            "created_at": now,
        }
        for row, prediction in zip(rows, predictions, strict=True)
    ]
    statement = upsert_insert(session, Classification).on_conflict_do_nothing(
        index_elements=["post_id", "model_version"]
    )
    session.execute(statement, values)
    made = session.execute(
        select(Classification.post_id, Classification.id, Classification.flagged).where(
            Classification.post_id.in_([row.id for row in rows]), Classification.model_version == model.version
        )
    ).all()
    session.execute(
        update(Post),
        [{"id": post_id, "classification_id": made_id, "flagged": flagged} for post_id, made_id, flagged in made],
    )
    return len(rows)
