"""Tickets: the list with filters and search, a ticket's LAPOR! entry, and moving its status.

Agency liaisons see only the tickets routed to their agency: another
agency's ticket answers 404, as if it did not exist, whatever the URL says.
The CSV export and the LAPOR! status import are in ``tickets_csv``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from publisher import RenderError, ReplyContext, make_environment, render_acknowledgement, render_resolution
from publisher.replies import PLATFORMS as REPLY_PLATFORMS
from satukanal.models import Ticket, utcnow
from satukanal.tickets import service
from satukanal.tickets.clocks import DUE_SOON, OVERDUE, WorkingCalendar, ticket_clocks
from satukanal.tickets.lifecycle import TRANSITIONS, Status
from satukanal.tuban import category_label
from satukanal.web.paging import PAGE_PARAMETER, paged, requested_page
from satukanal.web.users import WebUser, core, requires

blueprint = Blueprint("tickets", __name__, url_prefix="/tiket")
PAGE_SIZE = 50
QUERY_KEYS = ("q", "status", "opd", "tenggat", PAGE_PARAMETER)
DEADLINE_SCAN = 10_000
CHANNEL = "Media sosial"
CALENDAR = WorkingCalendar()
DEADLINE_FILTERS = {OVERDUE: (OVERDUE,), DUE_SOON: (OVERDUE, DUE_SOON)}


NOTE_LIMIT = 500
LAPOR_ID_LIMIT = 20
"""The longest note and LAPOR! tracking number a status change accepts, from the page or the API."""


class StatusForm(FlaskForm):
    status = SelectField("Status baru", validators=[DataRequired()])
    note = StringField("Catatan", validators=[Optional(), Length(max=NOTE_LIMIT)])
    lapor_id = StringField("Nomor pelacakan LAPOR!", validators=[Optional(), Length(max=LAPOR_ID_LIMIT)])


def status_form(ticket: Ticket) -> StatusForm:
    form = StatusForm()
    allowed = sorted(TRANSITIONS[Status(ticket.status)])
    form.status.choices = [SelectChoice(status.value, status.label) for status in allowed]
    return form


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
    settings = core().settings
    page = requested_page(PAGE_SIZE)
    now = utcnow()
    with core().sessions() as session:
        if deadline:
            wanted = DEADLINE_FILTERS[deadline]
            late = [
                ticket
                for ticket in service.list_tickets(session, status, DEADLINE_SCAN, agency=agency, search=search)
                if any(clock.state in wanted for clock in _clocks(ticket, now))
            ]
            found = late[page.offset : page.offset + page.fetch]
        else:
            found = service.list_tickets(session, status, page.fetch, agency=agency, search=search, offset=page.offset)
        tickets = paged(page, found, QUERY_KEYS)
        clocks = {ticket.id: _clocks(ticket, now) for ticket in tickets.items}
        rows = [
            {
                "number": ticket.number,
                "status": Status(ticket.status).label,
                "lapor_id": ticket.lapor_id,
                "agency": settings.agency_name(ticket.agency),
                "category": category_label(ticket.category),
                "title": ticket.title,
                "created_at": ticket.created_at.astimezone(settings.timezone),
                "clock": min(clocks[ticket.id], key=lambda clock: clock.deadline, default=None),
            }
            for ticket in tickets.items
        ]
    return render_template(
        "tickets.html",
        rows=rows,
        pager=tickets,
        statuses=list(Status),
        status=status.value if status else "",
        search=search,
        agencies=settings.agencies,
        agency=agency,
        deadline=deadline,
        scoped=current_user.agency_scope is not None,
        ticket_base=url_for("tickets.index"),
    )


def status_filter() -> Status | None:
    text = request.args.get("status", "")
    try:
        return Status(text) if text else None
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


def _replies(ticket: Ticket) -> list[dict[str, str]]:
    """What to answer each citizen on X or Instagram: the acknowledgement, and the resolution once resolved."""
    settings = core().settings
    environment = make_environment(settings.publish.templates_dir)
    resolved = ticket.resolved_at.astimezone(settings.timezone) if ticket.resolved_at else None
    replies = []
    for link in ticket.posts:
        if link.post.platform not in REPLY_PLATFORMS:
            continue
        reply = ReplyContext(
            author=link.post.author,
            platform=link.post.platform,
            ticket_number=ticket.number,
            agency=settings.agency_name(ticket.agency),
            category=category_label(ticket.category),
            lapor_id=ticket.lapor_id,
            resolved_on=resolved.date() if resolved else None,
            days_to_resolve=(ticket.resolved_at - ticket.created_at).total_seconds() / 86400 if resolved else None,
        )
        renderers = [("Ucapan terima kasih", render_acknowledgement)]
        if resolved:
            renderers.append(("Kabar selesai", render_resolution))
        for label, render in renderers:
            try:
                text = render(environment, reply)
            except RenderError as exc:
                text = f"(templat balasan bermasalah: {exc})"
            replies.append({"label": label, "platform": link.post.platform, "author": link.post.author, "text": text})
    return replies


def _clocks(ticket: Ticket, now):
    settings = core().settings
    return ticket_clocks(ticket, now, settings.timezone, settings.clocks, CALENDAR)


@blueprint.get("/<number>")
@requires("moderator", "agency")
def show(number: str):
    settings = core().settings
    with core().sessions() as session:
        ticket = visible_ticket(session, current_user, number)
        entry = lapor_entry(ticket)
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
        history = [
            {
                "at": change.changed_at.astimezone(settings.timezone),
                "status": Status(change.to_status).label,
                "actor": change.actor,
                "note": change.note,
            }
            for change in ticket.history
        ]
        form = status_form(ticket)
        clocks = _clocks(ticket, utcnow())
        summary = {"number": ticket.number, "status": Status(ticket.status).label, "lapor_id": ticket.lapor_id}
        replies = _replies(ticket)
    return render_template(
        "ticket.html",
        ticket=summary,
        entry=entry,
        posts=posts,
        history=history,
        form=form,
        clocks=clocks,
        replies=replies,
    )


@blueprint.post("/<number>/status")
@requires("moderator", "agency")
def change_status(number: str):
    app = core()
    with app.sessions.begin() as session:
        ticket = visible_ticket(session, current_user, number)
        form = status_form(ticket)
        if not form.validate_on_submit():
            abort(400)
        try:
            service.set_status(
                session,
                ticket.number,
                Status(form.status.data),
                current_user.username,
                note=(form.note.data or "").strip() or None,
                lapor_id=(form.lapor_id.data or "").strip() or None,
            )
        except service.TicketError as exc:
            flash(str(exc), "error")
        else:
            flash(f"Status {ticket.number} menjadi {Status(form.status.data).label}.")
    return redirect(url_for("tickets.show", number=number))
