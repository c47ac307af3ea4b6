"""The ticket page's "Teruskan ke OPD" form for moderators (``satukanal.tickets.routing``)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from satukanal.tickets.routing import route_ticket
from satukanal.tickets.service import TicketError
from satukanal.web.tickets import blueprint, visible_ticket
from satukanal.web.users import core, requires


@blueprint.post("/<number>/opd")
@requires("moderator")
def route(number: str):
    settings = core().settings
    agency = request.form.get("opd", "")[:64]
    with core().sessions.begin() as session:
        ticket = visible_ticket(session, current_user, number)
        try:
            changed = route_ticket(session, settings, ticket.number, agency, current_user.username)
        except TicketError as exc:
            flash(f"Tiket tidak diteruskan: {exc}.", "error")
        else:
            name = settings.agency_name(agency)
            flash(f"Tiket {ticket.number} diteruskan ke {name}." if changed else f"Tiket sudah di {name}.")
    return redirect(url_for("tickets.show", number=number))
