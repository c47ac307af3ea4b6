"""Counts in the navigation: the posts waiting in the queue, the tickets past a LAPOR! deadline, the open
tickets the user holds, and the unread notifications (the bell).

Each badge is one COUNT query, read at most once per request (``g``): a view
showing the same figure, such as the queue's heading, takes it from here. The
overdue count is ``listing.running_late``, the same condition the ticket list
filters "lewat tenggat" with, so the badge and that list always agree. A
database that is down leaves the badges out, as an error page must still render.
"""

from __future__ import annotations

from functools import lru_cache

from babel.numbers import format_decimal
from flask import Flask, g
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from publisher.periods import LOCALE
from satukanal.models import utcnow
from satukanal.notifications.service import unread_count
from satukanal.review.service import waiting_count
from satukanal.tickets.clocks import OVERDUE
from satukanal.tickets.listing import running_late
from satukanal.tickets.service import count_tickets
from satukanal.web.tickets import clock_rules, mine
from satukanal.web.users import core

QUEUE_ROLES = ("admin", "moderator")
TICKET_ROLES = ("admin", "moderator", "agency")
"""Who sees each badge: the roles whose navigation has the queue, and the tickets (as ``base.html`` shows them)."""


def waiting_posts() -> int:
    """Posts flagged by the model and not decided yet: the queue's default view."""
    if "waiting_posts" not in g:
        with core().sessions() as session:
            g.waiting_posts = waiting_count(session)
    return g.waiting_posts


def overdue_tickets() -> int:
    """Open tickets past a LAPOR! deadline now, of the liaison's agency for an agency user."""
    if "overdue_tickets" not in g:
        late = running_late(OVERDUE, clock_rules(utcnow()))
        with core().sessions() as session:
            g.overdue_tickets = count_tickets(session, agency=current_user.agency_scope, where=[late])
    return g.overdue_tickets


def my_tickets() -> int:
    """Open tickets the user holds ("Milik saya")."""
    if "my_tickets" not in g:
        with core().sessions() as session:
            g.my_tickets = count_tickets(session, where=[mine()])
    return g.my_tickets


def unread_notifications() -> int:
    """The user's notifications not read yet: the bell's number."""
    if "unread_notifications" not in g:
        with core().sessions() as session:
            g.unread_notifications = unread_count(session, current_user.id)
    return g.unread_notifications


def navigation_badges() -> dict:
    """For every page: ``badges``, the counts the user's navigation shows (none when logged out)."""
    if not current_user.is_authenticated:
        return {"badges": {}}
    try:
        badges = {
            **({"waiting_posts": waiting_posts()} if current_user.role in QUEUE_ROLES else {}),
            **({"overdue_tickets": overdue_tickets()} if current_user.role in TICKET_ROLES else {}),
            **({"my_tickets": my_tickets()} if current_user.role in TICKET_ROLES else {}),
            "unread_notifications": unread_notifications(),
        }
    except SQLAlchemyError:
        badges = {}  # an error page for a database that is down must still render
    return {"badges": badges}


def thousands(number: int) -> str:
    """``1234`` as Indonesian writes it (and the published recaps): ``1.234``."""
    return format_decimal(number, locale=LOCALE)


def decimal(number: float | None, places: int = 1) -> str:
    """``1234.5`` as Indonesian writes it, with ``places`` decimals: ``1.234,5``; nothing to show is "–"."""
    if number is None:
        return "–"
    return _decimal(number, places)


NUMBERS_REMEMBERED = 4096
"""Numbers ``_decimal`` keeps written: the scores and shares of the pages people reload."""


@lru_cache(maxsize=NUMBERS_REMEMBERED)
def _decimal(number: float, places: int) -> str:
    """``decimal``, remembered: Babel takes 30 µs a number, and a queue page writes 50."""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(number, format=pattern, locale=LOCALE)


def init_app(web: Flask) -> None:
    web.context_processor(navigation_badges)
    web.add_template_filter(thousands)
    web.add_template_filter(decimal)
