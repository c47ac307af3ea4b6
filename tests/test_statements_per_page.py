"""No N+1 queries on the list pages: each costs the same few SQL statements over a few rows as over many.

Every page is requested as a user whose role reads it, once over one unit of an office's work
(``statements_helpers.grow``: a dozen posts with a reply thread, four tickets with notes, owners and
duplicates, staff, notifications, another source) and once over ``MANY`` units. The statements are those
the app's engine executes (``before_cursor_execute``). A page may cost at most ``GROWTH`` statements more
with the rows, and never more than its bound: what the page needs, listed beside it, plus ``MARGIN``.

What every page of a logged-in user costs (``CHROME``): loading the user (Flask-Login), the navigation's
counts (posts waiting, for the queue's roles; tickets overdue and held, for the tickets' roles; unread
notifications) and, for the team, the sources' health behind the warning on top.
"""

from collections import Counter
from dataclasses import replace

import pytest

from satukanal.config.sources import ImportFolderConfig, XMentionsConfig
from satukanal.wiring import App
from tests.statements_helpers import add_staff, first_ticket, grow, requested
from tests.web_helpers import api_token, signed_in, web_app

MANY = 15
"""Units of work for the second look: fifteen times the first, and enough for a second page of tickets."""
GROWTH = 0
"""How many more statements a page may cost over ``MANY`` units than over one. Every unit holds the same
kinds of rows (a thread two replies deep, owners, duplicates), so a well-written page costs exactly as much."""
MARGIN = 1
CHROME = {"moderator1": 6, "admin1": 6, "liaison-pdam": 4, "api": 1}
"""Per user: the statements every page costs (see the module's docstring); ``api`` is a token's user."""
PAGES = {
    # The posts of the page with their classifications, the posts they answer (a level at a time: two for
    # a reply to a reply, at most THREAD_DEPTH), possible duplicate tickets, the holders' names; saved filters.
    # The heading's count is the navigation's.
    "queue": ("moderator1", "/antrean/", 6),
    # The same, and the count of what this view shows.
    "queue, every post": ("moderator1", "/antrean/?status=semua", 7),
    "queue, most uncertain first": ("moderator1", "/antrean/?urutan=uncertain", 6),
    # The page of tickets, their total, the holders' names; saved filters.
    "tickets": ("moderator1", "/tiket/", 4),
    # The open tickets' clock columns, the page's open tickets, closed ones after them, total, holders; filters.
    "tickets by deadline": ("moderator1", "/tiket/?urut=tenggat", 6),
    "a liaison's tickets": ("liaison-pdam", "/tiket/", 4),
    # The ticket with its posts (each with its post), history and notes; marking its notifications read; its
    # holder, its replies, the users it may be handed to.
    "a ticket and its posts": ("moderator1", "/tiket/{ticket}", 8),
    # Two periods' figures (posts per day, decisions, confirmations' median, opened, resolved with their median,
    # statuses then: 6 each), the twelve weeks' medians (2), the open and overdue tickets per agency (1).
    "dashboard": ("moderator1", "/dasbor/", 15),
    "a liaison's dashboard": ("liaison-pdam", "/dasbor/", 15),
    # The entries, their total, and what they are about: tickets' numbers, usernames, publications' periods.
    "audit log": ("admin1", "/audit/", 5),
    # The user's e-mail and mode for the form, the page of notifications (the unread count is the bell's).
    "notifications": ("moderator1", "/pemberitahuan/", 2),
    "users": ("admin1", "/pengguna", 1),
    # Posts per source, the month's X spend (the sources' health is the warning's).
    "sources": ("admin1", "/sumber/", 2),
    "API: tickets": ("api", "/api/tickets", 1),
    "API: posts": ("api", "/api/posts", 1),
    # The ticket, its posts (with their posts), history and notes.
    "API: a ticket": ("api", "/api/tickets/{ticket}", 4),
}
DEEP = {
    "queue, every post": "/antrean/?status=semua&halaman=4",
    "tickets": "/tiket/?halaman=2",
    "audit log": "/audit/?halaman=3",
}
"""Later pages of some lists over ``MANY`` units: they cost what the first page costs."""


def bound(user: str, needed: int) -> int:
    return CHROME[user] + needed + MARGIN


def repeated(statements: list[str]) -> str:
    """The statements run more than once, the usual sign of a query per row."""
    counts = Counter(" ".join(statement.split())[:160] for statement in statements)
    return "".join(f"\n    {times}× {statement}" for statement, times in counts.most_common() if times > 1)


def test_list_pages_cost_as_many_statements_over_many_rows_as_over_a_few(app, web):
    add_staff(app)
    grow(app, 1)
    clients = {user: signed_in(web, user) for user in ("moderator1", "admin1", "liaison-pdam")}
    clients["api"] = web.test_client()
    headers = {"api": api_token(app, "moderator1")}
    with app.sessions() as session:
        ticket = first_ticket(session)

    def look(url: str, user: str) -> list[str]:
        return requested(app, clients[user], url.format(ticket=ticket), headers.get(user))

    few = {name: look(url, user) for name, (user, url, _) in PAGES.items()}
    grow(app, MANY - 1)
    many = {name: look(url, user) for name, (user, url, _) in PAGES.items()}
    deep = {name: look(url, PAGES[name][0]) for name, url in DEEP.items()}

    problems = []
    for name, (user, url, needed) in PAGES.items():
        limit, url = bound(user, needed), url.format(ticket=ticket)
        if len(many[name]) > len(few[name]) + GROWTH or len(many[name]) > limit:
            problems.append(
                f"{name} ({url}): {len(few[name])} statements over 1 unit, {len(many[name])} over {MANY}, "
                f"at most {limit}{repeated(many[name])}"
            )
    for name, url in DEEP.items():
        if len(deep[name]) > len(many[name]) + GROWTH:
            problems.append(
                f"{url}: {len(deep[name])} statements, the first page {len(many[name])}{repeated(deep[name])}"
            )
    assert not problems, "\n".join(problems)


@pytest.fixture
def sourced(settings, tmp_path):
    """Builds web apps over the test database reading ``count`` import folders (``impor-1`` ...) and an X
    source; closes them after the test."""
    built = []

    def build(count: int):
        folders = tuple(
            ImportFolderConfig(name=f"impor-{n}", type="import_folder", path=tmp_path / f"impor-{n}")
            for n in range(1, count + 1)
        )
        x = XMentionsConfig(name="x-mentions", type="x_mentions", interval_minutes=10, monthly_budget_usd=5)
        built.append(App(replace(settings, sources=(*settings.sources, *folders, x))))
        return web_app(built[-1])

    yield build
    for application in built:
        application.close()


def test_the_sources_page_costs_as_many_statements_for_many_sources_as_for_a_few(app, web, sourced):
    """Sources configured and sources only seen in the posts (every unit adds one, ``impor-N``) alike."""
    add_staff(app)
    grow(app, 2)
    few = requested(app, signed_in(sourced(1), "admin1"), "/sumber/")
    grow(app, MANY - 2)
    many = requested(app, signed_in(sourced(MANY // 2), "admin1"), "/sumber/")
    user, _, needed = PAGES["sources"]
    assert len(few) == len(many) <= bound(user, needed), repeated(many)
