"""``/kartu/...``: a recap's card for Meta to download while it posts the carousel (``publishing.public_cards``).

No login: Meta's servers fetch it. A wrong signature, an unknown recap or a rejected one is a plain 404, the
same answer in every case, so the address tells a stranger nothing.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app

from satukanal.publishing.public_cards import public_card
from satukanal.web.users import core

blueprint = Blueprint("public_cards", __name__, url_prefix="/kartu")


@blueprint.get("/<kind>/<period>/<signature>/<name>")
def card(kind: str, period: str, signature: str, name: str):
    with core().sessions() as session:
        found = public_card(session, current_app.config["SECRET_KEY"], kind, period, signature, name)
    if found is None:
        abort(404)
    response = Response(found, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
