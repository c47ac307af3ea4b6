"""Logging in and out, and who may do what.

Roles: *admin* (everything), *moderator* (queue and tickets), *agency* (the
tickets routed to their agency), *viewer* (read-only dashboard). Every view
states the roles it admits; the check runs on the server for every request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from satukanal.models import User
from satukanal.users import authenticate
from satukanal.wiring import App

blueprint = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Silakan masuk terlebih dahulu."


@dataclass(frozen=True)
class WebUser:
    """The logged-in user as the views see it: no password hash, no token."""

    id: int
    username: str
    role: str
    agency: str | None

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def agency_scope(self) -> str | None:
        """The only agency whose tickets this user may see; None for roles that see all."""
        return self.agency if self.role == "agency" else None

    @classmethod
    def of(cls, user: User) -> WebUser:
        return cls(user.id, user.username, user.role, user.agency)


class LoginForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Kata sandi", validators=[DataRequired(), Length(max=256)])


def core() -> App:
    return current_app.extensions["satukanal"]


def init_app(web: Flask) -> None:
    login_manager.init_app(web)


@login_manager.user_loader
def load_user(user_id: str) -> WebUser | None:
    if not user_id.isdigit():
        return None
    with core().sessions() as session:
        user = session.get(User, int(user_id))
        return WebUser.of(user) if user is not None and user.is_active else None


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
        with core().sessions.begin() as session:
            result = authenticate(session, form.username.data.strip().lower(), form.password.data)
            user = WebUser.of(result.user) if result.user is not None else None
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        if result.locked_until is not None:
            zone = core().settings.timezone
            flash(f"Akun terkunci sampai {result.locked_until.astimezone(zone):%H:%M} karena terlalu banyak percobaan.")
        else:
            flash("Nama pengguna atau kata sandi salah.")
    return render_template("login.html", form=form), 200 if request.method == "GET" else 401


@blueprint.route("/keluar", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("Anda sudah keluar.")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    """Only paths on this site: an open redirect would let a link send staff elsewhere after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home")
