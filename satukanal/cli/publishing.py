"""``satukanal publish``: the weekly recap, exactly once per week and channel; drafts (approve, edit, reject),
retries."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import click
from sqlalchemy import select

from publisher import (
    CAPTION_FILE,
    THREAD_FILE,
    Item,
    Month,
    Week,
    last_complete_month,
    last_complete_week,
    make_environment,
)
from publisher.checking import check_templates
from satukanal.cli.root import State, cli
from satukanal.cli.types import ROW_ID, Parsed
from satukanal.models import Publication, utcnow
from satukanal.publishing import drafts
from satukanal.publishing.ledger import STATUS_LABELS, approve, stored_item
from satukanal.publishing.service import PublishOutcome, publish_entry, publish_recap

OUTCOME_WORDS = {
    "published": "diterbitkan",
    "recovered": "sudah terbit sebelumnya (tercatat sekarang)",
    "already_published": "sudah pernah diterbitkan; tidak ada yang dilakukan",
    "draft": "disimpan sebagai draf; setujui dengan `satukanal publish approve {id}` (atau `edit`, `reject`)",
    "awaiting_approval": "masih draf menunggu persetujuan (`satukanal publish approve {id}`)",
    "rejected": "draf publikasi {id} sudah ditolak; tidak diterbitkan",
}
THREAD_SEPARATOR = "---"
"""The line between two tweets in a thread file of ``publish edit``."""


@cli.group()
def publish() -> None:
    """Render and publish recaps to the configured channels."""


def recap_options(command: Callable) -> Callable:
    """The options every recap command takes: where to publish, and whether only to render."""
    command = click.option("--dry-run", is_flag=True, help="Render and print, publish nothing.")(
        click.pass_obj(command)
    )
    return click.option(
        "--channel", "channels", multiple=True, help="Channel to publish to (default: every configured one)."
    )(command)


@publish.command("weekly")
@click.option(
    "--week", type=Parsed("week", Week.parse, Week), help="ISO week such as 2026-W47 (default: the last complete week)."
)
@recap_options
def publish_weekly_command(state: State, week: Week | None, channels: tuple[str, ...], dry_run: bool) -> None:
    """Publish the weekly recap (Monday to Sunday, in the configured time zone).

    Publishing a week that is already published on a channel does nothing and
    says so; a week that is not over yet is refused; a failed publication is
    tried again, exactly as first rendered. With publish.require_approval the
    recap becomes a draft for an admin to approve.
    """
    _publish(state, week or last_complete_week(utcnow(), state.settings.timezone), channels, dry_run)


@publish.command("monthly")
@click.option(
    "--month", type=Parsed("month", Month.parse, Month), help="Month such as 2026-11 (default: the last complete one)."
)
@recap_options
def publish_monthly_command(state: State, month: Month | None, channels: tuple[str, ...], dry_run: bool) -> None:
    """Publish the monthly recap, with the same guarantees as the weekly one."""
    _publish(state, month or last_complete_month(utcnow(), state.settings.timezone), channels, dry_run)


def _publish(state: State, period: Week | Month, channels: tuple[str, ...], dry_run: bool) -> None:
    app = state.app()
    for name in channels or app.settings.publish.channels:
        if name not in app.settings.publish.channels:
            raise click.ClickException(
                f"kanal {name!r} tidak dikonfigurasi (yang ada: {', '.join(app.settings.publish.channels)})"
            )
        outcome = publish_recap(app.sessions, app.settings, app.channel(name), period, state.actor, dry_run=dry_run)
        if outcome.status == "dry_run":
            _print_item(outcome.item)
        else:
            _report(outcome)


@publish.command("approve")
@click.argument("publication_ids", metavar="ID...", nargs=-1, required=True, type=ROW_ID)
@click.pass_obj
def approve_command(state: State, publication_ids: tuple[int, ...]) -> None:
    """Approve draft publications (see `publish list`) and publish them now."""
    app = state.app()
    for publication_id in publication_ids:
        approve(app.sessions, publication_id, state.actor)
        with app.sessions() as session:
            channel = session.get(Publication, publication_id).channel
        _report(publish_entry(app.sessions, app.settings, app.channel(channel), publication_id, state.actor))


@publish.command("retry")
@click.argument("publication_id", metavar="ID", type=ROW_ID)
@click.pass_obj
def retry_command(state: State, publication_id: int) -> None:
    """Send a failed (or approved) publication again, exactly as it was rendered."""
    app = state.app()
    with app.sessions() as session:
        entry = session.get(Publication, publication_id)
        if entry is None:
            raise click.ClickException(f"publikasi {publication_id} tidak ada")
        channel = entry.channel
    _report(publish_entry(app.sessions, app.settings, app.channel(channel), publication_id, state.actor))


@publish.command("reject")
@click.argument("publication_id", metavar="ID", type=ROW_ID)
@click.option("--reason", required=True, help="Why the draft is rejected (kept in the audit log).")
@click.pass_obj
def reject_command(state: State, publication_id: int, reason: str) -> None:
    """Reject a draft for good: it is never published, and later runs do not render its period again."""
    app = state.app()
    _exists(app, publication_id)
    drafts.reject(app.sessions, publication_id, state.actor, reason)
    click.echo(f"publikasi {publication_id} ditolak; tidak akan diterbitkan")


@publish.command("edit")
@click.argument("publication_id", metavar="ID", type=ROW_ID)
@click.option(
    "--thread-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=f"New X thread: plain text, tweets separated by a line '{THREAD_SEPARATOR}'.",
)
@click.option(
    "--caption-file", type=click.Path(path_type=Path, dir_okay=False, exists=True), help="New Instagram caption."
)
@click.option(
    "--export",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write the draft's thread.txt and caption.txt into this folder, to edit and give back.",
)
@click.pass_obj
def edit_command(
    state: State, publication_id: int, thread_file: Path | None, caption_file: Path | None, export: Path | None
) -> None:
    """Edit a draft's text before approval, checked against X's and Instagram's limits.

    Start with --export DIR, edit DIR/thread.txt and DIR/caption.txt, then give
    them back with --thread-file and --caption-file (either or both).
    """
    app = state.app()
    _exists(app, publication_id)
    if export is not None:
        _export(app, publication_id, export)
        return
    if thread_file is None and caption_file is None:
        raise click.UsageError("berikan --thread-file, --caption-file, atau --export")
    tweets = re.split(rf"^{THREAD_SEPARATOR}[ \t]*$", _read(thread_file), flags=re.MULTILINE) if thread_file else None
    caption = _read(caption_file) if caption_file else None
    changed = drafts.edit(app.sessions, publication_id, state.actor, tweets, caption)
    click.echo(f"publikasi {publication_id} " + ("diubah" if changed else "tidak berubah"))


def _exists(app, publication_id: int) -> None:
    with app.sessions() as session:
        if session.get(Publication, publication_id) is None:
            raise click.ClickException(f"publikasi {publication_id} tidak ada")


def _export(app, publication_id: int, folder: Path) -> None:
    with app.sessions() as session:
        files = stored_item(session.get(Publication, publication_id)).files
    folder.mkdir(parents=True, exist_ok=True)
    tweets = json.loads(files.get(THREAD_FILE, "[]"))
    (folder / "thread.txt").write_text(f"\n{THREAD_SEPARATOR}\n".join(tweets) + "\n", encoding="utf-8")
    (folder / "caption.txt").write_text(files.get(CAPTION_FILE, ""), encoding="utf-8")
    click.echo(f"{folder / 'thread.txt'}\n{folder / 'caption.txt'}")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"tidak dapat membaca {path}: {exc}") from None


@publish.command("list")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.pass_obj
def list_command(state: State, limit: int) -> None:
    """The publication ledger, newest first: id, period, channel, status, attempts, error."""
    app = state.app()
    with app.sessions() as session:
        entries = session.scalars(select(Publication).order_by(Publication.id.desc()).limit(limit))
        for entry in entries:
            line = f"{entry.id:>5}  {entry.kind} {entry.period:<10} {entry.channel:<10} {STATUS_LABELS[entry.status]}"
            line += f"  percobaan {entry.attempts}" if entry.attempts else ""
            click.echo(line + (f"\n       {entry.error}" if entry.error else ""))


@publish.command("check")
@click.pass_obj
def check_command(state: State) -> None:
    """Render every template against sample data and report template, line and problem (exit 1 on any)."""
    problems = check_templates(make_environment(state.settings.publish.templates_dir))
    for problem in problems:
        where = f"{problem.template}, baris {problem.line}" if problem.line else problem.template
        click.echo(f"{where}: {problem.problem}", err=True)
    if problems:
        raise click.exceptions.Exit(1)
    click.echo("Semua templat baik.")


def _report(outcome: PublishOutcome) -> None:
    words = OUTCOME_WORDS[outcome.status].format(id=outcome.publication_id)
    ids = f": {', '.join(outcome.remote_ids)}" if outcome.status in ("published", "recovered") else ""
    click.echo(f"{outcome.period} di {outcome.channel}: {words}{ids}")


def _print_item(item: Item) -> None:
    tweets = json.loads(item.files[THREAD_FILE])
    for number, tweet in enumerate(tweets, start=1):
        click.echo(f"--- X {number}/{len(tweets)}\n{tweet}")
    click.echo(f"--- Keterangan Instagram\n{item.files[CAPTION_FILE].rstrip()}")
    for name, content in item.files.items():
        if isinstance(content, bytes):
            click.echo(f"--- Gambar {name}: {len(content):,} byte")
