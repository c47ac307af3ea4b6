"""Ownership of posts and tickets; users' e-mail and notification preference; notifications; saved filters;
checks of a source asked for in the web app.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNED = ("posts", "tickets")


def upgrade() -> None:
    for name in OWNED:
        with op.batch_alter_table(name) as table:
            table.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
            table.create_foreign_key(f"fk_{name}_owner_id_users", "users", ["owner_id"], ["id"], ondelete="SET NULL")
            table.create_index(f"ix_{name}_owner_id", ["owner_id"], unique=False)
    with op.batch_alter_table("source_health") as table:
        table.add_column(sa.Column("check_requested_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("email", sa.String(254), nullable=True))
        table.add_column(sa.Column("notify_mode", sa.String(20), nullable=False, server_default="each"))
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("link", sa.String(200), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivery", sa.String(20), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_notifications_user_id_users", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name="fk_notifications_ticket_id_tickets", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.UniqueConstraint("user_id", "key", name="uq_notifications_user_id_key"),
    )
    with op.batch_alter_table("notifications") as table:
        for column in ("user_id", "ticket_id", "created_at", "delivery"):
            table.create_index(f"ix_notifications_{column}", [column], unique=False)
    op.create_table(
        "saved_filters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.String(20), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("query", sa.String(1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_saved_filters_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_saved_filters"),
        sa.UniqueConstraint("user_id", "page", "name", name="uq_saved_filters_user_id_page_name"),
    )
    with op.batch_alter_table("saved_filters") as table:
        table.create_index("ix_saved_filters_user_id", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("saved_filters")
    op.drop_table("notifications")
    with op.batch_alter_table("users") as table:
        table.drop_column("notify_mode")
        table.drop_column("email")
    with op.batch_alter_table("source_health") as table:
        table.drop_column("check_requested_at")
    for name in reversed(OWNED):
        with op.batch_alter_table(name) as table:
            table.drop_index(f"ix_{name}_owner_id")
            table.drop_constraint(f"fk_{name}_owner_id_users", type_="foreignkey")
            table.drop_column("owner_id")
