"""The audit log page (admins): every action with who, when, on what, and what it changed.

The log keeps codes and JSON (``ticket.status``, ``tickets 98``,
``{"status": "terverifikasi"}``) so that it stays exact; this page turns them
into what staff read: the action in words, the object by its number with a
link, and only the fields that changed ("Status: Terverifikasi → Terdisposisi").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from satukanal.models import AuditEntry, Publication, Ticket, User
from satukanal.publishing.ledger import STATUS_LABELS as PUBLICATION_STATUS_LABELS
from satukanal.tickets.lifecycle import Status
from satukanal.tuban import category_label
from satukanal.users.service import ROLE_LABELS
from satukanal.web.badges import decimal
from satukanal.web.dates import requested_period
from satukanal.web.labels import ACTION_LABELS, METRIC_LABELS, REVIEW_LABELS, field_label, period_label
from satukanal.web.paging import PAGE_PARAMETER, paged, requested_page
from satukanal.web.users import core, requires

blueprint = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 50
QUERY_KEYS = ("aktor", "aksi", "objek", "dari", "sampai", PAGE_PARAMETER)
ACTION_GROUPS = {
    "ticket.": "Semua aksi tiket",
    "post.": "Semua aksi unggahan",
    "publication.": "Semua aksi publikasi",
    "user.": "Semua aksi pengguna",
    "model.": "Semua aksi model",
}
MISSING = object()


@dataclass(frozen=True)
class Change:
    """One field an action changed, in words; ``before`` is None for a value that is simply recorded."""

    field: str
    before: str | None
    after: str
    url: str | None = None


@dataclass(frozen=True)
class Subject:
    """What an entry is about, as staff name it, and its page if it has one."""

    label: str
    url: str | None = None


@blueprint.get("/")
@requires("admin")
def index():
    settings = core().settings
    period = requested_period(request.args)
    page = requested_page(PAGE_SIZE)
    with core().sessions() as session:
        conditions = _conditions(session, period)
        statement = select(AuditEntry).where(*conditions).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        found = paged(page, session.scalars(statement.offset(page.offset).limit(page.fetch)).all(), QUERY_KEYS)
        total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
        subjects = _subjects(session, found.items)
        entries = [
            {
                "at": entry.at.astimezone(settings.timezone),
                "actor": entry.actor,
                "action": entry.action,
                "subject": subjects[entry.id],
                "changes": changes(entry.entity_type, entry.before, entry.after),
            }
            for entry in found.items
        ]
    action = request.args.get("aksi", "")
    actions = {**ACTION_GROUPS, **ACTION_LABELS}
    if action and action not in actions:
        actions[action] = action  # a prefix typed into the address keeps working and stays visible
    return render_template(
        "audit.html",
        entries=entries,
        pager=found,
        total=total,
        actions=actions,
        filters=request.args,
        date_errors=period.errors,
    ), (400 if period.errors else 200)


def _conditions(session: Session, period) -> list:
    """The query string's filters: actor, action (a code or its prefix), object, dates in the office's zone.

    The object may be given as staff know it (a ticket number, a username) or as the id the log keeps.
    """
    zone = core().settings.timezone
    actor = request.args.get("aktor", "").strip()[:100]
    action = request.args.get("aksi", "").strip()[:64]
    entity = request.args.get("objek", "").strip()[:64]
    conditions = []
    if actor:
        conditions.append(AuditEntry.actor == actor)
    if action:
        conditions.append(AuditEntry.action.startswith(action, autoescape=True))
    if entity:
        conditions.append(_object_condition(session, entity))
    start, end = period.moments(zone)
    if start:
        conditions.append(AuditEntry.at >= start)
    if end:
        conditions.append(AuditEntry.at < end)
    return conditions


def _object_condition(session: Session, text: str):
    ticket_id = session.scalar(select(Ticket.id).where(func.upper(Ticket.number) == text.upper()))
    if ticket_id is not None:
        return (AuditEntry.entity_type == "tickets") & (AuditEntry.entity_id == str(ticket_id))
    user_id = session.scalar(select(User.id).where(User.username == text))
    if user_id is not None:
        return (AuditEntry.entity_type == "users") & (AuditEntry.entity_id == str(user_id))
    return AuditEntry.entity_id == text.removeprefix("#")


def _subjects(session: Session, entries: list[AuditEntry]) -> dict[int, Subject]:
    """Each entry's object, named with one query per kind of row on the page."""

    def ids(kind: str) -> list[int]:
        return [int(entry.entity_id) for entry in entries if entry.entity_type == kind and entry.entity_id.isdigit()]

    numbers = dict(session.execute(select(Ticket.id, Ticket.number).where(Ticket.id.in_(ids("tickets")))).all())
    usernames = dict(session.execute(select(User.id, User.username).where(User.id.in_(ids("users")))).all())
    periods = dict(
        session.execute(select(Publication.id, Publication.period).where(Publication.id.in_(ids("publications")))).all()
    )
    return {entry.id: _subject(entry, numbers, usernames, periods) for entry in entries}


def _subject(entry: AuditEntry, numbers: dict, usernames: dict, periods: dict) -> Subject:
    kind, key = entry.entity_type, entry.entity_id
    row_id = int(key) if key.isdigit() else None
    if kind == "tickets" and row_id in numbers:
        return Subject(numbers[row_id], url_for("tickets.show", number=numbers[row_id]))
    if kind == "users" and row_id in usernames:
        return Subject(f"Pengguna {usernames[row_id]}")
    if kind == "publications" and row_id is not None:
        shown = f" ({period_label(periods[row_id])})" if row_id in periods else ""
        return Subject(f"Publikasi #{key}{shown}", url_for("publishing.show", publication_id=row_id))
    if kind == "posts":
        return Subject(f"Unggahan #{key}")
    if kind == "model":
        return Subject(f"Model {key}")
    if kind == "sources":
        return Subject("Sumber", url_for("intake.index"))
    return Subject(f"{kind} {key}")


def changes(entity_type: str, before: dict | None, after: dict | None) -> list[Change]:
    """The fields an entry changed (or, for a creation, recorded), with their values in words.

    A field equal before and after (the username that names a user, say) is
    left out; so is a field recorded only as empty.
    """
    before, after = before or {}, after or {}
    found = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key, MISSING), after.get(key, MISSING)
        if old == new or (old is MISSING and new is None):
            continue
        url = url_for("tickets.show", number=new) if key == "ticket" and isinstance(new, str) else None
        found.append(
            Change(
                field_label(key),
                None if old is MISSING else value_text(entity_type, key, old),
                "(dihapus)" if new is MISSING else value_text(entity_type, key, new),
                url,
            )
        )
    return found


def value_text(entity_type: str, key: str, value) -> str:
    """A recorded value as staff read it: a status by its name, a role in Indonesian, yes/no, a list joined."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, list):
        return " / ".join(str(part) for part in value)
    if isinstance(value, dict):
        return "; ".join(f"{METRIC_LABELS.get(name, name)}: {_number(part)}" for name, part in value.items())
    if key == "status":
        if entity_type == "publications":
            return PUBLICATION_STATUS_LABELS.get(value, value)
        return Status(value).label if value in Status._value2member_map_ else str(value)
    if key == "locked_until" and isinstance(value, str):
        return _moment(value)
    labels = {
        "review_status": REVIEW_LABELS.get,
        "role": ROLE_LABELS.get,
        "agency": lambda code, _: core().settings.agency_name(code),
        "category": lambda code, _: category_label(code),
    }
    if key in labels and isinstance(value, str):
        return labels[key](value, value)
    return _number(value)


def _number(value) -> str:
    """A fraction as Indonesian writes it (``0,812``), nothing as "–", anything else as it is."""
    return decimal(value, 3) if isinstance(value, float) or value is None else str(value)


def _moment(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment.astimezone(core().settings.timezone).strftime("%d-%m-%Y %H:%M")
