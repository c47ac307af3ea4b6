"""The tickets' CSV files: the list exported for LAPOR!, and status updates from LAPOR! imported.

These views are on the ``tickets`` blueprint (``tickets.export``,
``tickets.import_updates``); ``satukanal.web`` imports this module before it
registers the blueprint, so the routes are there.
"""

from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from satukanal.models import utcnow
from satukanal.tickets import service
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.status_import import COLUMNS, StatusImportError, import_status_updates
from satukanal.web.tickets import CHANNEL, DEADLINE_SCAN, blueprint, lapor_entry, status_filter
from satukanal.web.users import core, requires

EXPORT_COLUMNS = (
    "nomor",
    "judul",
    "isi",
    "kategori",
    "instansi",
    "lokasi",
    "anonim",
    "rahasia",
    "kanal",
    "dibuat",
    "status",
    "nomor_lapor",
)


@blueprint.get("/ekspor.csv")
@requires("moderator", "agency")
def export():
    """The listed tickets as CSV, one row per ticket, with what an admin types into LAPOR!."""
    status = status_filter()
    settings = core().settings
    agency = current_user.agency_scope or request.args.get("opd") or None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    with core().sessions() as session:
        for ticket in service.list_tickets(
            session, status, DEADLINE_SCAN, agency=agency, search=request.args.get("q", "")[:100]
        ):
            entry = lapor_entry(ticket)
            writer.writerow(
                _cell(value)
                for value in (
                    ticket.number,
                    entry["Judul"],
                    entry["Isi laporan"],
                    entry["Kategori"],
                    entry["Instansi tujuan"],
                    entry["Lokasi"],
                    "ya" if ticket.is_anonymous else "tidak",
                    "ya" if ticket.is_confidential else "tidak",
                    CHANNEL,
                    ticket.created_at.astimezone(settings.timezone).strftime("%Y-%m-%d %H:%M"),
                    Status(ticket.status).label,
                    ticket.lapor_id or "",
                )
            )
    stamp = utcnow().astimezone(settings.timezone).strftime("%Y%m%d-%H%M")
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="tiket-{stamp}.csv"'},
    )


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas: post text is hostile, and this file is opened in Excel."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class ImportForm(FlaskForm):
    file = FileField("Berkas CSV", validators=[FileRequired()])


@blueprint.route("/impor", methods=["GET", "POST"])
@requires("moderator")
def import_updates():
    """CSV of status updates from LAPOR! (nomor_lapor, status, tanggal, catatan), with a report per row."""
    form = ImportForm()
    outcomes = None
    if form.validate_on_submit():
        app = core()
        with app.sessions.begin() as session:
            try:
                outcomes = import_status_updates(
                    session, form.file.data.read(), current_user.username, app.settings.timezone, utcnow()
                )
            except StatusImportError as exc:
                flash(str(exc), "error")
        if outcomes is not None:
            flash(f"{sum(o.applied for o in outcomes)} dari {len(outcomes)} baris diterapkan.")
    elif request.method == "POST":
        abort(400)
    return render_template("import.html", form=form, outcomes=outcomes, columns=COLUMNS)
