"""``satukanal tickets``: tickets and their LAPOR! lifecycle."""

from __future__ import annotations

import click

from satukanal.cli.root import State, cli
from satukanal.cli.text import one_line
from satukanal.cli.types import Parsed
from satukanal.models import utcnow
from satukanal.replies.service import answer_resolution
from satukanal.tickets import service
from satukanal.tickets.lifecycle import Status, TransitionError, check_reason, parse_status

STATUS = Parsed("status", parse_status, Status)


@cli.group()
def tickets() -> None:
    """Tickets made from confirmed posts, tracked along the SP4N-LAPOR! lifecycle."""


@tickets.command("list")
@click.option("--status", type=STATUS, help="Only tickets in this status.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100_000))
@click.pass_obj
def tickets_list(state: State, status: Status | None, limit: int) -> None:
    """Tickets, newest first: number, status, LAPOR! ID, agency, title."""
    app = state.app()
    with app.sessions() as session:
        found = service.list_tickets(session, status, limit)
        for ticket in found:
            lapor = f"#{ticket.lapor_id}" if ticket.lapor_id else "-"
            click.echo(
                f"{ticket.number}  {Status(ticket.status).label:<20} {lapor:<10} {ticket.agency or '-':<12} "
                f"{one_line(ticket.title, 60)}"
            )
    if not found:
        click.echo("Belum ada tiket.")


@tickets.command("show")
@click.argument("number")
@click.pass_obj
def tickets_show(state: State, number: str) -> None:
    """A ticket's LAPOR! entry, linked posts, and its history: status changes and notes, oldest first."""
    app = state.app()
    zone = app.settings.timezone
    with app.sessions() as session:
        ticket = service.get_ticket(session, number)
        privacy = ", ".join(
            name for name, on in (("anonim", ticket.is_anonymous), ("rahasia", ticket.is_confidential)) if on
        )
        lapor = f"#{ticket.lapor_id}" if ticket.lapor_id else "-"
        click.echo(f"{ticket.number}  {Status(ticket.status).label}  LAPOR! {lapor}")
        click.echo(f"Judul: {one_line(ticket.title, 200)}")
        click.echo(
            f"Kategori: {ticket.category or '-'}  OPD: {ticket.agency or '-'}  Kecamatan: {ticket.kecamatan or '-'}"
        )
        click.echo(f"Privasi: {privacy or 'publik'}")
        click.echo(f"Isi: {one_line(ticket.body, 2000)}")
        for link in ticket.posts:
            post = link.post
            click.echo(f"Unggahan {post.id}: {post.platform} {post.url or post.platform_id}")
        history = [(change.changed_at, Status(change.to_status).label, change) for change in ticket.history]
        history += [(note.noted_at, "Catatan", note) for note in ticket.notes]
        for when, what, entry in sorted(history, key=lambda row: row[0]):
            note = f" — {one_line(entry.note, 200)}" if entry.note else ""
            click.echo(f"  {when.astimezone(zone).strftime('%Y-%m-%d %H:%M')}  {what} ({entry.actor}){note}")


@tickets.command("set-status")
@click.argument("ticket")
@click.argument("status", type=STATUS)
@click.option(
    "--note",
    help="What happened, kept in the history and the audit log; required for bukan_wewenang, dihapus, diarsipkan.",
)
@click.option("--lapor-id", help="The SP4N-LAPOR! tracking ID, e.g. 9165816 or #9165816.")
@click.pass_obj
def tickets_set_status(state: State, ticket: str, status: Status, note: str | None, lapor_id: str | None) -> None:
    """Move TICKET to STATUS along the LAPOR! lifecycle.

    STATUS is one of: belum_terverifikasi, terverifikasi, terdisposisi,
    ditindaklanjuti, ditanggapi, selesai, tertunda, bukan_wewenang, dihapus,
    diarsipkan. Impossible transitions are refused with the allowed ones;
    bukan_wewenang, dihapus and diarsipkan need a --note saying why.
    """
    try:
        check_reason(status, note)
    except TransitionError as exc:
        raise click.UsageError(str(exc)) from None
    app = state.app()
    with app.sessions.begin() as session:
        changed = service.set_status(session, ticket, status, state.actor, note=note, lapor_id=lapor_id)
        answer_resolution(session, app.settings, changed, state.actor, utcnow())
        click.echo(f"{changed.number} kini berstatus {status.label}.")


@tickets.command("note")
@click.argument("ticket")
@click.argument("text")
@click.pass_obj
def tickets_note(state: State, ticket: str, text: str) -> None:
    """Add the note TEXT to TICKET's history without changing its status.

    The note is kept with who wrote it and when, shown by ``tickets show`` and
    on the ticket page, and recorded in the audit log.
    """
    app = state.app()
    with app.sessions.begin() as session:
        added = service.add_note(session, ticket, text, state.actor)
        click.echo(f"Catatan ditambahkan ke {added.ticket.number}.")
