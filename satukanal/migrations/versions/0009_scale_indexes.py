"""A million posts: the flag on the post itself; posts by classification, decisions and resolutions by time.

``posts.flagged`` copies the current classification's verdict, so the queue
and its count (on every page) read one index instead of every pending post.

``posts.classification_id`` is what scoring asks for (posts without one) and
what deleting classifications checks; ``review_decisions.decided_at`` and
``tickets.resolved_at`` are what the dashboard, its weekly trend and the
recaps count by. Without them all were full scans.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING_STATISTICS = "posts_waiting"


def upgrade() -> None:
    op.add_column("posts", sa.Column("flagged", sa.Boolean(), nullable=True))
    op.execute(
        "UPDATE posts SET flagged = (SELECT classifications.flagged FROM classifications"
        " WHERE classifications.id = posts.classification_id)"
    )
    op.create_index("ix_posts_flagged_queue", "posts", ["is_own", "review_status", "flagged", "created_at"])
    if op.get_bind().dialect.name == "postgresql":
        # Pending and flagged are far from independent (a flagged post is soon decided): without statistics of
        # the three together PostgreSQL expects a fifth of the posts to wait and scans the table for the count.
        op.execute(f"CREATE STATISTICS {WAITING_STATISTICS} (mcv) ON is_own, review_status, flagged FROM posts")
    op.create_index(op.f("ix_posts_classification_id"), "posts", ["classification_id"])
    op.create_index(op.f("ix_review_decisions_decided_at"), "review_decisions", ["decided_at"])
    op.create_index(op.f("ix_tickets_resolved_at"), "tickets", ["resolved_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_tickets_resolved_at"), table_name="tickets")
    op.drop_index(op.f("ix_review_decisions_decided_at"), table_name="review_decisions")
    op.drop_index(op.f("ix_posts_classification_id"), table_name="posts")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP STATISTICS IF EXISTS {WAITING_STATISTICS}")
    op.drop_index("ix_posts_flagged_queue", table_name="posts")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("flagged")
