"""Tickets: the list with filters and search, a ticket's LAPOR! entry, and its form for the status and notes.

Agency liaisons see only the tickets routed to their agency: another
agency's ticket answers 404, as if it did not exist, whatever the URL says.
The CSV export and the LAPOR! status import are in ``tickets_csv``; what the
ticket page's form does is in ``ticket_status``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import object_session

from satukanal.models import Ticket, User, utcnow
from satukanal.notifications.service import mark_read
from satukanal.ownership.service import candidates
from satukanal.replies.service import answer_resolution
from satukanal.tickets import listing, service
from satukanal.tickets.clocks import DUE_SOON, OVERDUE, WorkingCalendar, ticket_clocks
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.listing import ClockRules, by_deadline, held_by, ordering, running_late, still_open
from satukanal.tuban import category_label
from satukanal.web import ticket_columns
from satukanal.web.paging import PAGE_PARAMETER, kept_arguments, paged, requested_page
from satukanal.web.replies import reply_rows
from satukanal.web.ticket_status import StatusForm, apply_status_form, history_rows, status_form
from satukanal.web.users import WebUser, core, requires

blueprint = Blueprint("tickets", __name__, url_prefix="/tiket")
PAGE_SIZE = 50
FILTER_KEYS = ("q", "status", "opd", "tenggat", "milik", *listing.PERIOD_KEYS)
QUERY_KEYS = (*FILTER_KEYS, "urut", "arah", PAGE_PARAMETER)
DEADLINE_SCAN = 10_000
CHANNEL = "Media sosial"
CALENDAR = WorkingCalendar()
DEADLINE_FILTERS = (OVERDUE, DUE_SOON)
"""``tenggat=lewat``: a clock is overdue; ``tenggat=segera``: one is due soon or overdue."""
OPEN = "terbuka"
"""``status=terbuka``: the tickets not closed (the dashboard's open-ticket bars link here)."""
MINE = "saya"
"""``milik=saya``: the open tickets the user holds."""


def visible_ticket(session, user: WebUser, number: str) -> Ticket:
    """The ticket ``number`` if ``user`` may see it; 404 otherwise, so another agency's tickets do not exist."""
    try:
        ticket = service.get_ticket(session, number)
    except service.TicketError:
        abort(404)
    if user.agency_scope is not None and ticket.agency != user.agency_scope:
        abort(404)
    return ticket


@blueprint.get("/")
@requires("moderator", "agency")
def index():
    status = status_filter()
    search = request.args.get("q", "")[:100]
    agency = current_user.agency_scope or request.args.get("opd") or None
    deadline = request.args.get("tenggat", "")
    if deadline and deadline not in DEADLINE_FILTERS:
        abort(400)
    held = request.args.get("milik", "")
    if held and held != MINE:
        abort(400)
    sort, descending = ticket_columns.requested_sort()
    settings = core().settings
    page = requested_page(PAGE_SIZE)
    now = utcnow()
    rules = clock_rules(now)
    where = [running_late(deadline, rules)] if deadline else []
    if request.args.get("status") == OPEN:
        where.append(still_open())
    if held:
        where.append(mine())
    try:
        where += listing.period_conditions(request.args, settings.timezone)
    except ValueError as exc:
        abort(make_response(render_template("error.html", code=400, message=str(exc)), 400))
    filtered = any((status, search.strip(), where, agency != current_user.agency_scope))
    with core().sessions() as session:
        if sort == "tenggat":
            conditions = [*service.ticket_conditions(status, agency, search), *where]
            found = by_deadline(session, conditions, rules, page.fetch, page.offset, descending)
        else:
            order_by = ordering(
                ticket_columns.SORTS[sort], descending, sorted(settings.agencies, key=settings.agency_name)
            )
            found = service.list_tickets(
                session, status, page.fetch, agency, search, page.offset, where=where, order_by=order_by
            )
        total = service.count_tickets(session, status, agency, search, where)
        everything = service.count_tickets(session, agency=current_user.agency_scope) if filtered else None
        tickets = paged(page, found, QUERY_KEYS)
        clocks = {ticket.id: _clocks(ticket, now) for ticket in tickets.items}
        owners = owner_names(session, tickets.items)
        rows = [
            {
                "number": ticket.number,
                "status": Status(ticket.status).label,
                "stage": ticket.status,
                "lapor_id": ticket.lapor_id,
                "agency": settings.agency_name(ticket.agency),
                "category": category_label(ticket.category),
                "title": ticket.title,
                "owner": owners.get(ticket.owner_id),
                "created_at": ticket.created_at.astimezone(settings.timezone),
                "clock": min(clocks[ticket.id], key=lambda clock: clock.deadline, default=None),
            }
            for ticket in tickets.items
        ]
    return render_template(
        "tickets.html",
        rows=rows,
        pager=tickets,
        total=total,
        everything=everything,
        columns=ticket_columns.headers(sort, descending, kept_arguments(FILTER_KEYS)),
        statuses=list(Status),
        status=status.value if status else request.args.get("status", ""),
        search=search,
        agencies=settings.agencies,
        agency=agency,
        deadline=deadline,
        held=held,
        scoped=current_user.agency_scope is not None,
        ticket_base=url_for("tickets.index"),
    )


def mine() -> ColumnElement[bool]:
    """The open tickets the logged-in user holds."""
    return held_by(current_user.id)


def owner_names(session, items: list) -> dict[int, str]:
    """The usernames of the owners of ``items`` (tickets or posts), in one query."""
    ids = {item.owner_id for item in items if item.owner_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


def clock_rules(now) -> ClockRules:
    """What the clocks read at ``now``: the office's time zone, the LAPOR! limits, the working days."""
    settings = core().settings
    return ClockRules(now, settings.timezone, settings.clocks, CALENDAR)


def status_filter() -> Status | None:
    """``status=``: one LAPOR! status; ``terbuka`` (``OPEN``, every ticket not closed) is a condition, not one."""
    text = request.args.get("status", "")
    try:
        return Status(text) if text and text != OPEN else None
    except ValueError:
        abort(400)


def lapor_entry(ticket: Ticket) -> dict[str, str]:
    """The fields of the LAPOR! form, filled from the (already redacted) ticket."""
    privacy = [name for name, on in (("Anonim", ticket.is_anonymous), ("Rahasia", ticket.is_confidential)) if on]
    return {
        "Judul": ticket.title,
        "Isi laporan": ticket.body,
        "Kategori": category_label(ticket.category),
        "Instansi tujuan": core().settings.agency_name(ticket.agency),
        "Lokasi": f"Kec. {ticket.kecamatan}, Kabupaten Tuban" if ticket.kecamatan else "Kabupaten Tuban",
        "Privasi": ", ".join(privacy) or "Biasa",
        "Kanal": CHANNEL,
    }


def _clocks(ticket: Ticket, now):
    settings = core().settings
    return ticket_clocks(ticket, now, settings.timezone, settings.clocks, CALENDAR)


@blueprint.get("/<number>")
@requires("moderator", "agency")
def show(number: str):
    with core().sessions.begin() as session:
        ticket = visible_ticket(session, current_user, number)
        mark_read(session, current_user.id, ticket_id=ticket.id)
        return _page(ticket, status_form(ticket))


@blueprint.post("/<number>/status")
@requires("moderator", "agency")
def change_status(number: str):
    """The page's one form: a status change, a note alone, or nothing (see ``satukanal.web.ticket_status``)."""
    with core().sessions.begin() as session:
        ticket = visible_ticket(session, current_user, number)
        form = status_form(ticket)
        outcome = apply_status_form(session, ticket, form, current_user.username)
        if outcome is None:
            abort(400)
        if outcome.code != 200:
            return _page(ticket, form, outcome.errors), outcome.code
        answer_resolution(session, core().settings, ticket, current_user.username, utcnow())
        flash(outcome.message, outcome.category)
    return redirect(url_for("tickets.show", number=number))


def _page(ticket: Ticket, form: StatusForm, form_errors: list[str] = ()) -> str:
    """The ticket page, its form as given: fresh, or submitted and refused with its errors and the input kept."""
    settings = core().settings
    posts = [
        {
            "platform": link.post.platform,
            "author": link.post.author,
            "text": link.post.text,
            "url": link.post.url if link.post.url and link.post.url.startswith("https://") else None,
            "created_at": link.post.created_at.astimezone(settings.timezone),
        }
        for link in ticket.posts
    ]
    return render_template(
        "ticket.html",
        ticket=ticket,
        status=Status(ticket.status),
        entry=lapor_entry(ticket),
        posts=posts,
        history=history_rows(ticket, settings.timezone),
        form=form,
        form_errors=list(form_errors),
        clocks=_clocks(ticket, utcnow()),
        replies=reply_rows(object_session(ticket), ticket, settings.timezone),
        confidential=ticket.is_confidential,
        owner=ticket.owner.username if ticket.owner is not None else None,
        agency=ticket.agency,
        agencies={key: agency.name for key, agency in settings.agencies.items()},
        candidates=[user.username for user in candidates(object_session(ticket), ticket)],
    )
