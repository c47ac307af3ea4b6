"""Headers, error pages and the session key: what keeps hostile input and secrets where they belong."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from satukanal.config.settings import Settings

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ERRORS = {
    400: "Permintaan tidak valid.",
    403: "Anda tidak berhak membuka halaman ini.",
    404: "Halaman tidak ditemukan.",
    405: "Cara akses ini tidak diizinkan.",
    413: "Data yang dikirim terlalu besar.",
    500: "Terjadi kesalahan pada server. Kejadian ini sudah dicatat.",
}
API_PREFIX = "/api/"
API_ERRORS = {401: "token tidak ada atau tidak berlaku", 403: "tidak berhak", 404: "tidak ditemukan"}
"""The API's own words where a script needs other ones than a person at a page (it has a token, not a login)."""


def add_security_headers(response: Response) -> Response:
    """Headers for every response; ``no-store`` unless the view chose a cache policy itself.

    Pages, CSV exports and API answers carry citizens' complaints and are
    behind a login or a token: no browser or proxy may keep a copy. Static
    files and the views that serve files (previews, stored publications)
    set their own ``Cache-Control``.
    """
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def register_error_pages(web: Flask) -> None:
    """Plain pages in Indonesian for every error: no stack trace, no configuration, no secret.

    Under ``/api/`` every error is JSON ``{"error": ...}`` instead. That is
    decided here, for the whole app, rather than in the API's blueprint: a
    404 or 405 is raised while routing, before any blueprint is chosen.
    """

    def page(code: int, message: str):
        return render_template("error.html", code=code, message=message), code

    def answer(error: HTTPException):
        code = error.code or 500
        # The error's own headers stay: a 405's Allow says which methods the address takes (RFC 9110).
        headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
        if request.path.startswith(API_PREFIX):
            message = API_ERRORS.get(code) or ERRORS.get(code) or error.description
            return jsonify(error=message), code, headers
        if code not in ERRORS:
            return error  # any other code: Werkzeug's own page
        return render_template("error.html", code=code, message=ERRORS[code]), code, headers

    web.register_error_handler(HTTPException, answer)
    web.register_error_handler(
        CSRFError, lambda _error: page(400, "Formulir kedaluwarsa atau tidak sah; muat ulang halaman.")
    )


def session_secret(settings: Settings) -> str:
    """``SATUKANAL_SECRET_KEY`` if set, else the key file, created (mode 0600) on first use."""
    if settings.secret_key:
        return settings.secret_key
    path: Path = settings.web.secret_key_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(48))
        log.info("created a new session key in %s", path)
    return path.read_text(encoding="ascii").strip()
