"""The spend feature's table: X API use per source, office month and kind of operation."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from satukanal.schema import Base


class Spend(Base):
    """How many posts one source read or wrote on X in one month, and what they cost.

    One row per (source, month, operation), incremented in place by an upsert
    (``satukanal.spend.service.count``), so two processes counting at once
    add up instead of racing. ``month`` is ``YYYY-MM`` in the office time zone;
    ``source`` is a configured source's name, or ``publish:x`` for what the
    office posts. The cost is kept as counted, in millionths of a US dollar at
    the price of that moment: a price changed in the settings applies from
    then on and does not rewrite what was already spent.
    """

    __tablename__ = "x_spend"
    __table_args__ = (UniqueConstraint("source", "month", "operation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    month: Mapped[str] = mapped_column(String(7))
    operation: Mapped[str] = mapped_column(String(20))
    posts: Mapped[int] = mapped_column(Integer, default=0)
    cost_micro_usd: Mapped[int] = mapped_column(BigInteger, default=0)
