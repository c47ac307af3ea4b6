"""Indexes for a million posts: posts by classification, review decisions and resolved tickets by time.

``posts.classification_id`` is what scoring asks for (posts without one) and
what deleting classifications checks; ``review_decisions.decided_at`` and
``tickets.resolved_at`` are what the dashboard, its weekly trend and the
recaps count by. Without them all were full scans.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_posts_classification_id"), "posts", ["classification_id"])
    op.create_index(op.f("ix_review_decisions_decided_at"), "review_decisions", ["decided_at"])
    op.create_index(op.f("ix_tickets_resolved_at"), "tickets", ["resolved_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_tickets_resolved_at"), table_name="tickets")
    op.drop_index(op.f("ix_review_decisions_decided_at"), table_name="review_decisions")
    op.drop_index(op.f("ix_posts_classification_id"), table_name="posts")
