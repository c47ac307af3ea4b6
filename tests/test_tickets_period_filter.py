"""The ticket list's period filters: created (``dibuat_dari``/``dibuat_sampai``) or resolved (``selesai_dari``/
``selesai_sampai``) in a range of days, counted as the dashboard counts them (office time zone, both ends in)."""

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from satukanal.dashboard.figures import period_figures
from satukanal.models import Ticket
from satukanal.publishing.recap import CALENDAR
from satukanal.review.service import confirm
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import set_status
from satukanal.users.service import add_user
from tests.factories import COMPLAINT, add_posts, record
from tests.web_helpers import PASSWORD, signed_in, total_line

FIRST, LAST = date(2026, 11, 16), date(2026, 11, 22)
RESOLUTION = (Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI, Status.SELESAI)
OPENED_AT = ("2026-11-15T23:30:00", "2026-11-16T00:30:00", "2026-11-22T23:30:00", "2026-11-23T00:30:00")
"""Just before the week (in WIB), its first half hour, its last half hour, just after it."""
RESOLVED_AT = ("2026-11-18T09:00:00", "2026-11-22T20:00:00", "2026-11-23T01:00:00")
"""The first three tickets reach Selesai: in the week, in its last evening, just after it."""


def wib(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+07:00")


def numbers(page: str) -> set[str]:
    return set(re.findall(r'<td class="number"><a href="[^"]*">([^<]+)</a>', page))


@pytest.fixture
def tickets(app, web):
    """Four PDAM and road tickets opened around the week's edges; two resolved in the week, one after it."""
    posts = add_posts(
        app,
        *(
            record(id=str(n), text=f"{COMPLAINT} {n}" if n % 2 else f"Jalan rusak parah di Kec. Jenu {n}")
            for n in range(len(OPENED_AT))
        ),
    )
    with app.sessions.begin() as session:
        add_user(session, app.settings, "liaison-pdam", "agency", PASSWORD, "test", agency="pdam")
        opened = [
            confirm(session, app.settings, post, "m", now=wib(moment)).ticket.number
            for post, moment in zip(posts, OPENED_AT, strict=True)
        ]
        for number, resolved_at in zip(opened, RESOLVED_AT, strict=False):
            for minutes, status in enumerate(RESOLUTION, start=1 - len(RESOLUTION)):
                set_status(session, number, status, "liaison", now=wib(resolved_at) + timedelta(minutes=minutes))
    return app


def test_the_list_holds_the_tickets_the_dashboard_counts_for_the_same_days(client, login, tickets):
    with tickets.sessions() as session:
        week = period_figures(session, tickets.settings, FIRST, LAST, CALENDAR)
        within = Ticket.resolved_at < wib(RESOLVED_AT[2])  # the first two of RESOLVED_AT, not the one after the week
        resolved = set(session.scalars(select(Ticket.number).where(within)))
    login()
    created = client.get(f"/tiket/?dibuat_dari={FIRST}&dibuat_sampai={LAST}").get_data(as_text=True)
    assert len(numbers(created)) == week.tickets_opened == 2, "the first and last half hours of the week (WIB)"
    assert total_line(created).startswith(f"{week.tickets_opened} dari 4")
    done = client.get(f"/tiket/?selesai_dari={FIRST}&selesai_sampai={LAST}").get_data(as_text=True)
    assert numbers(done) == resolved and len(resolved) == week.tickets_resolved == 2, "not the one resolved after"
    since = client.get(f"/tiket/?dibuat_dari={FIRST}").get_data(as_text=True)
    until = client.get(f"/tiket/?dibuat_sampai={LAST}").get_data(as_text=True)
    assert len(numbers(since)) == len(numbers(until)) == 3, "either end may be left open"
    both = client.get(f"/tiket/?dibuat_dari={FIRST}&dibuat_sampai={LAST}&selesai_dari={FIRST}&selesai_sampai={LAST}")
    assert numbers(both.get_data(as_text=True)) == numbers(created) & resolved


def test_the_period_stays_when_sorting_paging_or_changing_another_filter(client, login, tickets):
    login()
    page = client.get(f"/tiket/?selesai_dari={FIRST}&selesai_sampai={LAST}&status=selesai").get_data(as_text=True)
    sort_links = re.findall(r'<th[^>]*><a href="([^"]+)"', page)
    kept = (f"selesai_dari={FIRST}", f"selesai_sampai={LAST}")
    assert sort_links and all(part in link for link in sort_links for part in kept)
    form = page.split('<form class="filters"')[1].split("</form>")[0]
    assert f'<input type="hidden" name="selesai_dari" value="{FIRST}">' in form
    assert f'<input type="hidden" name="selesai_sampai" value="{LAST}">' in form


def test_a_liaison_sees_their_agencys_tickets_of_the_period_only(web, tickets):
    liaison = signed_in(web, "liaison-pdam")
    with tickets.sessions() as session:
        theirs = period_figures(session, tickets.settings, FIRST, LAST, CALENDAR, agency="pdam")
    page = liaison.get(f"/tiket/?dibuat_dari={FIRST}&dibuat_sampai={LAST}").get_data(as_text=True)
    assert len(numbers(page)) == theirs.tickets_opened == 1


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("dibuat_dari=kemarin", "dibuat_dari"),
        ("selesai_sampai=2026-13-01", "selesai_sampai"),
        ("dibuat_dari=0001-01-01", "dibuat_dari"),
        ("selesai_sampai=9999-12-31", "selesai_sampai"),
        ("dibuat_dari=2026-11-22&dibuat_sampai=2026-11-16", "dibuat_dari"),
    ],
)
def test_a_wrong_date_is_a_400_that_says_which_and_how_to_write_it(client, login, tickets, query, named):
    login()
    response = client.get(f"/tiket/?{query}")
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and named in text
    assert "2026-11-16" in text or "setelah" in text
