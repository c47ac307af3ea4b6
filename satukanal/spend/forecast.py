"""One month's X spend against its budget, in the words the Sumber page and ``satukanal sources check`` use.

The forecast is linear: what was spent so far, divided by the part of the
month (office time) that has passed. It is crude on the first day and good
enough after a few, which is when a budget can still be saved: it answers
"at this pace, where do we end?" without a model of weekdays or campaigns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from babel.numbers import format_decimal

from publisher.periods import LOCALE, Month

WARN_AT = 0.8
"""The share of a budget from which it is shown and logged as nearly used up."""
OK, WARNING, PAUSED = "ok", "warning", "paused"


def usd(amount: float) -> str:
    """``1234.5`` US dollars as Indonesian writes amounts: ``US$ 1.234,50``."""
    return f"US$ {format_decimal(amount, format='#,##0.00', locale=LOCALE)}"


def month_forecast(spent: float, month: Month, now: datetime, zone: tzinfo) -> float:
    """What the whole ``month`` costs if the rest of it goes like the part before ``now``."""
    start, end = month.bounds(zone)
    passed = (now - start) / (end - start)
    return spent / passed if passed > 0 else spent


@dataclass(frozen=True)
class Budget:
    """US dollars ``spent`` this month, the ``limit`` set for them (None: no budget) and the ``forecast``."""

    spent: float
    limit: float | None
    forecast: float

    @property
    def share(self) -> float | None:
        return None if self.limit is None else self.spent / self.limit

    @property
    def level(self) -> str:
        """``paused`` once the budget is used up, ``warning`` from ``WARN_AT`` of it, else ``ok``."""
        share = self.share
        if share is None or share < WARN_AT:
            return OK
        return PAUSED if share >= 1 else WARNING

    @property
    def percent(self) -> str | None:
        """The share used, as a whole percentage in Indonesian digits (``1.250``), or None without a budget."""
        share = self.share
        return None if share is None else format_decimal(round(share * 100), locale=LOCALE)

    @property
    def overrun_expected(self) -> bool:
        """Whether the month, at this pace, ends above the budget (while it is not used up yet)."""
        return self.limit is not None and self.level != PAUSED and self.forecast > self.limit

    def words(self) -> str:
        """``US$ 1,23 dari US$ 10,00 (12 %), perkiraan akhir bulan US$ 4,10``; a forecast above the budget says
        so, while there is still time to act on it."""
        limit = " (tanpa anggaran)" if self.limit is None else f" dari {usd(self.limit)} ({self.percent} %)"
        over = ", melebihi anggaran bila laju ini berlanjut" if self.overrun_expected else ""
        return f"{usd(self.spent)}{limit}, perkiraan akhir bulan {usd(self.forecast)}{over}"
