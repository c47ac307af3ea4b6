"""Users: a session generation that logging out advances; publications: who holds one in flight, and until when.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("publications") as table:
        table.add_column(sa.Column("claimed_by", sa.String(100), nullable=True))
        table.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("publications") as table:
        table.drop_column("lease_until")
        table.drop_column("claimed_by")
    with op.batch_alter_table("users") as table:
        table.drop_column("session_generation")
