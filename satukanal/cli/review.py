"""``satukanal review``: the moderation queue from the command line."""

from __future__ import annotations

import click

from satukanal.cli.root import State, cli
from satukanal.cli.text import one_line
from satukanal.cli.types import ROW_ID
from satukanal.review import service
from satukanal.tickets.service import TicketChoices


@cli.group()
def review() -> None:
    """Work through flagged posts: list, confirm (creates a ticket), reject."""


@review.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include posts the model did not flag.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option(
    "--order",
    type=click.Choice(service.QUEUE_ORDERS),
    default="newest",
    show_default=True,
    help="uncertain: scores closest to the threshold first, the decisions the next model learns most from.",
)
@click.pass_obj
def review_list(state: State, show_all: bool, limit: int, order: str) -> None:
    """Posts waiting for a decision: id, time, platform, author, score, category, text.

    Under each scored post, the model's top three categories with their
    probability and the agency each is routed to.
    """
    app = state.app()
    zone = app.settings.timezone
    with app.sessions() as session:
        posts = service.queue(session, limit=limit, flagged=None if show_all else True, order=order)
        for post in posts:
            verdict = post.classification
            score = f"{verdict.score:.2f}" if verdict else "  - "
            category = (verdict.category if verdict else None) or "-"
            when = post.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            click.echo(
                f"{post.id:>6}  {when}  {post.platform:<9} @{one_line(post.author, 20):<21} {score}  "
                f"{category:<18} {one_line(post.text, 70)}"
            )
            if verdict and verdict.suggestions:
                click.echo(f"{'':8}saran: {_suggestions(verdict.suggestions, app.settings.agency_for_category)}")
    if not posts:
        click.echo("Antrean kosong.")


def _suggestions(suggestions: list[list], agency_for_category) -> str:
    return " · ".join(
        f"{name} ({agency_for_category(name) or '-'}) {probability:.2f}" for name, probability in suggestions
    )


@review.command("confirm")
@click.argument("post_id", type=ROW_ID)
@click.option("--category", help="Complaint category (default: the model's suggestion).")
@click.option("--agency", help="Agency key to route to (default: the category's agency).")
@click.option("--kecamatan", help="Kecamatan (default: the one the post names).")
@click.option("--title", help="Ticket title (default: the post's first sentence, redacted).")
@click.option(
    "--anonim/--no-anonim", "anonymous", default=True, show_default=True, help="Hide the reporter's name in LAPOR!."
)
@click.option("--rahasia", "confidential", is_flag=True, help="Mark the LAPOR! report confidential (not public).")
@click.pass_obj
def review_confirm(state: State, post_id: int, **fields) -> None:
    """Confirm POST_ID as a complaint: it becomes a ticket ready for SP4N-LAPOR!.

    Confirming a post that is already a ticket changes nothing and names the ticket.
    """
    app = state.app()
    with app.sessions.begin() as session:
        result = service.confirm(session, app.settings, post_id, state.actor, TicketChoices(**fields))
        ticket = result.ticket
        if result.created:
            route = f"{ticket.category or '-'} → {ticket.agency or '-'}"
            click.echo(f"Unggahan {post_id} dikonfirmasi: tiket {ticket.number} ({route}).")
        else:
            click.echo(f"Unggahan {post_id} sudah menjadi tiket {ticket.number}; tidak ada yang berubah.")


@review.command("reject")
@click.argument("post_id", type=ROW_ID)
@click.option(
    "--reason", required=True, help="Why: not a complaint, spam, duplicate of a ticket, outside our authority ..."
)
@click.pass_obj
def review_reject(state: State, post_id: int, reason: str) -> None:
    """Reject POST_ID: it leaves the queue, with the reason in the audit log."""
    app = state.app()
    with app.sessions.begin() as session:
        changed = service.reject(session, post_id, state.actor, reason)
    click.echo(f"Unggahan {post_id} ditolak." if changed else f"Unggahan {post_id} sudah ditolak sebelumnya.")
