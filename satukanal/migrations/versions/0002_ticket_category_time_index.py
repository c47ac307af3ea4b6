"""Index tickets by category and creation time, for the queue's possible duplicates.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_tickets_category_created_at", "tickets", ["category", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_category_created_at", table_name="tickets")
