"""X API spend per source, office month and operation (``satukanal.spend``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "x_spend",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("operation", sa.String(20), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("cost_micro_usd", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_x_spend")),
        sa.UniqueConstraint("source", "month", "operation", name=op.f("uq_x_spend_source_month_operation")),
    )


def downgrade() -> None:
    op.drop_table("x_spend")
