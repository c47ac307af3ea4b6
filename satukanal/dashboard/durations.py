"""How long confirming and resolving took: the median of each period, found by the database.

A year's medians stand on 20,000 confirmations and as many resolutions. The database puts each in its period
(a ``CASE`` on the periods' bounds), numbers them by duration within it (``row_number()``) and hands back
only the one or two in the middle of each; the durations are seconds between two moments, each read as
seconds since 1970 UTC (``epoch_seconds``), as both SQLite and PostgreSQL can.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Float, Select, and_, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from satukanal.models import Post, ReviewDecision, Ticket

SECONDS_PER_HOUR = 3600
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
    end, start = rows.c
    period = case(*((end < bound, index) for index, bound in enumerate(bounds[1:])))
    seconds = epoch_seconds(end) - epoch_seconds(start)
    ranked = select(
        period.label("period"),
        seconds.label("seconds"),
        func.row_number().over(partition_by=period, order_by=seconds).label("place"),
        func.count().over(partition_by=period).label("count"),
    ).subquery("ranked")
    middle = or_(ranked.c.place == (ranked.c.count + 1) // 2, ranked.c.place == ranked.c.count // 2 + 1)
    counts, middles = [0] * (len(bounds) - 1), [[] for _ in range(len(bounds) - 1)]
    for index, value, count in session.execute(select(ranked.c.period, ranked.c.seconds, ranked.c.count).where(middle)):
        counts[index] = count
        middles[index].append(value)
    return [
        Durations(count, round(sum(values) / len(values) / unit, 1) if values else None)
        for count, values in zip(counts, middles, strict=True)
    ]


def _within(moment: ColumnElement[datetime], bounds: list[datetime]) -> ColumnElement[bool]:
    return and_(moment >= bounds[0], moment < bounds[-1])
