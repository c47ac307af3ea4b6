"""``satukanal users``: staff accounts for the web interface and the API."""

from __future__ import annotations

import os
from collections.abc import Callable

import click

from satukanal.cli.root import State, cli
from satukanal.models import User, utcnow
from satukanal.users import admin, service

PASSWORD_ENV = "SATUKANAL_PASSWORD"


def role_options(command: Callable) -> Callable:
    """``--role`` and ``--agency``, as adding a user and changing a role take them."""
    command = click.option(
        "--agency", help="Agency key (from the configuration's agencies); required for --role agency only."
    )(click.pass_obj(command))
    return click.option("--role", required=True, help=f"One of: {', '.join(service.ROLES)}.")(command)


@cli.group()
def users() -> None:
    """Staff accounts: add, list, issue API tokens, disable, enable, unlock, reset passwords, change roles."""


@users.command("add")
@click.argument("name")
@role_options
def users_add(state: State, name: str, role: str, agency: str | None) -> None:
    """Add the user NAME (3-64 characters: a-z, 0-9, '.', '_', '-').

    The password is read from the environment variable SATUKANAL_PASSWORD
    when it is set, else asked for twice without echo. It needs at least
    10 characters.
    """
    app = state.app()
    with app.sessions() as session:
        service.check_new_user(session, app.settings, name, role, agency)
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = click.prompt("Kata sandi", hide_input=True, confirmation_prompt="Ulangi kata sandi", err=True)
    with app.sessions.begin() as session:
        user = service.add_user(session, app.settings, name, role, password, state.actor, agency=agency)
    click.echo(f"Pengguna {user.username} ({_role(user)}) dibuat.")


@users.command("list")
@click.pass_obj
def users_list(state: State) -> None:
    """Users: name, role, agency, active or not, locked until (local time)."""
    app = state.app()
    zone = app.settings.timezone
    now = utcnow()
    with app.sessions() as session:
        found = service.list_users(session)
        for user in found:
            active = "aktif" if user.is_active else "nonaktif"
            locked = "-"
            if user.locked_until is not None and user.locked_until > now:
                locked = "terkunci s.d. " + user.locked_until.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            click.echo(f"{user.username:<20} {user.role:<10} {user.agency or '-':<12} {active:<9} {locked}")
    if not found:
        click.echo("Belum ada pengguna.")


@users.command("token")
@click.argument("name")
@click.pass_obj
def users_token(state: State, name: str) -> None:
    """Issue a new API token for NAME and print it once; it replaces any earlier token.

    The token alone goes to standard output, the notice to standard error,
    so TOKEN=$(satukanal users token NAME) keeps just the token.
    """
    app = state.app()
    with app.sessions.begin() as session:
        user = service.get_user(session, name)
        token = service.issue_api_token(session, user, state.actor)
        username = user.username
    click.echo(token)
    click.echo(
        f"Token API untuk {username} hanya ditampilkan sekali ini dan menggantikan token sebelumnya; simpan sekarang.",
        err=True,
    )


@users.command("disable")
@click.argument("name")
@click.pass_obj
def users_disable(state: State, name: str) -> None:
    """Disable NAME: no login, and its API token is refused. Nothing is deleted."""
    _set_active(state, name, False)


@users.command("enable")
@click.argument("name")
@click.pass_obj
def users_enable(state: State, name: str) -> None:
    """Enable NAME again (its password and API token work again)."""
    _set_active(state, name, True)


def _set_active(state: State, name: str, active: bool) -> None:
    app = state.app()
    with app.sessions.begin() as session:
        changed = service.set_active(session, name, active, state.actor)
        unlocked = active and admin.unlock(session, name, state.actor)
    word = "diaktifkan" if active else "dinonaktifkan"
    already = "sudah aktif" if active else "sudah nonaktif"
    username = name.lower()
    if unlocked:
        click.echo(f"Pengguna {username} {word if changed else already}; kuncinya dibuka.")
    else:
        click.echo(
            f"Pengguna {username} {word}." if changed else f"Pengguna {username} {already}; tidak ada yang berubah."
        )


@users.command("unlock")
@click.argument("name")
@click.pass_obj
def users_unlock(state: State, name: str) -> None:
    """Unlock NAME after too many failed logins, before the lock runs out by itself."""
    app = state.app()
    with app.sessions.begin() as session:
        unlocked = admin.unlock(session, name, state.actor)
    username = name.lower()
    click.echo(
        f"Kunci {username} dibuka." if unlocked else f"Pengguna {username} tidak terkunci; tidak ada yang berubah."
    )


@users.command("reset-password")
@click.argument("name")
@click.pass_obj
def users_reset_password(state: State, name: str) -> None:
    """Give NAME a new password and end its sessions; a lock is lifted too.

    The new password is SATUKANAL_PASSWORD when it is set; otherwise a
    temporary password is made and printed once, alone on standard output,
    for you to hand over.
    """
    app = state.app()
    chosen = os.environ.get(PASSWORD_ENV)
    with app.sessions.begin() as session:
        password = admin.reset_password(session, name, state.actor, password=chosen)
    if chosen is None:
        click.echo(password)
        click.echo(f"Kata sandi sementara {name.lower()} hanya ditampilkan sekali ini; serahkan sekarang.", err=True)
    else:
        click.echo(f"Kata sandi {name.lower()} diganti.", err=True)


@users.command("set-role")
@click.argument("name")
@role_options
def users_set_role(state: State, name: str, role: str, agency: str | None) -> None:
    """Change NAME's role (and agency); its sessions end so the new role applies at once."""
    app = state.app()
    with app.sessions.begin() as session:
        changed = admin.set_role(session, app.settings, name, role, state.actor, agency=agency)
        user = service.get_user(session, name)
        shown = _role(user)
    username = name.lower()
    click.echo(
        f"Peran {username} kini {shown}." if changed else f"Pengguna {username} sudah {shown}; tidak ada yang berubah."
    )


def _role(user: User) -> str:
    return f"{user.role}, {user.agency}" if user.agency else user.role
