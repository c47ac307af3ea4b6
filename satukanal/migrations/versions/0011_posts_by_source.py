"""Posts by source: the Sumber page counts each source's posts and its newest collection time on every view.

Without an index that was a read of the whole posts table (0.6–1.1 s at a million posts on SQLite); with
(source, collected_at) it reads the index alone.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_posts_source_collected", "posts", ["source", "collected_at"])


def downgrade() -> None:
    op.drop_index("ix_posts_source_collected", table_name="posts")
