"""Counting what X's API costs, per source and month, and pausing collection when a budget is used up.

Since February 2026 X bills every post it hands out or takes in: a post of
our own accounts' mentions is read cheaper than a post found by search, and a
post we write costs more when it carries a link. So every post is counted
where it passes: a collection run counts each page it stored (``Meter``, from
``satukanal.intake.service.run_source``), and publishing counts each tweet
once the ledger records it as published (``count_thread``, under the source
name ``publish:x``). Prices come from ``x_spend.prices`` at the moment of
counting.

Budgets, per X source (``sources[].monthly_budget_usd``) and overall
(``x_spend.monthly_budget_usd``, every source and publishing together), are
warned about at 80 % and pause collection at 100 %: a run is skipped before
it asks X anything, and a run under way stops after the page that used the
budget up. A pause is recorded like a broken source (code ``x-budget``), so
the Sumber page, ``satukanal sources check`` and the scheduler's alarm say
why and what to do, through the same paths as an exhausted X credit (402).
It lifts by itself in the next month, or when the budget is raised. Posting
is never paused: an answer to a citizen matters more than the budget, but
what it costs counts toward the overall figure.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from monitor import Page, SourceBroken
from publisher.periods import Month, format_day
from satukanal.config.settings import Settings
from satukanal.db import upsert_insert
from satukanal.schema import utcnow
from satukanal.spend.forecast import PAUSED, WARNING, Budget, month_forecast, usd
from satukanal.spend.models import Spend

log = logging.getLogger(__name__)

OWN_MENTION_READ, READ, POST, POST_WITH_URL = "own_mention_read", "read", "post", "post_with_url"
"""The operations X prices differently; each is a key of ``x_spend.prices``."""
READS = {"x_mentions": OWN_MENTION_READ, "x_search": READ}
"""What reading one post costs, by source type: only these sources are counted and budgeted."""
PUBLISHING = "publish:x"
"""The source name posts on X are counted under; a configured source's name cannot contain ``:``."""
BUDGET_CODE = "x-budget"
MICRO = 1_000_000  # costs are kept in millionths of a dollar: X's cheapest price is a thousandth


def office_month(now: datetime, zone: tzinfo) -> Month:
    return Month.containing(now.astimezone(zone).date())


def count(session: Session, settings: Settings, source: str, operation: str, posts: int, now: datetime) -> None:
    """Add ``posts`` posts of ``operation`` to ``source``'s count for the office month of ``now``, at today's price.

    One upsert: two processes counting at once both add, on SQLite and PostgreSQL.
    """
    price = round(getattr(settings.x_spend.prices, operation) * MICRO)
    month = office_month(now, settings.timezone).label
    insert = upsert_insert(session, Spend).values(
        source=source, month=month, operation=operation, posts=posts, cost_micro_usd=posts * price
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["source", "month", "operation"],
            set_={
                "posts": Spend.posts + insert.excluded.posts,
                "cost_micro_usd": Spend.cost_micro_usd + insert.excluded.cost_micro_usd,
            },
        )
    )


def count_thread(sessions: sessionmaker[Session], settings: Settings, texts: list[str], now: datetime) -> None:
    """Count the tweets the office posted on X, each as a post or, when it has a link, a post with a URL.

    A link is what X itself links, by twitter-text's rules: ``lapor.go.id``
    without ``https://`` is one, and is billed as one.
    """
    from publisher.thread import load_twitter_text

    links = load_twitter_text().extract_urls
    posts = Counter(POST_WITH_URL if links(text) else POST for text in texts)
    with sessions.begin() as session:
        for operation, number in sorted(posts.items()):  # rows in one order: two processes never wait on each other
            count(session, settings, PUBLISHING, operation, number, now)


@dataclass(frozen=True)
class MonthSpend:
    """The office month's X spend: each configured X source's against its budget, and the total against the
    overall one (publishing and sources no longer configured included)."""

    month: Month
    sources: dict[str, Budget]
    total: Budget


def month_spend(session: Session, settings: Settings, now: datetime) -> MonthSpend:
    month = office_month(now, settings.timezone)
    rows = session.execute(
        select(Spend.source, func.sum(Spend.cost_micro_usd)).where(Spend.month == month.label).group_by(Spend.source)
    )
    costs = {source: int(micro_usd) for source, micro_usd in rows}  # PostgreSQL sums a bigint as a Decimal

    def budget(micro_usd: int, limit: float | None) -> Budget:
        spent = micro_usd / MICRO
        return Budget(spent, limit, month_forecast(spent, month, now, settings.timezone))

    sources = {
        config.name: budget(costs.get(config.name, 0), config.monthly_budget_usd)
        for config in settings.sources
        if config.type in READS
    }
    return MonthSpend(month, sources, budget(sum(costs.values()), settings.x_spend.monthly_budget_usd))


def pause_for(spend: MonthSpend, source: str) -> SourceBroken | None:
    """Why the X source ``source`` may not read now: its own budget or the overall one is used up; None when
    it may read, or is no X source."""
    own = spend.sources.get(source)
    if own is None:
        return None
    budgets = (
        (own, "sumber ini", "monthly_budget_usd sumber ini"),
        (spend.total, "semua sumber dan publikasi", "x_spend.monthly_budget_usd"),
    )
    for budget, whose, key in budgets:
        if budget.level == PAUSED:
            resume = format_day(spend.month.shifted(1).first)
            return SourceBroken(
                f"anggaran X bulan ini habis ({usd(budget.spent)} dari {usd(budget.limit)}, {whose})",
                BUDGET_CODE,
                f"Naikkan {key} di berkas konfigurasi lalu mulai ulang penjadwal, atau tunggu bulan berikutnya: "
                f"pengumpulan berlanjut sendiri mulai {resume}. Balasan ke warga dan rekap di X tetap diterbitkan",
            )
    return None


def paused_by_budget(health) -> bool:
    """Whether a source's recorded health (``SourceHealth``, or None) is a pause by its X budget, which lifts by
    itself: the scheduler looks at such a source each interval, and pages say "Anggaran X habis"."""
    return health is not None and health.state == "broken" and health.error_code == BUDGET_CODE


def budget_pause(
    sessions: sessionmaker[Session], settings: Settings, source: str, now: datetime | None = None
) -> SourceBroken | None:
    """``pause_for`` from the database, for a check of the source (a run asks its ``Meter``): asking X
    whether a paused source could read would cost, and the pause is the answer."""
    with sessions() as session:
        return pause_for(month_spend(session, settings, now or utcnow()), source)


class Meter:
    """Counts the posts one run of an X source reads, and stops the run once a budget is used up.

    ``counting`` wraps the run's page callback: each page's posts are counted
    as soon as the page is stored; a budget that crosses 80 % during the run is
    logged once; one used up raises the pause as a ``SourceBroken``, which
    ``satukanal.intake.service.collect`` takes like any broken source: the pages
    stored stay, and the next run resumes from their cursor.
    """

    def __init__(self, sessions: sessionmaker[Session], settings: Settings, source: str, operation: str) -> None:
        self.sessions, self.settings, self.source, self.operation = sessions, settings, source, operation
        self._levels: dict[str, str] = {}

    @classmethod
    def for_source(cls, sessions: sessionmaker[Session], settings: Settings, source: str) -> Meter | None:
        """The meter of the configured source named ``source``; None unless it reads X."""
        config = next((config for config in settings.sources if config.name == source), None)
        operation = READS.get(config.type) if config is not None else None
        return None if operation is None else cls(sessions, settings, source, operation)

    def paused(self) -> SourceBroken | None:
        """Why the run may not start (``pause_for``); None when it may."""
        return self._look()

    def add(self, posts: int) -> None:
        """Count ``posts`` posts read now (a page of a run, or what a check was handed)."""
        with self.sessions.begin() as session:
            count(session, self.settings, self.source, self.operation, posts, utcnow())

    def counting(self, on_page: Callable[[Page, object], None] | None) -> Callable[[Page, object], None]:
        def counted(page: Page, stored: object) -> None:
            if page.records:
                self.add(len(page.records))
            if on_page is not None:
                on_page(page, stored)
            pause = self._look() if page.records else None
            if pause is not None:
                raise pause

        return counted

    def _look(self) -> SourceBroken | None:
        with self.sessions() as session:
            spend = month_spend(session, self.settings, utcnow())
        for whose, budget in ((f"source {self.source}", spend.sources[self.source]), ("all X use", spend.total)):
            before, self._levels[whose] = self._levels.get(whose), budget.level
            if budget.level == WARNING and before not in (None, WARNING):
                log.warning(
                    "X spend of %s passed %s %% of its monthly budget: %s", whose, budget.percent, budget.words()
                )
        return pause_for(spend, self.source)
