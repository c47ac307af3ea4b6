"""Saved filters on the queue and the ticket list: "Simpan filter ini", the user's views as links, deleting one."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from satukanal.saved_filters.service import SavedFilterError, delete_filter, save_filter, saved_filters
from satukanal.web import review_filters, tickets
from satukanal.web.paging import PAGE_PARAMETER
from satukanal.web.users import core

blueprint = Blueprint("saved_filters", __name__, url_prefix="/filter")
LISTS = {
    "antrean": ("review.index", tuple(key for key in review_filters.QUERY_KEYS if key != PAGE_PARAMETER)),
    "tiket": ("tickets.index", tuple(key for key in tickets.QUERY_KEYS if key != PAGE_PARAMETER)),
}
"""Each list page: its endpoint and the query keys a saved view keeps."""


def _back(page: str, query: str = "") -> str:
    return url_for(LISTS[page][0]) + (f"?{query}" if query else "")


@blueprint.post("/<page>")
@login_required
def save(page: str):
    if page not in LISTS:
        abort(404)
    query = request.form.get("query", "")
    with core().sessions.begin() as session:
        try:
            saved = save_filter(session, current_user.id, page, request.form.get("name", ""), query, LISTS[page][1])
        except SavedFilterError as exc:
            flash(f"Filter tidak disimpan: {exc}.", "error")
            return redirect(_back(page, query[:2000]))
        flash(f"Filter “{saved.name}” disimpan.")
        return redirect(_back(page, saved.query))


@blueprint.post("/<page>/<id:filter_id>/hapus")
@login_required
def remove(page: str, filter_id: int):
    if page not in LISTS:
        abort(404)
    with core().sessions.begin() as session:
        removed = delete_filter(session, current_user.id, filter_id)
    flash("Filter dihapus." if removed else "Filter itu sudah tidak ada.", "message" if removed else "info")
    return redirect(_back(page))


def views_of(page: str) -> list[dict]:
    """The logged-in user's saved views of ``page`` for its template: name, link, delete address."""
    with core().sessions() as session:
        return [
            {"id": saved.id, "name": saved.name, "url": _back(page, saved.query)}
            for saved in saved_filters(session, current_user.id, page)
        ]


def init_app(web: Flask) -> None:
    web.add_template_global(views_of, "saved_views")
