"""Logging in and out, and who may do what.

Roles: *admin* (everything), *moderator* (queue and tickets), *agency* (the
tickets routed to their agency), *viewer* (read-only dashboard). Every view
states the roles it admits; the check runs on the server for every request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from satukanal.models import User
from satukanal.users.service import authenticate, end_sessions
from satukanal.wiring import App

blueprint = Blueprint("users", __name__)
login_manager = LoginManager()
login_manager.login_view = "users.login"
login_manager.login_message = "Silakan masuk terlebih dahulu."
LOGIN_REFUSED = (
    "Nama pengguna atau kata sandi salah, atau akun sedang dikunci sementara karena terlalu banyak percobaan."
)
"""One answer for every refused login: a different one for a locked account would tell which usernames exist."""


@dataclass(frozen=True)
class WebUser:
    """The logged-in user as the views see it: no password hash, no token."""

    id: int
    username: str
    role: str
    agency: str | None
    generation: int

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """What the session cookie stores: the id with the session generation, which ``load_user`` checks."""
        return f"{self.id}:{self.generation}"

    @property
    def agency_scope(self) -> str | None:
        """The only agency whose tickets this user may see; None for roles that see all."""
        return self.agency if self.role == "agency" else None

    @classmethod
    def of(cls, user: User) -> WebUser:
        return cls(user.id, user.username, user.role, user.agency, user.session_generation)


class LoginForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Kata sandi", validators=[DataRequired(), Length(max=256)])


def core() -> App:
    return current_app.extensions["satukanal"]


def init_app(web: Flask) -> None:
    login_manager.init_app(web)


@login_manager.user_loader
def load_user(session_id: str) -> WebUser | None:
    """The active user a session cookie names, if the cookie is of the user's current session generation."""
    user_id, _, generation = session_id.partition(":")
    if not (user_id.isdigit() and generation.isdigit()):
        return None
    with core().sessions() as db:
        user = db.get(User, int(user_id))
        if user is None or not user.is_active or user.session_generation != int(generation):
            return None
        return WebUser.of(user)


def requires(*roles: str) -> Callable:
    """Admit logged-in users with one of ``roles`` (admins always); others get 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if current_user.role != "admin" and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


@blueprint.route("/masuk", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        with core().sessions.begin() as db:
            result = authenticate(db, form.username.data.strip().lower(), form.password.data)
            user = WebUser.of(result.user) if result.user is not None else None
        if user is not None:
            session.clear()  # nothing of an earlier visitor on this browser (their undo stack) carries over
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(LOGIN_REFUSED, "error")
    return render_template("login.html", form=form), 200 if request.method == "GET" else 401


@blueprint.route("/keluar", methods=["POST"])
@login_required
def logout():
    """Log out here and everywhere else.

    Advancing the user's session generation makes every earlier session
    cookie of theirs, on this browser or any other, stop working; clearing
    the Flask session drops the moderation undo stack with the rest.
    """
    with core().sessions.begin() as db:
        end_sessions(db.get(User, current_user.id))
    logout_user()
    session.clear()
    flash("Anda sudah keluar.")
    return redirect(url_for("users.login"))


def _safe_next(target: str | None) -> str:
    """Only paths on this site: an open redirect would let a link send staff elsewhere after login.

    The target is judged in every form a browser or a later redirect may read
    it in: as given, and percent-decoded again and again until nothing
    changes. Each form must be a plain path, because Werkzeug strips tabs and
    newlines from the Location header and browsers read a backslash as a
    slash, so ``/<TAB>/evil.example`` or ``/\\evil.example`` become ``//evil.example``.
    """
    if target and all(_is_local_path(form) for form in _decodings(target)):
        return target
    return url_for("home")


def _decodings(text: str) -> Iterator[str]:
    """``text``, then each percent-decoding of it until decoding changes nothing (each one is shorter)."""
    yield text
    while (decoded := unquote(text)) != text:
        text = decoded
        yield text


def _is_local_path(text: str) -> bool:
    parts = urlsplit(text)
    return (
        text.isprintable()
        and text == text.strip()
        and "\\" not in text
        and text.startswith("/")
        and not text.startswith("//")
        and not parts.scheme
        and not parts.netloc
    )
