"""``satukanal notifications``: send what waits, set how a user is told, and try a user's addresses."""

from __future__ import annotations

import click

from satukanal.cli.root import State, cli
from satukanal.notifications.preferences import MODES, set_preferences
from satukanal.users.service import get_user

# The sending side (apprise's URLs, the clocks) is imported by the commands that send: ``--help`` stays quick.


@cli.group()
def notifications() -> None:
    """Notifications outside the app: e-mail (SATUKANAL_SMTP_URL) and other apprise channels."""


@notifications.command("send")
@click.option("--digest", is_flag=True, help="Send the daily digests instead of the single messages.")
@click.pass_obj
def notifications_send(state: State, digest: bool) -> None:
    """Check deadlines and waiting drafts, then send what waits (the scheduler does this every few minutes)."""
    from satukanal.notifications.runs import notification_run, sender_for
    from satukanal.tickets.clocks import WorkingCalendar

    app = state.app()
    report = notification_run(app.sessions, app.settings, sender_for(app.settings), WorkingCalendar(), digest=digest)
    click.echo(
        f"Pengingat tenggat baru: {report.reminders}; draf menunggu: {report.drafts}; "
        f"terkirim: {report.delivery.sent}; gagal: {report.delivery.failed}; "
        f"tanpa alamat atau hanya di aplikasi: {report.delivery.skipped}."
    )
    if report.delivery.failed:
        raise SystemExit(1)


@notifications.command("set")
@click.argument("name")
@click.option("--email", help="E-mail address; an empty string removes it.")
@click.option("--mode", type=click.Choice(list(MODES)), help="each: every event; digest: once a day; off: app only.")
@click.pass_obj
def notifications_set(state: State, name: str, email: str | None, mode: str | None) -> None:
    """Set how NAME is told outside the app."""
    app = state.app()
    with app.sessions.begin() as session:
        user = get_user(session, name)
        changed = set_preferences(session, user, email, mode, state.actor)
        shown = f"{user.email or 'tanpa e-mail'}, {MODES[user.notify_mode].lower()}"
    click.echo(f"Pemberitahuan {user.username}: {shown}." if changed else f"Tidak ada yang berubah ({shown}).")


@notifications.command("test")
@click.argument("name")
@click.pass_obj
def notifications_test(state: State, name: str) -> None:
    """Send a test message to NAME's addresses now, to check the mail server and the notification file."""
    from satukanal.notifications.delivery import Message, Recipient
    from satukanal.notifications.runs import sender_for

    app = state.app()
    sender = sender_for(app.settings)
    with app.sessions() as session:
        recipient = Recipient.of(get_user(session, name))
    addresses = sender.addresses(recipient)
    if not addresses:
        raise click.ClickException(
            f"{recipient.username} tidak punya alamat: atur e-mail (notifications set) dan SATUKANAL_SMTP_URL, "
            "atau daftarkan URL di berkas notifikasi"
        )
    error = sender.send(recipient, Message("SatuKanal: uji pemberitahuan", "Pesan uji dari SatuKanal."))
    if error:
        raise click.ClickException(f"tidak terkirim: {error}")
    click.echo(f"Pesan uji terkirim ke {len(addresses)} alamat {recipient.username}.")
