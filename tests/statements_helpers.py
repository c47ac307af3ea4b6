"""Counting the SQL statements a request costs, and an office whose rows grow by units, for the statements tests.

One unit of ``grow`` adds what a busy hour adds, of every kind a list page shows: posts on several
platforms and categories (a reply among them), tickets of several agencies and statuses with notes, a
duplicate joined to a ticket, a rejection, posts and tickets held by several people, new staff and
liaisons, notifications for ``moderator1``, and posts from another source with its health.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select

from satukanal.intake.health import record_success
from satukanal.intake.service import store_records
from satukanal.models import Post, Ticket, User
from satukanal.ownership.service import set_owner
from satukanal.review.service import confirm, link_duplicate, reject
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import TicketChoices, add_note, set_status
from satukanal.users.service import add_user
from tests.factories import COMPLAINT, record
from tests.web_helpers import PASSWORD

TEXTS = (
    ("x", COMPLAINT),
    ("instagram", "Min, jalan di Desa Sugihwaras Kec. Jenu rusak parah, banyak lubang. Tolong diperbaiki"),
    ("x", "Lampu PJU di Kec. Plumpang mati sudah seminggu, gelap sekali kalau malam, tolong min"),
    ("instagram", "Sampah numpuk di pasar Kec. Rengel gak diangkut 5 hari, bau banget min tolong"),
    ("x", "Selokan mampet di Kec. Palang, tiap hujan banjir masuk rumah warga, mohon dibersihkan"),
    ("instagram", "Jalan poros Kec. Bancar berlubang dalam, sudah ada motor jatuh min, tolong diperbaiki"),
)
"""Complaints of several categories and places, on both platforms; every unit posts each twice."""
CHOICES = (
    TicketChoices(),
    TicketChoices(category="jalan_jembatan", kecamatan="Jenu"),
    TicketChoices(category="sampah", agency="dlhp", confidential=True),
    TicketChoices(category="kesehatan", anonymous=False),
)
"""How the unit's tickets are confirmed: as the model suggests, or with another category, agency or place."""
AGENCIES = ("pdam", "pupr", "dlhp", "dinkes")


@contextmanager
def statements(engine) -> Iterator[list[str]]:
    """The SQL statements ``engine`` executes inside the block, as sent to the driver."""
    seen: list[str] = []

    def note(connection, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def requested(app, client, url: str, headers: dict | None = None) -> list[str]:
    """The statements one GET of ``url`` costs; the page must answer 200."""
    with statements(app.engine) as seen:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return list(seen)


def add_staff(app) -> None:
    """The users the pages are read by: an admin ``admin1`` and a PDAM liaison ``liaison-pdam``."""
    with app.sessions.begin() as session:
        add_user(session, app.settings, "admin1", "admin", PASSWORD, "test")
        add_user(session, app.settings, "liaison-pdam", "agency", PASSWORD, "test", agency="pdam")


def grow(app, units: int) -> None:
    """Add ``units`` units of work (see the module's docstring), numbered on from those already added."""
    with app.sessions() as session:
        done = session.scalar(select(func.count(User.id)).where(User.username.like("moderator-%")))
    for unit in range(done + 1, done + units + 1):
        _unit(app, unit)


def _unit(app, unit: int) -> None:
    """Twelve posts, a reply and a reply to it; four tickets (one verified, one set aside, each with a note or
    an owner), two duplicates (one joins the office's first ticket, which so gathers a post per unit), a
    rejection, a post held; a moderator, a liaison, and a post from a source of the unit's own."""
    settings = app.settings
    records = [
        record(platform=platform, text=f"{text} ({unit}-{number})", author=f"warga{unit}_{number}")
        for number, (platform, text) in enumerate(TEXTS * 2)
    ]
    first, answers = records[0], ("Masih rusak parah, sudah 3 hari min", "Lubangnya makin besar, tolong segera min")
    reply = record(platform=first.platform, text=f"{answers[0]} ({unit})", in_reply_to=first.platform_id)
    again = record(platform=first.platform, text=f"{answers[1]} ({unit})", in_reply_to=reply.platform_id)
    records += [reply, again]
    with app.sessions.begin() as session:
        added = store_records(session, records, "test", app.own_handles).added_ids
        store_records(session, [record(text=f"Kiriman sumber lain ({unit})")], f"impor-{unit}", app.own_handles)
        record_success(session, f"impor-{unit}", 1)
        add_user(session, settings, f"moderator-{unit}", "moderator", PASSWORD, "test")
        agency = AGENCIES[unit % len(AGENCIES)]
        add_user(session, settings, f"liaison-{unit}", "agency", PASSWORD, "test", agency=agency)
    app.score_pending()
    with app.sessions.begin() as session:
        moderator, staff = (
            session.scalar(select(User).where(User.username == name)) for name in ("moderator1", f"moderator-{unit}")
        )
        tickets = [
            confirm(session, settings, post_id, "moderator1", choices).ticket
            for post_id, choices in zip(added[:4], CHOICES, strict=True)
        ]
        link_duplicate(session, added[4], first_ticket(session), "moderator1")
        link_duplicate(session, added[8], tickets[1].number, "moderator1")
        reject(session, added[6], "moderator1", "Bukan keluhan")
        set_status(session, tickets[0].number, Status.TERVERIFIKASI, "moderator1", lapor_id=f"{9_100_000 + unit}")
        set_status(session, tickets[2].number, Status.DIHAPUS, "moderator1", note="ganda")
        add_note(session, tickets[1].number, f"Sudah ditelepon ({unit})", "moderator1")
        add_note(session, tickets[3].number, "Menunggu jawaban OPD", "liaison-pdam")
        for ticket, owner in zip(tickets, (moderator, staff, None, moderator), strict=True):
            if owner is not None:
                set_owner(session, ticket, owner, "admin1")
        set_owner(session, session.get(Post, added[5]), staff, "admin1")


def first_ticket(session) -> str:
    """The number of the office's first ticket, which every unit joins a duplicate to."""
    return session.scalar(select(Ticket.number).order_by(Ticket.id).limit(1))
