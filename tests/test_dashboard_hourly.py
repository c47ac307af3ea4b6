"""The hourly counts the dashboard adds up (``satukanal.dashboard.models``): the database's triggers keep them
equal to the posts and decisions they count through every insert, change and delete, whoever writes; the
migration starts them from the rows already there; and the days of a time zone whose days are not whole UTC
hours are counted from the posts themselves."""

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import count, pairwise
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select, update

from satukanal.dashboard.hourly import runs
from satukanal.dashboard.models import DecisionHour, PostHour
from satukanal.dashboard.received import received
from satukanal.db import _alembic_config, make_engine, session_factory, upgrade
from satukanal.models import Post, ReviewDecision

START = datetime(2026, 3, 28, tzinfo=UTC)
"""A Saturday: Europe's clocks go forward on the Sunday after, so some days below are 23 hours long."""
PLATFORMS = ("x", "instagram", "whatsapp")
DECISIONS = ("confirm", "reject", "duplicate")

moments = st.integers(min_value=0, max_value=4 * 24 * 3600 - 1).map(lambda seconds: START + timedelta(seconds=seconds))
new_post = st.fixed_dictionaries(
    {
        "platform": st.sampled_from(PLATFORMS),
        "created_at": moments,
        "is_own": st.booleans(),
        "flagged": st.sampled_from([None, True, False]),
    }
)
change = st.one_of(
    st.fixed_dictionaries({"flagged": st.sampled_from([None, True, False])}),
    st.fixed_dictionaries({"created_at": moments}),
    st.fixed_dictionaries({"is_own": st.booleans()}),
    st.fixed_dictionaries({"platform": st.sampled_from(PLATFORMS)}),
    st.fixed_dictionaries({"text": st.just("diubah")}),
)
step = st.one_of(
    st.tuples(st.just("add"), st.lists(new_post, min_size=1, max_size=4)),
    st.tuples(st.just("change"), st.integers(0, 50), change),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("decide"), st.integers(0, 50), st.sampled_from(DECISIONS), moments),
    st.tuples(st.just("redecide"), st.integers(0, 50), st.sampled_from(DECISIONS), moments),
    st.tuples(st.just("undecide"), st.integers(0, 50)),
)


def post_row(n: int, fields: dict) -> dict:
    return {
        "platform_id": f"p{n}",
        "kind": "mention",
        "author": "warga",
        "text": "lampu jalan mati",
        "collected_at": START,
        "source": "test",
        "review_status": "pending",
        **fields,
    }


def pick(session, model, n: int):
    ids = session.scalars(select(model.id).order_by(model.id)).all()
    return ids[n % len(ids)] if ids else None


def apply(session, operation: tuple, serial: Iterator[int]) -> None:
    kind, *args = operation
    if kind == "add":
        rows = [post_row(next(serial), fields) for fields in args[0]]
        session.execute(insert(Post), rows)
    elif kind in ("change", "delete") and (post_id := pick(session, Post, args[0])) is not None:
        statement = update(Post).values(**args[1]) if kind == "change" else delete(Post)
        session.execute(statement.where(Post.id == post_id))
    elif kind == "decide" and (post_id := pick(session, Post, args[0])) is not None:
        decision = {"post_id": post_id, "decision": args[1], "decided_at": args[2], "actor": "moderator1"}
        session.execute(insert(ReviewDecision), [decision])
    elif kind in ("redecide", "undecide") and (decision_id := pick(session, ReviewDecision, args[0])) is not None:
        values = {"decision": args[1], "decided_at": args[2]} if kind == "redecide" else None
        statement = update(ReviewDecision).values(**values) if values else delete(ReviewDecision)
        session.execute(statement.where(ReviewDecision.id == decision_id))


def hour_of(moment: datetime) -> int:
    return int(moment.timestamp()) // 3600


def counted_from_rows(session) -> tuple[Counter, Counter]:
    """The hourly counts computed from every post and decision in Python."""
    posts = Counter()
    for platform, created_at, is_own, flagged in session.execute(
        select(Post.platform, Post.created_at, Post.is_own, Post.flagged)
    ):
        if not is_own:
            posts[(hour_of(created_at), platform, "posts")] += 1
            posts[(hour_of(created_at), platform, "flagged")] += bool(flagged)
    decisions = Counter(
        (hour_of(decided_at), decision)
        for decision, decided_at in session.execute(select(ReviewDecision.decision, ReviewDecision.decided_at))
    )
    return +posts, +decisions


def hourly_counts(session) -> tuple[Counter, Counter]:
    posts = Counter()
    for row in session.execute(select(PostHour)).scalars():
        posts[(row.hour, row.platform, "posts")] += row.posts
        posts[(row.hour, row.platform, "flagged")] += row.flagged
    decisions = Counter({(row.hour, row.decision): row.decisions for row in session.scalars(select(DecisionHour))})
    return +posts, +decisions


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(step, min_size=1, max_size=25))
def test_the_hourly_counts_follow_every_insert_change_and_delete(app, operations):
    with app.sessions.begin() as session:
        session.execute(delete(Post))
        session.execute(delete(PostHour))
        session.execute(delete(DecisionHour))
    serial = count(1)
    with app.sessions.begin() as session:
        for operation in operations:
            apply(session, operation, serial)
    with app.sessions() as session:
        assert hourly_counts(session) == counted_from_rows(session)


def test_a_rolled_back_write_leaves_the_counts_as_they_were(app):
    with app.sessions.begin() as session:
        session.execute(insert(Post), [post_row(1, {"platform": "x", "created_at": START, "is_own": False})])
    with app.sessions() as session:
        session.execute(update(Post).values(flagged=True))
        session.execute(insert(Post), [post_row(2, {"platform": "x", "created_at": START, "is_own": False})])
        session.rollback()
    with app.sessions() as session:
        assert session.execute(select(PostHour.posts, PostHour.flagged)).all() == [(1, 0)]


def test_the_migration_counts_the_rows_already_there_and_undoing_it_removes_the_counts(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'satukanal.db'}")
    command.upgrade(_alembic_config(engine), "0009")
    with engine.begin() as connection:
        rows = [
            post_row(n, {"platform": PLATFORMS[n % 3], "created_at": START + timedelta(minutes=37 * n)})
            for n in range(60)
        ]
        connection.execute(
            insert(Post),
            [{**row, "is_own": row["platform_id"] == "p7", "flagged": n % 4 == 0} for n, row in enumerate(rows)],
        )
        decided = [
            {"post_id": n + 1, "decision": DECISIONS[n % 3], "decided_at": START + timedelta(hours=n), "actor": "m"}
            for n in range(30)
        ]
        connection.execute(insert(ReviewDecision), decided)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        before = counted_from_rows(session)
        assert hourly_counts(session) == before and sum(before[0].values()) == 59 + 15
    command.downgrade(_alembic_config(engine), "0009")
    with engine.begin() as connection:
        connection.execute(insert(Post), [post_row(99, {"platform": "x", "created_at": START, "is_own": False})])
    upgrade(engine)
    with sessions() as session:
        assert hourly_counts(session) == counted_from_rows(session) != before
    engine.dispose()


@pytest.mark.parametrize(
    ("zone", "whole_hours"),
    [("Asia/Jakarta", True), ("Europe/Berlin", True), ("Asia/Kolkata", False), ("Asia/Kathmandu", False)],
)
def test_each_days_posts_are_counted_in_any_time_zone(app, zone, whole_hours):
    """Berlin's 29 March 2026 has 23 hours: the days are counted in three runs; Kolkata's and Kathmandu's days
    start on the half and quarter hour: their posts are counted one by one, with the same result."""
    moments = [START + timedelta(minutes=13 * n) for n in range(400)]
    with app.sessions.begin() as session:
        rows = [
            post_row(n, {"platform": PLATFORMS[n % 3], "created_at": at, "is_own": n % 17 == 0, "flagged": n % 5 == 0})
            for n, at in enumerate(moments)
        ]
        session.execute(insert(Post), rows)
    office = ZoneInfo(zone)
    days = [date(2026, 3, 28) + timedelta(days=n) for n in range(4)]
    bounds = [datetime.combine(day, datetime.min.time(), office) for day in [*days, days[-1] + timedelta(days=1)]]
    with app.sessions() as session:
        counted = received(session, bounds)
    ours = [row for row in rows if not row["is_own"]]
    expected_days = [sum(1 for row in ours if since <= row["created_at"] < until) for since, until in pairwise(bounds)]
    assert (runs(bounds) is not None) == whole_hours
    assert counted.per_day == expected_days and sum(expected_days) > 0
    within = [row for row in ours if bounds[0] <= row["created_at"] < bounds[-1]]
    assert counted.per_platform == Counter(row["platform"] for row in within)
    assert counted.flagged == sum(1 for row in within if row["flagged"])
    if zone == "Europe/Berlin":
        assert [run.length for run in runs(bounds)] == [24, 23, 24]


def test_recounting_restores_counts_that_missed_rows_written_with_triggers_off(app, cli_run):
    rows = [
        post_row(
            n,
            {
                "platform": PLATFORMS[n % 3],
                "created_at": START + timedelta(hours=n),
                "is_own": n == 4,
                "flagged": n % 2 == 0,
            },
        )
        for n in range(12)
    ]
    with app.sessions.begin() as session:
        session.execute(insert(Post), rows)
        session.execute(
            insert(ReviewDecision), [{"post_id": 1, "decision": "confirm", "decided_at": START, "actor": "m"}]
        )
        # What a restore with triggers off leaves: counts that miss rows, and counts of rows gone.
        session.execute(delete(PostHour).where(PostHour.hour < hour_of(START + timedelta(hours=6))))
        session.execute(insert(DecisionHour), [{"hour": 1, "decision": "reject", "decisions": 5}])
    result = cli_run("db", "recount")
    assert result.exit_code == 0, result.output
    assert "Hourly counts counted again: posts 11, decisions 1." in result.output
    with app.sessions() as session:
        assert hourly_counts(session) == counted_from_rows(session)
