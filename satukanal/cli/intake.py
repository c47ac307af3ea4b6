"""Intake on the command line: ``satukanal import`` and ``collect`` bring posts in, ``sources check`` says
whether every collection source works and, if not, what to do."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import click
from sqlalchemy import select

from monitor import SourceBroken
from satukanal.cli.root import State, cli
from satukanal.config.settings import Settings
from satukanal.config.sources import SourceConfig
from satukanal.intake import doubled_messages
from satukanal.intake.health import SourceState, check_source, health_by_source
from satukanal.intake.importing import Progress, import_file
from satukanal.intake.service import run_source
from satukanal.models import Cursor, utcnow
from satukanal.spend.forecast import WARNING, Budget
from satukanal.spend.service import month_spend, pause_for, paused_by_budget
from satukanal.wiring import App

SHOWN_ERRORS = 50


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "file_format", type=click.Choice(["jsonl", "csv"]), help="Override the format the extension implies."
)
@click.option("--dry-run", is_flag=True, help="Validate and count only; store nothing.")
@click.pass_obj
def import_command(state: State, file: Path, file_format: str | None, dry_run: bool) -> None:
    """Import posts from FILE (JSONL or CSV in the neutral schema; see the README).

    Posts already stored are skipped and counted; every bad line is reported
    with its number and reason while the good lines are imported. New posts
    are scored at once. Exits non-zero only when nothing could be read.
    """
    app = state.app()
    with import_bar() as progress:
        report = import_file(app, file, file_format, dry_run=dry_run, progress=progress)
    for line, reason in report.errors[:SHOWN_ERRORS]:
        click.echo(f"{file.name}:{line}: {reason}", err=True)
    if len(report.errors) > SHOWN_ERRORS:
        click.echo(f"... dan {len(report.errors) - SHOWN_ERRORS} baris rusak lainnya", err=True)
    verb = "akan diimpor" if dry_run else "diimpor"
    click.echo(
        f"{file.name}: {report.read} baris sah, {verb} {report.added}, {report.duplicates} sudah tersimpan, "
        f"{len(report.errors)} rusak" + (f", {report.scored} dinilai" if report.scored else "")
    )
    if report.nothing_read:
        raise click.ClickException(f"tidak ada yang dapat dibaca dari {file}")


@contextmanager
def import_bar() -> Iterator[Progress]:
    """A progress bar on standard error per phase of an import (lines stored, then posts scored); click shows
    it only on a terminal."""
    shown: dict[str, click.progressbar] = {}

    def show(phase: str, done: int, total: int | None) -> None:
        if phase not in shown:
            for earlier in shown.values():
                earlier.render_finish()
            shown[phase] = click.progressbar(
                iterable=None if total else itertools.count(),
                length=total,
                label=phase,
                show_pos=True,
                show_eta=total is not None,
                file=sys.stderr,
            )
        bar = shown[phase]
        bar.update(done - bar.pos)

    try:
        yield show
    finally:
        for bar in list(shown.values())[-1:]:
            bar.render_finish()


@cli.command()
@click.option("--source", "source_name", help="Collect only this source (default: every enabled source).")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    help="Backfill: read everything from this date (office time zone) instead of what is new; no page limit.",
)
@click.pass_obj
def collect(state: State, source_name: str | None, since: datetime | None) -> None:
    """Run the configured sources once, store what is new and score it.

    A source that fails is reported with its cause and skipped; the others
    still run. Exits 1 when any source failed.
    """
    app = state.app()
    configs = [config for config in app.settings.sources if config.enabled and source_name in (None, config.name)]
    if source_name and not configs:
        names = ", ".join(config.name for config in app.settings.sources if config.enabled) or "tidak ada"
        raise click.ClickException(f"tidak ada sumber aktif bernama {source_name!r} (yang ada: {names})")
    start = since.replace(tzinfo=app.settings.timezone) if since else None
    failed = 0
    for config in configs:
        source = app.build_source(config, since=start)
        with click.progressbar(
            iterable=itertools.count(),
            label=source.name,
            show_pos=True,
            item_show_func=lambda text: text,
            file=sys.stderr,
        ) as bar:
            result = run_source(
                app, source, on_page=lambda page, stored, bar=bar: bar.update(1, f"{stored.added} baru")
            )
        for error in result.errors[:SHOWN_ERRORS]:
            click.echo(f"{source.name}: {error}", err=True)
        click.echo(
            f"{source.name}: {result.added} baru, {result.duplicates} sudah tersimpan, {len(result.errors)} rusak"
        )
        if result.failure is not None:
            failed += 1
            click.echo(f"{source.name}: berhenti: {result.failure}", err=True)
    scored = app.score_pending()
    if scored:
        click.echo(f"{scored} unggahan yang menunggu sudah dinilai")
    if failed:
        raise click.ClickException(f"{failed} sumber gagal; `satukanal sources check` menjelaskan penyebabnya")


@cli.group()
def sources() -> None:
    """Collection sources: their credentials, accounts and health."""


@sources.command("check")
@click.option("--offline", is_flag=True, help="Do not ask X or Instagram; report what the database knows.")
@click.pass_obj
def check(state: State, offline: bool) -> None:
    """Check every configured source: credentials, account ids, last success, next run.

    Import folders are looked at (files waiting, files rejected and waiting to be
    mended). Unless --offline, each enabled X or Instagram source asks its platform once
    whether it can read what it collects. X sources show this month's X spend, budget
    and forecast, and a total line follows. Exits 1 when an enabled source is
    broken, stale, paused by its X budget or fails its check, naming the cause and what to do.
    """
    app = state.app()
    settings = app.settings
    now = utcnow()
    troubled = 0
    for config in settings.sources:
        problem, lines = _check_one(app, config, now, offline)
        troubled += problem is not None
        status = "MATI" if not config.enabled else "BERMASALAH" if problem else "baik"
        click.echo(f"{config.name} ({config.type}, tiap {config.interval_minutes} menit): {status}")
        for line in lines:
            click.echo(f"  {line}")
    with app.sessions() as session:
        spend = month_spend(session, settings, now)
    if spend.sources or spend.total.spent:
        click.echo(f"Biaya X bulan ini (semua sumber dan publikasi): {spend.total.words()}")
        for line in _spend_warning(spend.total, "semua sumber X berhenti dikumpulkan"):
            click.echo(f"  {line}")
    if troubled:
        raise click.ClickException(f"{troubled} sumber bermasalah; lihat keterangan di atas")


def _check_one(app: App, config: SourceConfig, now: datetime, offline: bool) -> tuple[str | None, list[str]]:
    """The source's problem (None when fine) and the lines that describe it, with its X spend this month (what
    the check itself was handed included)."""
    settings = app.settings
    lines = [f"kredensial: {_credentials(settings, config)}"]
    with app.sessions() as session:
        accounts = session.execute(
            select(Cursor.key, Cursor.value).where(Cursor.source == config.name, Cursor.key.like("account:%"))
        ).all()
    for key, value in accounts:
        lines.append(f"akun @{key.removeprefix('account:')}: id {value}")
    failure = None
    asked = config.enabled and (not offline or config.type == "import_folder")
    if asked:
        reported, failure = check_source(app, config, now)
        lines.extend(reported)
    with app.sessions() as session:
        health = health_by_source(session).get(config.name)
        spend = month_spend(session, settings, now)
        doubled = doubled_messages.read_twice(session, [config], now)
    if config.enabled and not asked:
        failure = pause_for(spend, config.name)  # what X cost is in the database: no need to ask X
    problem = SourceState.of(config, health).problem(now, settings.collect.stale_after_intervals)
    if failure is not None:
        problem = failure.args[0]
    lines.extend(_health_lines(settings, config, health, now))
    if doubled:
        lines += [f"peringatan: {doubled_messages.WARNING}", f"yang harus dilakukan: {doubled_messages.ADVICE}"]
    budget = spend.sources.get(config.name)
    if budget is not None:
        lines.append(f"biaya X bulan ini: {budget.words()}")
        lines.extend(_spend_warning(budget, "sumber ini berhenti dikumpulkan"))
    if problem:
        lines.append(f"masalah: {problem}")
        advice = failure.advice if isinstance(failure, SourceBroken) else health.advice if health else None
        if advice:
            lines.append(f"yang harus dilakukan: {advice}")
    return (problem if config.enabled else None), lines


def _spend_warning(budget: Budget, stops: str) -> list[str]:
    """The 80 % warning of an X budget, when it is due."""
    if budget.level != WARNING:
        return []
    return [f"peringatan: {budget.percent} % anggaran X bulan ini terpakai; pada 100 % {stops} sampai bulan depan"]


def _credentials(settings: Settings, config: SourceConfig) -> str:
    if config.type == "import_folder":
        return f"tidak perlu (folder {config.path})"
    if config.type in ("x_mentions", "x_search"):
        if settings.x_bearer_token:
            return "Bearer Token aplikasi X (SATUKANAL_X_BEARER_TOKEN)"
        if settings.x_credentials:
            return "OAuth 1.0a user context (SATUKANAL_X_*)"
        return "belum diatur"
    if config.type == "instagram_graph":
        if not (settings.meta.ig_user_id and settings.meta_access_token):
            return "belum diatur (meta.ig_user_id dan SATUKANAL_META_ACCESS_TOKEN)"
        expiry = settings.meta.token_expires_on
        return f"API resmi Meta, akun {settings.meta.ig_user_id}, token berlaku sampai {expiry or 'tidak tercatat'}"
    account = settings.instagram
    if not account.username:
        return "belum diatur (instagram.username)"
    saved = "tersimpan" if account.session_file.exists() else "belum tersimpan"
    return f"akun Instagram {account.username}, sesi {saved} di {account.session_file}"


def _health_lines(settings: Settings, config: SourceConfig, health, now: datetime) -> list[str]:
    zone = settings.timezone

    def local(moment: datetime | None) -> str:
        return "belum pernah" if moment is None else moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")

    if health is None:
        return ["belum pernah dijalankan; jalan berikutnya: saat `satukanal run` mulai"]
    retried = health.state == "broken" and not paused_by_budget(health)  # a paused source is looked at each run
    wait = settings.collect.broken_retry_minutes if retried else config.interval_minutes
    following = max(now, health.last_run_at + timedelta(minutes=wait)) if health.last_run_at else now
    lines = [
        f"terakhir berhasil: {local(health.last_success_at)} ({health.last_added} baru)",
        f"terakhir jalan: {local(health.last_run_at)}; jalan berikutnya: {local(following)} (dengan `satukanal run`)",
    ]
    if health.state != "ok":
        lines.append(f"keadaan: {health.state} ({health.error_code}) sejak {local(health.incident_since)}")
    return lines
