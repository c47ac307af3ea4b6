"""Notifications: in the app and by e-mail through a real SMTP server, once per event, reminders once a day."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from satukanal.models import Publication
from satukanal.notifications.delivery import FAILED, PENDING, SENT, SKIPPED
from satukanal.notifications.models import Notification
from satukanal.notifications.preferences import set_preferences
from satukanal.notifications.runs import notification_run, sender_for
from satukanal.notifications.service import recent, unread_count
from satukanal.review.service import confirm
from satukanal.tickets.clocks import WorkingCalendar
from satukanal.users.service import add_user, get_user
from tests.factories import COMPLAINT, add_posts, record
from tests.mail_server import body, free_port, smtp_server
from tests.web_helpers import PASSWORD

CALENDAR = WorkingCalendar()
MONDAY = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 09:00 in Tuban; no holiday that week
"""A ticket opened now has its verification deadline on Thursday (3 working days)."""


@pytest.fixture
def mailbox():
    with smtp_server() as server:
        yield server


def run(app, mailbox, now=None, digest=False):
    settings = replace(app.settings, smtp_url=mailbox.url)
    return notification_run(app.sessions, settings, sender_for(settings), CALENDAR, digest=digest, now=now)


def add_liaison(app, name="liaison-pdam", agency="pdam", email="pdam@tuban.test", mode="each"):
    with app.sessions.begin() as session:
        user = add_user(session, app.settings, name, "agency", PASSWORD, "test", agency=agency)
        set_preferences(session, user, email, mode, "test")


def water_ticket(app, now=MONDAY, text=COMPLAINT) -> str:
    (post_id,) = add_posts(app, record(text=text, created_at=now.isoformat()))
    with app.sessions.begin() as session:
        return confirm(session, app.settings, post_id, "moderator1", now=now).ticket.number


def test_a_ticket_routed_to_pdam_notifies_its_liaison_in_the_app_and_by_mail(app, mailbox):
    add_liaison(app)
    add_liaison(app, "liaison-pupr", "pupr", "pupr@tuban.test")
    number = water_ticket(app)
    with app.sessions() as session:
        pdam, pupr = get_user(session, "liaison-pdam"), get_user(session, "liaison-pupr")
        (bell,) = recent(session, pdam.id, 10)
        assert number in bell.text and "Perumda Air Minum" in bell.text
        assert bell.link == f"/tiket/{number}"
        assert unread_count(session, pdam.id) == 1 and unread_count(session, pupr.id) == 0

    report = run(app, mailbox, now=MONDAY)

    assert report.delivery.sent == 1
    (mail,) = mailbox.to("pdam@tuban.test")
    assert number in body(mail) and "Tiket baru untuk OPD" in mail["Subject"]
    assert mailbox.to("pupr@tuban.test") == []
    assert run(app, mailbox, now=MONDAY).delivery.sent == 0, "a notification is mailed once"
    assert len(mailbox.received) == 1


def test_due_tomorrow_and_overdue_mails_go_out_once_per_ticket_per_day(app, mailbox):
    add_liaison(app)
    number = water_ticket(app)
    run(app, mailbox, now=MONDAY)  # the routing mail
    mailbox.received.clear()
    wednesday, friday, monday = (MONDAY + timedelta(days=days) for days in (2, 4, 7))

    for moment in (wednesday, wednesday + timedelta(hours=3)):
        run(app, mailbox, now=moment)
    (due,) = mailbox.to("pdam@tuban.test")
    assert "Tenggat besok" in due["Subject"] and number in body(due) and "05-11-2026" in body(due)

    run(app, mailbox, now=MONDAY + timedelta(days=3))  # Thursday: the deadline is today, neither reminder
    assert len(mailbox.received) == 1

    for moment in (friday, friday + timedelta(hours=5), monday):
        run(app, mailbox, now=moment)
    overdue = [mail for mail in mailbox.received if "Lewat tenggat" in mail["Subject"]]
    assert len(overdue) == 2, "once on Friday, again on Monday"
    assert all(number in body(mail) for mail in overdue)


def test_the_ticket_owner_is_reminded_too(app, mailbox):
    number = water_ticket(app)
    from satukanal.ownership.service import set_owner
    from satukanal.tickets.service import get_ticket

    with app.sessions.begin() as session:
        owner = add_user(session, app.settings, "mod2", "moderator", PASSWORD, "test")
        set_preferences(session, owner, "mod2@tuban.test", None, "test")
        set_owner(session, get_ticket(session, number), owner, "mod2")
    run(app, mailbox, now=MONDAY + timedelta(days=4))
    (mail,) = mailbox.to("mod2@tuban.test")
    assert "Lewat tenggat" in mail["Subject"]


def test_a_digest_user_gets_one_mail_a_day_with_everything(app, mailbox):
    add_liaison(app, mode="digest")
    numbers = [water_ticket(app, MONDAY + timedelta(minutes=minute)) for minute in range(3)]

    assert run(app, mailbox, now=MONDAY).delivery.sent == 0, "single messages are not for digest users"
    report = run(app, mailbox, now=MONDAY, digest=True)

    assert report.delivery.sent == 3
    (mail,) = mailbox.to("pdam@tuban.test")
    assert "ringkasan harian (3 pemberitahuan)" in mail["Subject"]
    assert all(number in body(mail) for number in numbers)
    assert len(body(mail).strip().splitlines()) == 3
    assert run(app, mailbox, now=MONDAY, digest=True).delivery.sent == 0


def test_users_without_an_address_or_in_app_only_are_skipped_but_see_the_bell(app, mailbox):
    add_liaison(app, mode="off")
    add_liaison(app, "liaison-pdam2", email="")
    water_ticket(app)

    report = run(app, mailbox, now=MONDAY)

    assert report.delivery.skipped == 2 and mailbox.received == []
    with app.sessions() as session:
        states = session.scalars(select(Notification.delivery)).all()
        assert states == [SKIPPED, SKIPPED]
        assert unread_count(session, get_user(session, "liaison-pdam").id) == 1


def test_a_mail_server_that_is_down_is_tried_again_then_given_up_without_leaking_its_password(app, caplog):
    add_liaison(app)
    water_ticket(app)
    down = f"mailto://satukanal:rahasia-smtp@127.0.0.1:{free_port()}?from=satukanal@tuban.test&mode=insecure"
    settings = replace(app.settings, smtp_url=down)
    states = []
    for _ in range(3):
        report = notification_run(app.sessions, settings, sender_for(settings), CALENDAR, now=MONDAY)
        assert report.delivery.failed == 1
        with app.sessions() as session:
            (row,) = session.scalars(select(Notification)).all()
            states.append(row.delivery)
    assert states == [PENDING, PENDING, FAILED]
    assert "127.0.0.1" in row.error and "rahasia-smtp" not in row.error
    assert "rahasia-smtp" not in caplog.text
    assert notification_run(app.sessions, settings, sender_for(settings), CALENDAR, now=MONDAY).delivery.failed == 0


def test_a_draft_waiting_for_approval_notifies_the_admins_once(app, mailbox):
    with app.sessions.begin() as session:
        admin = add_user(session, app.settings, "kepala", "admin", PASSWORD, "test")
        set_preferences(session, admin, "kepala@tuban.test", None, "test")
        session.add(Publication(kind="weekly", period="2026-W45", channel="x", status="draft"))
    run(app, mailbox)
    run(app, mailbox)
    (mail,) = mailbox.to("kepala@tuban.test")
    assert "Draf menunggu persetujuan" in mail["Subject"] and "2026-W45" in body(mail)
    with app.sessions() as session:
        assert session.scalars(select(Notification.delivery)).all() == [SENT]
