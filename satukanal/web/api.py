"""The JSON API under ``/api/``: tickets and posts for scripts and agency systems.

Authentication is per user with the token from ``satukanal users token``, sent
as ``Authorization: Bearer TOKEN``; no cookies, so no CSRF token either. The
same roles apply as in the pages: an agency token reads and moves only its
agency's tickets. Every error is JSON ``{"error": ...}``, answered by the
app's error handlers (``satukanal.web.security``) so routing errors are too.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, jsonify, request

from satukanal.models import Post, Ticket, utcnow
from satukanal.replies.service import answer_resolution
from satukanal.review.service import ReviewError, queue
from satukanal.tickets.lifecycle import TRANSITIONS, Status, TransitionError, check_reason, parse_status
from satukanal.tickets.service import TicketError, add_note, list_tickets, set_status, ticket_state
from satukanal.users.service import user_for_token
from satukanal.web.ticket_status import LAPOR_ID_LIMIT, NOTE_LIMIT
from satukanal.web.tickets import visible_ticket
from satukanal.web.users import WebUser, core

blueprint = Blueprint("api", __name__, url_prefix="/api")
PAGE_SIZE = 100


def token_user(*roles: str):
    """Admit a request whose bearer token belongs to an active user with one of ``roles`` (admins always)."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                abort(401)
            with core().sessions() as session:
                user = user_for_token(session, token.strip())
                caller = WebUser.of(user) if user is not None else None
            if caller is None:
                abort(401)
            if caller.role != "admin" and caller.role not in roles:
                abort(403)
            return view(caller, *args, **kwargs)

        return guarded

    return decorate


@blueprint.get("/tickets")
@token_user("moderator", "agency")
def tickets(caller: WebUser):
    status = _parsed_status(request.args.get("status"))
    agency = caller.agency_scope or request.args.get("agency") or None
    with core().sessions() as session:
        found = list_tickets(session, status, PAGE_SIZE, agency=agency, search=request.args.get("q"))
        return jsonify(tickets=[_ticket(ticket) for ticket in found])


@blueprint.get("/tickets/<number>")
@token_user("moderator", "agency")
def ticket(caller: WebUser, number: str):
    with core().sessions() as session:
        found = visible_ticket(session, caller, number)
        return jsonify(
            {
                **_ticket(found),
                "history": [
                    {
                        "status": change.to_status,
                        "at": change.changed_at.isoformat(),
                        "actor": change.actor,
                        "note": change.note,
                    }
                    for change in found.history
                ],
                "notes": [
                    {"at": note.noted_at.isoformat(), "actor": note.actor, "note": note.note} for note in found.notes
                ],
                "posts": [link.post_id for link in found.posts],
            }
        )


@blueprint.post("/tickets/<number>/status")
@token_user("moderator", "agency")
def ticket_status(caller: WebUser, number: str):
    body = _json_body()
    if not isinstance(body, dict) or not isinstance(body.get("status"), str):
        return jsonify(error='kirim JSON {"status": ..., "note": ..., "lapor_id": ...}'), 400
    note, lapor_id = body.get("note"), body.get("lapor_id")
    if not all(value is None or isinstance(value, str) for value in (note, lapor_id)):
        return jsonify(error="note dan lapor_id harus teks"), 400
    for name, value, limit in (("note", note, NOTE_LIMIT), ("lapor_id", lapor_id, LAPOR_ID_LIMIT)):
        if value is not None and len(value) > limit:
            return jsonify(error=f"{name} paling panjang {limit} karakter"), 400
    with core().sessions.begin() as session:
        found = visible_ticket(session, caller, number)
        try:
            target = parse_status(body["status"])
            if target in TRANSITIONS[Status(found.status)]:
                check_reason(target, note)
        except TransitionError as exc:
            return jsonify(error=str(exc)), 400
        except ValueError as exc:
            return jsonify(error=str(exc)), 409
        try:
            set_status(session, found.number, target, caller.username, note=note, lapor_id=lapor_id)
        except TicketError as exc:
            return jsonify(error=str(exc)), 409
        answer_resolution(session, core().settings, found, caller.username, utcnow())
        return jsonify(_ticket(found))


@blueprint.post("/tickets/<number>/notes")
@token_user("moderator", "agency")
def ticket_note(caller: WebUser, number: str):
    """Add a note to the ticket's history without changing its status; answers the note, 201."""
    body = _json_body()
    note = body.get("note") if isinstance(body, dict) else None
    if not isinstance(note, str) or not note.strip():
        return jsonify(error='kirim JSON {"note": "..."} dengan catatan yang tidak kosong'), 400
    if len(note) > NOTE_LIMIT:
        return jsonify(error=f"note paling panjang {NOTE_LIMIT} karakter"), 400
    with core().sessions.begin() as session:
        found = visible_ticket(session, caller, number)
        added = add_note(session, found.number, note, caller.username)
        answer = {"number": found.number, "at": added.noted_at.isoformat(), "actor": added.actor, "note": added.note}
    return jsonify(answer), 201


@blueprint.get("/posts")
@token_user("moderator")
def posts(caller: WebUser):
    order = request.args.get("order", "newest")
    try:
        with core().sessions() as session:
            queued = queue(session, PAGE_SIZE, flagged=None if request.args.get("all") == "1" else True, order=order)
            return jsonify(posts=[_post(post) for post in queued])
    except ReviewError as exc:
        return jsonify(error=str(exc)), 400


def _json_body():
    """The request's JSON, or None when it is none; nesting too deep for the parser counts as none too."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def _parsed_status(text: str | None) -> Status | None:
    if not text:
        return None
    try:
        return parse_status(text)
    except ValueError:
        abort(400)


def _ticket(ticket: Ticket) -> dict:
    return {
        **ticket_state(ticket),
        "title": ticket.title,
        "body": ticket.body,
        "anonymous": ticket.is_anonymous,
        "confidential": ticket.is_confidential,
        "created_at": ticket.created_at.isoformat(),
        "status_changed_at": ticket.status_changed_at.isoformat(),
        "resolved_at": ticket.resolved_at.isoformat() if ticket.resolved_at else None,
    }


def _post(post: Post) -> dict:
    verdict = post.classification
    return {
        "id": post.id,
        "platform": post.platform,
        "author": post.author,
        "text": post.text,
        "url": post.url,
        "created_at": post.created_at.isoformat(),
        "score": verdict.score if verdict else None,
        "flagged": verdict.flagged if verdict else None,
        "suggestions": verdict.suggestions if verdict else [],
    }
