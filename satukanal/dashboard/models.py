"""The hourly counts the dashboard and the recaps add up instead of reading every post and decision.

The database keeps them itself: triggers on ``posts`` and ``review_decisions`` (migration 0010) add and take
away one at every insert, delete and change of a counted column, whoever writes the row (a collector, an
import, the webhook, scoring, a bulk load, a ``psql`` session), so they never drift from the rows they count.
An hour is the number of whole hours since 1970-01-01 00:00 UTC: the office's days, in any time zone a whole
number of hours from UTC, are runs of whole hours, whatever the zone is set to.
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from satukanal.schema import Base


class PostHour(Base):
    """The posts created in one hour on one platform, our own accounts' posts left out, and how many of them
    are flagged now (``Post.flagged``)."""

    __tablename__ = "post_hours"

    hour: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    posts: Mapped[int] = mapped_column(Integer)
    flagged: Mapped[int] = mapped_column(Integer)


class DecisionHour(Base):
    """The moderators' decisions of one kind (``ReviewDecision.decision``) made in one hour."""

    __tablename__ = "decision_hours"

    hour: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    decision: Mapped[str] = mapped_column(String(20), primary_key=True)
    decisions: Mapped[int] = mapped_column(Integer)
