"""``satukanal import`` and ``satukanal collect``: bringing posts in."""

from __future__ import annotations

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
@click.pass_obj
def collect(state: State, source_name: str | None) -> None:
    """Run the configured sources once, store what is new and score it."""
    app = state.app()
    sources = [source for source in app.sources() if source_name in (None, source.name)]
    if source_name and not sources:
        names = ", ".join(source.name for source in app.sources()) or "tidak ada"
        raise click.ClickException(f"tidak ada sumber aktif bernama {source_name!r} (yang ada: {names})")
    for source in sources:
        result = app.collect(source)
        for error in result.errors:
            click.echo(f"{source.name}: {error}", err=True)
        click.echo(
            f"{source.name}: {result.added} baru, {result.duplicates} sudah tersimpan, {len(result.errors)} rusak"
        )
    scored = app.score_pending()
    if scored:
        click.echo(f"{scored} unggahan yang menunggu sudah dinilai")
