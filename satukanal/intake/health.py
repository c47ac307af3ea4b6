"""Each collection source's health: when it last ran, last succeeded, and the incident it is in.

A source is never silently stale: every run leaves its mark here, the
scheduler raises one alarm per incident, ``satukanal sources check`` and the
web app's Sumber page read the same rows, and run the same check
(``check_source``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from monitor import ImportFolderSource, SourceBroken, SourceError
from satukanal.intake.advice import with_our_steps
from satukanal.intake.models import SourceHealth
from satukanal.models import utcnow
from satukanal.spend.service import Meter, budget_pause, paused_by_budget


def _row(session: Session, source: str) -> SourceHealth:
    row = session.scalar(select(SourceHealth).where(SourceHealth.source == source))
    if row is None:
        row = SourceHealth(source=source, state="ok", last_added=0, alarm_logged=False)
        session.add(row)
    return row


REJECTED_ADVICE = (
    "Buka folder rejected/ di folder impor: tiap berkas ada laporannya (NAMA.errors.txt) yang menyebut baris "
    "yang ditolak dan sebabnya. Perbaiki baris itu lalu taruh berkasnya kembali di folder impor; baris yang sudah "
    "tersimpan dilewati. Peringatan ini hilang setelah folder rejected/ kosong."
)


def record_success(
    session: Session, source: str, added: int, now: datetime | None = None, rejected: list[str] | None = None
) -> None:
    """Note a run that finished; ``rejected`` names files set aside for a person, which keeps an incident open."""
    now = now or utcnow()
    row = _row(session, source)
    row.last_run_at, row.last_success_at, row.last_added = now, now, added
    if rejected:
        _mark_rejected(row, rejected, now)
        return
    row.state = "ok"
    row.error_code = row.error = row.advice = row.incident_since = None
    row.alarm_logged = False


def _mark_rejected(row: SourceHealth, rejected: list[str], now: datetime) -> None:
    shown = ", ".join(rejected[:3]) + (f" dan {len(rejected) - 3} lainnya" if len(rejected) > 3 else "")
    if row.state != "rejected":
        row.incident_since, row.alarm_logged = now, False
    row.state, row.error_code, row.advice = "rejected", "import-rejected", REJECTED_ADVICE
    row.error = f"{len(rejected)} berkas impor ditolak sebagian dan menunggu diperbaiki: {shown}"


def record_failure(session: Session, source: str, failure: SourceError, now: datetime | None = None) -> None:
    """Note a failed run; the first failure, or one with another cause, starts a new incident (and alarm)."""
    now = now or utcnow()
    row = _row(session, source)
    state = "broken" if isinstance(failure, SourceBroken) else "failing"
    code = failure.code if isinstance(failure, SourceBroken) else "unavailable"
    new = row.state != state or row.error_code != code
    row.state, row.last_run_at, row.error_code, row.error = state, now, code, failure.args[0]
    row.advice = failure.advice if isinstance(failure, SourceBroken) else None
    if new:
        row.incident_since, row.alarm_logged = now, False


def record_check_passed(session: Session, source: str, rejected: list[str] | None = None) -> None:
    """A live check read the source again: a broken source's incident is over, and its next run is due;
    an import folder's rejected files are counted again (``rejected``), and the incident ends once none wait."""
    row = session.scalar(select(SourceHealth).where(SourceHealth.source == source))
    if row is None or row.state not in ("broken", "rejected"):
        return
    if row.state == "rejected" and rejected:
        _mark_rejected(row, rejected, utcnow())
        return
    row.state, row.error_code, row.error, row.advice, row.incident_since = "ok", None, None, None, None
    row.alarm_logged = False


def check_source(app, config, now: datetime | None = None) -> tuple[list[str], SourceError | None]:
    """Ask an enabled source once whether it can read what it collects, and record the outcome.

    ``app`` is the ``satukanal.wiring.App``, ``config`` a ``SourceConfig``. An
    import folder is looked at (files waiting, files rejected); X and Instagram
    are asked once, unless their X budget is used up (``satukanal.spend``): asking
    would cost, and the pause is the outcome. A pass ends a broken source's incident
    (``record_check_passed``), a failure starts or continues one. Returns what the
    source reported and its failure, if any, with this application's steps in the advice.
    """
    source = app.build_source(config)
    lines: list[str] = []
    failure = budget_pause(app.sessions, app.settings, config.name, now)
    if failure is None:
        try:
            lines = list(source.check())
        except SourceError as exc:
            failure = with_our_steps(exc)
        finally:
            _count_check_reads(app, config.name, source)
    rejected = source.rejected_files() if isinstance(source, ImportFolderSource) else None
    with app.sessions.begin() as session:
        if failure is None:
            record_check_passed(session, config.name, rejected)
        else:
            record_failure(session, config.name, failure, now)
        session.execute(update(SourceHealth).where(SourceHealth.source == config.name).values(check_requested_at=None))
    return lines, failure


def _count_check_reads(app, name: str, source: object) -> None:
    """Count the posts X handed the check (an X source's ``posts_read_in_check``) toward the source's X spend."""
    posts = getattr(source, "posts_read_in_check", 0)
    meter = Meter.for_source(app.sessions, app.settings, name)
    if posts and meter is not None:
        meter.add(posts)


def request_checks(session: Session, names: list[str], now: datetime) -> None:
    """Ask the scheduler to check the sources ``names``: a web request must not wait on X or Instagram, nor
    log in to Instagram from the web server."""
    for name in names:
        _row(session, name).check_requested_at = now


def requested_checks(session: Session) -> list[str]:
    """The sources an admin asked to check, oldest request first."""
    statement = select(SourceHealth.source).where(SourceHealth.check_requested_at.is_not(None))
    return list(session.scalars(statement.order_by(SourceHealth.check_requested_at)))


def mark_alarm_logged(session: Session, source: str) -> None:
    _row(session, source).alarm_logged = True


@dataclass(frozen=True)
class SourceState:
    """A configured source as people see it."""

    name: str
    type: str
    enabled: bool
    interval_minutes: int
    health: SourceHealth | None

    @classmethod
    def of(cls, config, health: SourceHealth | None) -> SourceState:
        """A configured source (``satukanal.config.sections.SourceConfig``) with its health row, if it has run."""
        return cls(config.name, config.type, config.enabled, config.interval_minutes, health)

    def stale(self, now: datetime, stale_after_intervals: int) -> bool:
        """No success for ``stale_after_intervals`` intervals (or ever, once it has run)."""
        if not self.enabled or self.health is None:
            return False
        since = self.health.last_success_at
        return since is None or now - since > timedelta(minutes=self.interval_minutes * stale_after_intervals)

    def problem(self, now: datetime, stale_after_intervals: int) -> str | None:
        """What is wrong with the source, in words for the team; None when nothing is."""
        if not self.enabled:
            return None
        if self.health is not None and self.health.state in ("broken", "rejected"):
            return self.health.error
        if self.stale(now, stale_after_intervals):
            last = self.health.last_success_at
            when = "belum pernah berhasil" if last is None else f"terakhir berhasil {last:%Y-%m-%d %H:%M} UTC"
            reason = f": {self.health.error}" if self.health.error else ""
            return (
                f"sumber ini tertinggal ({when}){reason}; pastikan `satukanal run` berjalan, atau kumpulkan sekarang "
                f"dengan `satukanal collect --source {self.name}`"
            )
        return None


def health_by_source(session: Session) -> dict[str, SourceHealth]:
    return {row.source: row for row in session.scalars(select(SourceHealth))}


def source_states(session: Session, configs: Iterable) -> list[SourceState]:
    """Each configured source (``satukanal.config.sections.SourceConfig``) with its health."""
    health = health_by_source(session)
    return [SourceState.of(config, health.get(config.name)) for config in configs]


def broken_due(health: SourceHealth | None, retry_minutes: int, now: datetime) -> bool:
    """Whether the scheduler should try a source again: always, unless it is broken and was tried recently.

    A source paused by its X budget is always due: finding out whether the pause is over asks X nothing, and
    collection should resume as soon as a new month begins."""
    if health is None or health.state != "broken" or paused_by_budget(health) or health.last_run_at is None:
        return True
    return now - health.last_run_at >= timedelta(minutes=retry_minutes)
