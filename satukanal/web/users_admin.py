"""Accounts in the web app: the admin's user list (add, role, unlock, new password, disable) and each user's
own password. Its views join the ``users`` blueprint (``/pengguna``, ``/akun/kata-sandi``).

A new or reset password is shown once, on a page that is not cached, for the
admin to hand over; it is never stored, logged or put in a URL.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from satukanal.models import User, utcnow
from satukanal.users import admin
from satukanal.users.service import (
    MIN_PASSWORD_CHARS,
    ROLE_LABELS,
    ROLES,
    UserError,
    add_user,
    change_password,
    get_user,
    list_users,
    set_active,
)
from satukanal.web.users import WebUser, blueprint, core, requires

REQUIRED = "Wajib diisi."


class RoleForm(FlaskForm):
    role = SelectField("Peran", choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES])
    agency = SelectField("OPD (untuk Petugas OPD)", choices=[])


class NewUserForm(RoleForm):
    username = StringField("Nama pengguna", validators=[DataRequired(REQUIRED), Length(max=64)])


class OwnPasswordForm(FlaskForm):
    current = PasswordField("Kata sandi sekarang", validators=[DataRequired(REQUIRED), Length(max=200)])
    new = PasswordField(
        "Kata sandi baru",
        validators=[DataRequired(REQUIRED), Length(MIN_PASSWORD_CHARS, 200, f"Minimal {MIN_PASSWORD_CHARS} karakter.")],
    )
    repeat = PasswordField(
        "Ulangi kata sandi baru",
        validators=[DataRequired(REQUIRED), EqualTo("new", message="Kedua kata sandi baru berbeda.")],
    )


def _with_agencies(form: RoleForm) -> RoleForm:
    agencies = core().settings.agencies
    form.agency.choices = [SelectChoice("", "—")] + [SelectChoice(key, agency.name) for key, agency in agencies.items()]
    return form


@blueprint.get("/pengguna")
@requires("admin")
def accounts():
    now = utcnow()
    with core().sessions() as session:
        rows = [
            {
                "username": user.username,
                "role": ROLE_LABELS.get(user.role, user.role),
                "role_key": user.role,
                "agency": core().settings.agency_name(user.agency) if user.agency else "",
                "agency_key": user.agency or "",
                "active": user.is_active,
                "locked": user.locked_until is not None and user.locked_until > now,
            }
            for user in list_users(session)
        ]
    return render_template(
        "users.html", rows=rows, new_user=_with_agencies(NewUserForm()), role_form=_with_agencies(RoleForm())
    )


@blueprint.post("/pengguna")
@requires("admin")
def add_account():
    form = _with_agencies(NewUserForm())
    if not form.validate_on_submit():
        abort(400)
    password = admin.temporary_password()
    try:
        with core().sessions.begin() as session:
            user = add_user(
                session,
                core().settings,
                form.username.data.strip(),
                form.role.data,
                password,
                current_user.username,
                agency=form.agency.data or None,
            )
            username = user.username
    except UserError as exc:
        flash(f"Pengguna tidak dibuat: {exc}.", "error")
        return redirect(url_for("users.accounts"))
    return _password_once(username, password, "Pengguna dibuat.")


@blueprint.post("/pengguna/<username>/buka-kunci")
@requires("admin")
def unlock_account(username: str):
    with core().sessions.begin() as session:
        unlocked = _act(lambda: admin.unlock(session, username, current_user.username))
    flash(f"Kunci {username} dibuka." if unlocked else f"{username} tidak terkunci; tidak ada yang berubah.")
    return redirect(url_for("users.accounts"))


@blueprint.post("/pengguna/<username>/sandi-baru")
@requires("admin")
def reset_account_password(username: str):
    with core().sessions.begin() as session:
        password = _act(lambda: admin.reset_password(session, username, current_user.username))
    return _password_once(username, password, "Kata sandi diganti; sesi lama pengguna ini berakhir.")


@blueprint.post("/pengguna/<username>/peran")
@requires("admin")
def change_role(username: str):
    form = _with_agencies(RoleForm())
    if not form.validate_on_submit():
        abort(400)
    try:
        with core().sessions.begin() as session:
            _act(lambda: get_user(session, username))
            changed = admin.set_role(
                session,
                core().settings,
                username,
                form.role.data,
                current_user.username,
                agency=form.agency.data or None,
            )
    except UserError as exc:
        flash(f"Peran {username} tidak diubah: {exc}.", "error")
        return redirect(url_for("users.accounts"))
    flash(f"Peran {username} diubah." if changed else f"Peran {username} sudah begitu; tidak ada yang berubah.")
    return redirect(url_for("users.accounts"))


@blueprint.post("/pengguna/<username>/status")
@requires("admin")
def change_active(username: str):
    active = request.form.get("aktif") == "1"
    if username == current_user.username and not active:
        flash("Anda tidak dapat menonaktifkan akun Anda sendiri.", "error")
        return redirect(url_for("users.accounts"))
    with core().sessions.begin() as session:
        changed = _act(lambda: set_active(session, username, active, current_user.username))
    word = "diaktifkan" if active else "dinonaktifkan"
    flash(f"{username} {word}." if changed else f"{username} sudah begitu; tidak ada yang berubah.")
    return redirect(url_for("users.accounts"))


@blueprint.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def own_password():
    form = OwnPasswordForm()
    if form.validate_on_submit():
        try:
            with core().sessions.begin() as session:
                change_password(session, current_user.id, form.current.data, form.new.data)
                session.flush()
                stored = session.get(User, current_user.id)
                session.refresh(stored)  # the new session generation, counted in the database
                user = WebUser.of(stored)
        except UserError as exc:
            form.current.errors.append(f"{str(exc).capitalize()}.")
        else:
            login_user(user)  # this browser stays logged in under the new session generation; the others end
            flash("Kata sandi Anda sudah diganti. Sesi di perangkat lain berakhir.")
            return redirect(url_for("home"))
    status = 400 if form.errors else 200
    return render_template("account_password.html", form=form, minimum=MIN_PASSWORD_CHARS), status


def _act(action):
    """``action()``; an unknown user is a 404 like any missing page."""
    try:
        return action()
    except UserError:
        abort(404)


def _password_once(username: str, password: str, message: str):
    """The page that shows a new password once; not cached anywhere."""
    response = make_response(
        render_template("user_password.html", username=username, password=password, message=message)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.app_context_processor
def role_labels() -> dict:
    """``role_labels`` for every page: the roles as staff read them (the top bar names the user's own)."""
    return {"role_labels": ROLE_LABELS}
