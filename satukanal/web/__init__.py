"""The moderation web app: a Flask app built by ``create_app`` around one ``App``.

Pages are rendered on the server with Jinja2 autoescaping; the only script is
our own static file, and the Content-Security-Policy forbids any other, so a
post whose text is HTML or JavaScript shows as text and runs nothing.
"""

from __future__ import annotations

from flask import Flask, redirect, url_for
from flask_login import current_user, login_required
from flask_wtf import CSRFProtect
from werkzeug.routing import IntegerConverter, Map

from satukanal.models import MAX_ROW_ID
from satukanal.web import (
    api,
    audit,
    badges,
    dashboard,
    intake,
    labels,
    meta_webhook,
    notifications,
    ownership,
    public_cards,
    publishing,
    review,
    saved_filters,
    ticket_routing,  # noqa: F401 (its view joins tickets.blueprint)
    tickets,
    tickets_csv,  # noqa: F401 (its views join tickets.blueprint)
    users,
    users_admin,  # noqa: F401 (its views join users.blueprint)
)
from satukanal.web.security import add_security_headers, register_error_pages
from satukanal.wiring import App

csrf = CSRFProtect()


class RowId(IntegerConverter):
    """A row id in a URL (``<id:post_id>``): a longer number is a 404 like any missing row, not a driver overflow."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ROW_ID)


@login_required
def home():
    """Each role's starting page: the queue for moderators, tickets for liaisons, the dashboard for viewers."""
    start = {"agency": "tickets.index", "viewer": "dashboard.index"}.get(current_user.role, "review.index")
    return redirect(url_for(start))


def create_app(app: App, secret_key: str, *, testing: bool = False) -> Flask:
    """The Flask app serving ``app``'s database; ``secret_key`` signs sessions and CSRF tokens."""
    web = Flask(__name__)
    web.config.update(
        SECRET_KEY=secret_key,
        TESTING=testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=app.settings.web.secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    web.extensions["satukanal"] = app
    web.url_map.converters["id"] = RowId
    csrf.init_app(web)
    users.init_app(web)
    web.register_blueprint(users.blueprint)
    web.register_blueprint(review.blueprint)
    web.register_blueprint(tickets.blueprint)
    web.register_blueprint(audit.blueprint)
    web.register_blueprint(dashboard.blueprint)
    dashboard.init_app(web, app.settings.web.dashboard_cache_seconds)
    web.register_blueprint(publishing.blueprint)
    web.register_blueprint(intake.blueprint)
    web.register_blueprint(notifications.blueprint)
    web.register_blueprint(ownership.blueprint)
    web.register_blueprint(saved_filters.blueprint)
    saved_filters.init_app(web)
    intake.init_app(web)
    badges.init_app(web)
    labels.init_app(web)
    web.register_blueprint(api.blueprint)
    csrf.exempt(api.blueprint)
    web.register_blueprint(meta_webhook.blueprint)
    web.register_blueprint(public_cards.blueprint)
    csrf.exempt(meta_webhook.blueprint)
    web.add_url_rule("/", "home", home)
    web.after_request(add_security_headers)
    register_error_pages(web)
    return web
