"""How long confirming and resolving took: how many, and the median of each period.

A year's medians stand on 20,000 confirmations and as many resolutions. Each comes from the database as two
numbers, the moment it happened and how long it took, in seconds since 1970 UTC (``epoch_seconds``, as both
SQLite and PostgreSQL can): no datetime is parsed in Python. Periods side by side (the weekly trend) are read
in one statement and each value put in its period here. Finding the middle in the database instead
(``row_number()`` over the periods) took SQLite twice as long.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import ColumnElement, Float, Select, and_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from satukanal.dashboard.hourly import SECONDS_PER_HOUR
from satukanal.models import Post, ReviewDecision, Ticket

SECONDS_PER_DAY = 86400


class epoch_seconds(FunctionElement):  # noqa: N801 - named as the SQL function it stands for
    """Seconds since 1970-01-01 00:00 UTC of a timestamp column, microseconds included, as a float."""

    type = Float()
    inherit_cache = True


@compiles(epoch_seconds)
def _epoch_seconds(element: epoch_seconds, compiler, **kw) -> str:
    return f"CAST(extract(epoch FROM {compiler.process(element.clauses, **kw)}) AS double precision)"


@compiles(epoch_seconds, "sqlite")
def _epoch_seconds_sqlite(element: epoch_seconds, compiler, **kw) -> str:
    """SQLite keeps the UTC moment as text, ``YYYY-MM-DD HH:MM:SS.ffffff``: whole seconds, then the fraction."""
    moment = compiler.process(element.clauses, **kw)
    return f"(CAST(strftime('%s', {moment}) AS REAL) + CAST(substr({moment}, 20) AS REAL))"


@dataclass(frozen=True)
class Durations:
    """How many things took a time in a period, and the median of those times (None without any)."""

    count: int
    median: float | None


def hours_to_confirm(session: Session, bounds: list[datetime]) -> list[Durations]:
    """The posts confirmed between each two consecutive ``bounds``, and the median hours from their creation to
    their confirmation."""
    confirmed = select(ReviewDecision.decided_at, Post.created_at).join(Post, Post.id == ReviewDecision.post_id)
    confirmed = confirmed.where(ReviewDecision.decision == "confirm", _within(ReviewDecision.decided_at, bounds))
    return _medians(session, confirmed, bounds, SECONDS_PER_HOUR)


def days_to_resolve(session: Session, bounds: list[datetime], ours: list[ColumnElement[bool]]) -> list[Durations]:
    """The tickets (``ours``) resolved between each two consecutive ``bounds``, and the median days from their
    opening to Selesai."""
    resolved = select(Ticket.resolved_at, Ticket.created_at).where(_within(Ticket.resolved_at, bounds), *ours)
    return _medians(session, resolved, bounds, SECONDS_PER_DAY)


def _medians(session: Session, rows: Select, bounds: list[datetime], unit: int) -> list[Durations]:
    """Per period (by the first column of ``rows``): how many rows, and the median time from their second column
    to their first, in ``unit`` seconds, to a tenth."""
    rows = rows.subquery("timed")
    end, start = (epoch_seconds(column) for column in rows.c)
    edges = [bound.timestamp() for bound in bounds]
    periods: list[list[float]] = [[] for _ in range(len(bounds) - 1)]
    for moment, seconds in session.execute(select(end, end - start)):
        periods[bisect_right(edges, moment) - 1].append(seconds / unit)
    return [Durations(len(values), round(median(values), 1) if values else None) for values in periods]


def _within(moment: ColumnElement[datetime], bounds: list[datetime]) -> ColumnElement[bool]:
    return and_(moment >= bounds[0], moment < bounds[-1])
