"""``satukanal import`` and ``satukanal collect``: bringing posts in."""

from __future__ import annotations

import itertools
import sys
from datetime import datetime
from pathlib import Path

import click

from satukanal.cli.root import State, cli
from satukanal.importing import import_file

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
    report = import_file(app, file, file_format, dry_run=dry_run)
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
            result = app.collect(source, on_page=lambda page, stored, bar=bar: bar.update(1, f"{stored.added} baru"))
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
