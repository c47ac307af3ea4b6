"""The ticket list's columns: which there are, in what order, and how the list is sorted by them."""

from __future__ import annotations

from flask import abort, make_response, render_template, request, url_for

SORTS = {"dibuat": "created", "nomor": "number", "status": "status", "opd": "agency", "tenggat": "deadline"}
"""``urut=``: the list's orders (``satukanal.tickets.listing.ORDERS``), with ``arah=naik`` or ``arah=turun``."""
COLUMNS = (
    ("nomor", "Nomor"),
    (None, "Judul"),
    ("status", "Status"),
    ("tenggat", "Tenggat"),
    ("opd", "OPD"),
    (None, "Kategori"),
    (None, "Pemegang"),
    ("dibuat", "Dibuat"),
    (None, "LAPOR!"),
)
"""The list's columns: what a ticket is and where it stands first (as on a phone), its bookkeeping last."""


def requested_sort() -> tuple[str, bool]:
    """The list's order from ``urut`` and ``arah``: a key of ``SORTS``, and whether descending.

    Newest first by default; ``arah`` alone turns that order; ``urut`` alone is ascending. Anything
    else is a 400 like any malformed filter, saying which values exist.
    """
    sort, direction = request.args.get("urut", ""), request.args.get("arah", "")
    if sort not in ("", *SORTS) or direction not in ("", "naik", "turun"):
        message = f"Urutan tidak dikenal: urut= salah satu dari {', '.join(SORTS)}; arah=naik atau arah=turun."
        abort(make_response(render_template("error.html", code=400, message=message), 400))
    return sort or "dibuat", direction == "turun" or (not sort and direction != "naik")


def headers(sort: str, descending: bool, kept: dict[str, str]) -> list[dict]:
    """The table's headers: a sortable one links to its order (the other direction when it is the current one),
    keeping the filters ``kept`` and going back to the first page; the current one says its direction
    (``aria-sort``)."""
    columns = []
    for key, label in COLUMNS:
        current = key == sort
        direction = "turun" if current and not descending else "naik"
        url = url_for("tickets.index", **kept, urut=key, arah=direction) if key else None
        order = ("descending" if descending else "ascending") if current else None
        columns.append({"label": label, "url": url, "sort": order})
    return columns
