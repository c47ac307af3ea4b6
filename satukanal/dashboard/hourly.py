"""Reading the hourly counts (``satukanal.dashboard.models``) for a list of days, and counting them again.

The office's days start at midnight in its time zone. For a zone a whole number of hours from UTC every day
is a run of whole hours, so a day's count is the sum of its hours' counts, and the database adds them up:
``(hour - first hour) // hours a day`` numbers the days of a run of equally long days (all of them in
Indonesia; a day that daylight saving time makes 23 or 25 hours long is a run of its own). A zone a half or
quarter of an hour from UTC cuts hours in two: ``runs`` says so (None) and the caller counts the rows.

The triggers keep the counts; rows written with triggers off (``pg_restore --disable-triggers``, a bulk load
under ``session_replication_role = replica``) are not in them until ``recount`` (``satukanal db recount``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    and_,
    case,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from satukanal.dashboard.models import DecisionHour, PostHour
from satukanal.models import Post, ReviewDecision

SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class Run:
    """Consecutive days of ``length`` hours each, the first of them starting at ``hour``."""

    first: int
    """The index of its first day among the days asked for."""
    hour: int
    length: int
    days: int

    def day(self, hour: ColumnElement[int]) -> ColumnElement[int]:
        """The index of the day (among the days asked for) holding ``hour``, an hour of this run."""
        start, length, first = (literal_column(str(value), Integer) for value in (self.hour, self.length, self.first))
        return (hour - start) // length + first

    def holds(self, hour: ColumnElement[int]) -> ColumnElement[bool]:
        return and_(hour >= self.hour, hour < self.hour + self.length * self.days)


def runs(bounds: list[datetime]) -> list[Run] | None:
    """The days between consecutive ``bounds`` as runs of equally long days; None when a bound is not a
    whole hour of UTC."""
    hours = []
    for bound in bounds:
        seconds = bound.timestamp()
        if seconds % SECONDS_PER_HOUR:
            return None
        hours.append(int(seconds) // SECONDS_PER_HOUR)
    found: list[Run] = []
    for index, (start, end) in enumerate(pairwise(hours)):
        if found and found[-1].length == end - start:
            last = found[-1]
            found[-1] = Run(last.first, last.hour, last.length, last.days + 1)
        else:
            found.append(Run(index, start, end - start, 1))
    return found


class hour_number(FunctionElement):  # noqa: N801 - named as the SQL function it stands for
    """The hour (whole hours since 1970-01-01 00:00 UTC) of a timestamp column, as the triggers compute it."""

    type = Integer()
    inherit_cache = True


@compiles(hour_number)
def _hour_number(element: hour_number, compiler, **kw) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"CAST(floor(extract(epoch FROM {moment}) / {SECONDS_PER_HOUR}) AS integer)"


@compiles(hour_number, "sqlite")
def _hour_number_sqlite(element: hour_number, compiler, **kw) -> str:
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER) / {SECONDS_PER_HOUR}"


def recount(connection: Connection) -> tuple[int, int]:
    """Count every post and decision again into the hourly counts, in the caller's transaction; returns how many
    posts and decisions were counted. Writers wait meanwhile (PostgreSQL: a SHARE lock on both tables; SQLite
    writes one at a time anyway)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE posts, review_decisions IN SHARE MODE"))
    connection.execute(delete(PostHour))
    connection.execute(delete(DecisionHour))
    hour = hour_number(Post.created_at)
    posts = select(hour, Post.platform, func.count(), func.count(case((Post.flagged, 1))))
    posts = posts.where(Post.is_own.is_not(True)).group_by(hour, Post.platform)
    connection.execute(insert(PostHour).from_select(["hour", "platform", "posts", "flagged"], posts))
    hour = hour_number(ReviewDecision.decided_at)
    decisions = select(hour, ReviewDecision.decision, func.count()).group_by(hour, ReviewDecision.decision)
    connection.execute(insert(DecisionHour).from_select(["hour", "decision", "decisions"], decisions))
    totals = (
        select(func.coalesce(func.sum(PostHour.posts), 0)),
        select(func.coalesce(func.sum(DecisionHour.decisions), 0)),
    )
    return tuple(connection.execute(total).scalar_one() for total in totals)
