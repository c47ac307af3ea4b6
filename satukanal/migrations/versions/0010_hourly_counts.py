"""Hourly counts of posts and decisions, kept by triggers (``satukanal.dashboard.models``).

The dashboard and the recaps added up every post and decision of their period on each view: 80,000 rows for
30 days of a million posts, a million for a year. They now add up at most 24 rows a day and platform. The
counts are kept by the database itself, by row triggers, so every writer keeps them, and they start from
the rows already there. The confirmations, which the medians read, get an index of their own, and the
tickets two narrow indexes holding what their clocks need, so that counting every ticket by status or by
agency (the dashboard, the recaps) reads no ticket's long row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def hour(moment: str, dialect: str) -> str:
    """Whole hours since 1970-01-01 00:00 UTC of a timestamp column (stored as UTC text on SQLite)."""
    if dialect == "postgresql":
        return f"floor(extract(epoch FROM {moment}) / 3600)::integer"
    return f"CAST(strftime('%s', {moment}) AS INTEGER) / 3600"


def add_post(row: str, dialect: str) -> str:
    return (
        f"INSERT INTO post_hours (hour, platform, posts, flagged) "
        f"SELECT {hour(row + '.created_at', dialect)}, {row}.platform, 1, {_flag(row)} WHERE NOT {row}.is_own "
        f"ON CONFLICT (hour, platform) DO UPDATE "
        f"SET posts = post_hours.posts + 1, flagged = post_hours.flagged + excluded.flagged"
    )


def take_post(row: str, dialect: str) -> str:
    return (
        f"UPDATE post_hours SET posts = posts - 1, flagged = flagged - {_flag(row)} "
        f"WHERE hour = {hour(row + '.created_at', dialect)} AND platform = {row}.platform AND NOT {row}.is_own"
    )


def add_decision(row: str, dialect: str) -> str:
    return (
        f"INSERT INTO decision_hours (hour, decision, decisions) "
        f"SELECT {hour(row + '.decided_at', dialect)}, {row}.decision, 1 WHERE true "
        f"ON CONFLICT (hour, decision) DO UPDATE SET decisions = decision_hours.decisions + 1"
    )


def take_decision(row: str, dialect: str) -> str:
    return (
        f"UPDATE decision_hours SET decisions = decisions - 1 "
        f"WHERE hour = {hour(row + '.decided_at', dialect)} AND decision = {row}.decision"
    )


def _flag(row: str) -> str:
    return f"CASE WHEN {row}.flagged THEN 1 ELSE 0 END"


TICKET_CLOCK_INDEXES = {
    # They start with what ix_tickets_status and ix_tickets_agency held, and replace them.
    "ix_tickets_status_clock": ["status", "status_changed_at", "created_at", "agency"],
    "ix_tickets_agency_clock": ["agency", "status", "status_changed_at", "created_at"],
}


def post_counted(row: str) -> list[str]:
    return [f"{row}.created_at", f"{row}.platform", f"{row}.is_own", _flag(row)]


def decision_counted(row: str) -> list[str]:
    return [f"{row}.decided_at", f"{row}.decision"]


TRIGGERS = {
    # table counted: (its columns that counts depend on, what of a row is counted, add its count, take it away)
    "posts": ("created_at, platform, is_own, flagged", post_counted, add_post, take_post),
    "review_decisions": ("decided_at, decision", decision_counted, add_decision, take_decision),
}


def moved(counted, dialect: str) -> str:
    """An update's condition for moving counts: what is counted of the row changed. Scoring sets ``flagged`` on
    every new post, and four in five stay unflagged: their counts do not move, and the trigger is not run."""
    differ = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return " OR ".join(f"{old} {differ} {new}" for old, new in zip(counted("OLD"), counted("NEW"), strict=True))


def upgrade() -> None:
    op.create_table(
        "post_hours",
        sa.Column("hour", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "platform", name=op.f("pk_post_hours")),
    )
    op.create_table(
        "decision_hours",
        sa.Column("hour", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("decisions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "decision", name=op.f("pk_decision_hours")),
    )
    op.create_index("ix_review_decisions_decision_decided_at", "review_decisions", ["decision", "decided_at"])
    for name, columns in TICKET_CLOCK_INDEXES.items():
        op.create_index(name, "tickets", columns)
    op.drop_index("ix_tickets_status", table_name="tickets")
    op.drop_index("ix_tickets_agency", table_name="tickets")
    dialect = op.get_bind().dialect.name
    op.execute(
        f"INSERT INTO post_hours (hour, platform, posts, flagged) "
        f"SELECT {hour('created_at', dialect)}, platform, count(*), sum({_flag('posts')}) FROM posts "
        f"WHERE NOT is_own GROUP BY {hour('created_at', dialect)}, platform"
    )
    op.execute(
        f"INSERT INTO decision_hours (hour, decision, decisions) "
        f"SELECT {hour('decided_at', dialect)}, decision, count(*) FROM review_decisions "
        f"GROUP BY {hour('decided_at', dialect)}, decision"
    )
    for table, (columns, counted, add, take) in TRIGGERS.items():
        update = f"AFTER UPDATE OF {columns} ON {table} FOR EACH ROW WHEN ({moved(counted, dialect)})"
        if dialect == "postgresql":
            op.execute(
                f"CREATE FUNCTION count_{table}_hours() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF TG_OP <> 'INSERT' THEN {take('OLD', dialect)}; END IF; "
                f"IF TG_OP <> 'DELETE' THEN {add('NEW', dialect)}; END IF; "
                f"RETURN NULL; END $$"
            )
            for name, when in (
                (f"{table}_hours", f"AFTER INSERT OR DELETE ON {table} FOR EACH ROW"),
                (f"{table}_hours_update", update),
            ):
                op.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION count_{table}_hours()")
        else:
            op.execute(f"CREATE TRIGGER {table}_hours_insert AFTER INSERT ON {table} BEGIN {add('NEW', dialect)}; END")
            op.execute(f"CREATE TRIGGER {table}_hours_delete AFTER DELETE ON {table} BEGIN {take('OLD', dialect)}; END")
            op.execute(
                f"CREATE TRIGGER {table}_hours_update {update} BEGIN {take('OLD', dialect)}; {add('NEW', dialect)}; END"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TRIGGERS:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER {table}_hours ON {table}")
            op.execute(f"DROP TRIGGER {table}_hours_update ON {table}")
            op.execute(f"DROP FUNCTION count_{table}_hours()")
        else:
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER {table}_hours_{event}")
    op.create_index("ix_tickets_agency", "tickets", ["agency"])
    op.create_index("ix_tickets_status", "tickets", ["status"])
    for name in TICKET_CLOCK_INDEXES:
        op.drop_index(name, table_name="tickets")
    op.drop_index("ix_review_decisions_decision_decided_at", table_name="review_decisions")
    op.drop_table("decision_hours")
    op.drop_table("post_hours")
