"""The ticket page's form (status, LAPOR! tracking number, note) and the history it writes to.

The form opens on the ticket's current status and offers only the
lifecycle's next steps besides it. Left on the current status it adds its
note to the history, or, with nothing typed, changes nothing; moved to a
next step it changes the status, with the note. The steps that set a ticket
aside (``REASON_REQUIRED``: Bukan Wewenang, Dihapus, Diarsipkan) need a
note saying why.

The form carries the status the page showed (``seen``). When another user
has moved the ticket since, a note alone is still added, but a status
change is refused and the form shown again with what was typed: the change
was decided on a status nobody sees any more, and a stale page must not
move a ticket back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from satukanal.models import Ticket
from satukanal.tickets import service
from satukanal.tickets.lifecycle import REASON_REQUIRED, Status, next_steps

NOTE_LIMIT = 500
LAPOR_ID_LIMIT = 20
"""The longest note and LAPOR! tracking number a status change accepts, from the page or the API."""


class StatusForm(FlaskForm):
    status = SelectField("Status", validators=[DataRequired()])
    lapor_id = StringField("Nomor pelacakan LAPOR!", validators=[Optional(), Length(max=LAPOR_ID_LIMIT)])
    note = TextAreaField("Catatan", validators=[Optional(), Length(max=NOTE_LIMIT)])
    seen = HiddenField()


def status_form(ticket: Ticket) -> StatusForm:
    """The form for ``ticket``: its current status selected, then the lifecycle's next steps; from the request
    when one was submitted."""
    current = Status(ticket.status)
    form = StatusForm()
    form.status.choices = [SelectChoice(current.value, f"{current.label} (tetap)")] + [
        SelectChoice(step.value, step.label, render_kw={"data-reason": "wajib"} if step in REASON_REQUIRED else {})
        for step in next_steps(current)
    ]
    if not form.is_submitted():
        form.status.data = form.seen.data = current.value
    return form


@dataclass
class Outcome:
    """What a submitted form did: ``message`` to flash (``category`` ``info`` when nothing changed), or the form
    to show again with its fields' errors and ``errors`` of its own, answered with ``code``."""

    message: str = ""
    category: str = "message"
    code: int = 200
    errors: list[str] = field(default_factory=list)


def apply_status_form(session, ticket: Ticket, form: StatusForm, actor: str) -> Outcome | None:
    """Carry out the submitted ``form`` on ``ticket``; None when the request is not one the page sends
    (no or a wrong CSRF token, a status the form did not offer): a 400 for the caller."""
    current = Status(ticket.status)
    seen = form.seen.data if form.seen.data in {status.value for status in Status} else current.value
    stale = seen != current.value and form.status.data != seen
    if seen != current.value:
        form.status.data = current.value  # a note alone goes on; a change is refused below
    valid = form.validate()
    if not valid and {"csrf_token", "status"} & form.errors.keys():
        return None
    form.seen.data = current.value
    if stale:
        form.status.errors = [
            f"Status tiket sudah diubah menjadi {current.label} sejak halaman ini dibuka; periksa lalu simpan lagi."
        ]
        return Outcome(code=409)
    if not valid:
        return Outcome(code=400)
    target = Status(form.status.data)
    note = (form.note.data or "").strip() or None
    lapor_id = (form.lapor_id.data or "").strip() or None
    if lapor_id is not None:
        try:
            lapor_id = service.parse_lapor_id(lapor_id)
        except service.TicketError as exc:
            form.lapor_id.errors = [str(exc)]
        else:
            if target == current and lapor_id != ticket.lapor_id:
                form.lapor_id.errors = ["Nomor LAPOR! dicatat bersama perubahan status: pilih status berikutnya."]
    if target in REASON_REQUIRED and note is None:
        form.note.errors = [f"Tuliskan alasannya: catatan wajib untuk {target.label}."]
    if form.lapor_id.errors or form.note.errors:
        return Outcome(code=400)
    if target == current:
        if note is None:
            return Outcome("Tidak ada perubahan.", category="info")
        service.add_note(session, ticket.number, note, actor)
        return Outcome(f"Catatan ditambahkan ke {ticket.number}.")
    try:
        service.set_status(session, ticket.number, target, actor, note=note, lapor_id=lapor_id)
    except service.TicketError as exc:
        return Outcome(code=409, errors=[str(exc)])
    return Outcome(f"Status {ticket.number} menjadi {target.label}.")


def history_rows(ticket: Ticket, zone) -> list[dict]:
    """The ticket's status changes and notes, oldest first, for the page."""
    changes = [
        {"at": change.changed_at, "status": Status(change.to_status).label, "actor": change.actor, "note": change.note}
        for change in ticket.history
    ]
    notes = [{"at": note.noted_at, "status": None, "actor": note.actor, "note": note.note} for note in ticket.notes]
    rows = sorted(changes + notes, key=lambda row: row["at"])
    return [{**row, "at": row["at"].astimezone(zone)} for row in rows]
