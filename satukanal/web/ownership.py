"""Taking and handing over tickets and queue posts from the web app (``satukanal.ownership.service``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from satukanal.models import Post, User
from satukanal.ownership.service import OwnershipError, set_owner
from satukanal.users.service import UserError, get_user
from satukanal.web.tickets import visible_ticket
from satukanal.web.users import core, requires

blueprint = Blueprint("ownership", __name__)
OWNER_FIELD = "pemegang"
"""The form field naming the new owner: a username, or empty to release."""


def _owner(session) -> User | None:
    name = request.form.get(OWNER_FIELD, "").strip().lower()[:64]
    if not name:
        return None
    try:
        return get_user(session, name)
    except UserError as exc:
        raise OwnershipError(str(exc)) from None


@blueprint.post("/tiket/<number>/pemegang")
@requires("moderator", "agency")
def ticket_owner(number: str):
    with core().sessions.begin() as session:
        ticket = visible_ticket(session, current_user, number)
        try:
            flash(set_owner(session, ticket, _owner(session), current_user.username))
        except OwnershipError as exc:  # raised before anything changed
            flash(f"Pemegang tidak diubah: {exc}", "error")
    return redirect(url_for("tickets.show", number=number))


@blueprint.post("/antrean/<id:post_id>/pemegang")
@requires("moderator")
def post_owner(post_id: int):
    with core().sessions.begin() as session:
        post = session.get(Post, post_id)
        if post is None:
            abort(404)
        try:
            flash(set_owner(session, post, _owner(session), current_user.username))
        except OwnershipError as exc:  # raised before anything changed
            flash(f"Pemegang tidak diubah: {exc}", "error")
    # The card's form posts to the queue's own query string: back to the same filtered view, at the card.
    return redirect(url_for("review.index", **request.args.to_dict()) + f"#post-{post_id}")
