"""Ticket counts and orders: the SQL deadline conditions agree with the clocks ticket by ticket; the overdue badge is
the list's "lewat tenggat" count for every role; the list's total follows its filters; its columns sort, and the
order and the filters survive paging."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from satukanal.models import Ticket, utcnow
from satukanal.review.service import confirm
from satukanal.tickets.clocks import DUE_SOON, OVERDUE, WorkingCalendar, ticket_clocks
from satukanal.tickets.lifecycle import CLOSED, Status
from satukanal.tickets.listing import ClockRules, running_late
from satukanal.tickets.service import TicketChoices, set_status
from satukanal.users.service import add_user
from tests.factories import COMPLAINT, add_posts, record
from tests.web_helpers import PASSWORD, nav_badges, signed_in, total_line

ZONE = ZoneInfo("Asia/Jakarta")
LATE = {OVERDUE: (OVERDUE,), DUE_SOON: (OVERDUE, DUE_SOON)}
"""What each condition must find, in the clocks' words: a clock in one of these states."""


def days(first: date, last: date, step: int = 1) -> list[date]:
    return [first + timedelta(days=n) for n in range(0, (last - first).days + 1, step)]


def test_the_deadline_conditions_find_exactly_the_tickets_the_clocks_call_late(app):
    """Weekends, Nyepi, Idul Fitri and the year's end; moments a minute either side of midnight in Tuban."""
    starts = days(date(2026, 3, 10), date(2026, 4, 4)) + days(date(2026, 12, 20), date(2027, 1, 6))
    moments = [datetime.combine(day, at, ZONE) for day in starts for at in (time(0, 0), time(12), time(23, 59))]
    statuses = [*(status for status in Status if status not in CLOSED), Status.SELESAI]
    waits = (timedelta(0), timedelta(days=2, hours=13), timedelta(days=8, minutes=1))
    combinations = [
        (created, status, created + waited) for created in moments for status in statuses for waited in waits
    ]
    with app.sessions.begin() as session:
        session.add_all(
            Ticket(number=f"T-{n}", title="t", body="b", status=status, created_at=created, status_changed_at=changed)
            for n, (created, status, changed) in enumerate(combinations)
        )
    calendar = WorkingCalendar()
    nows = [
        datetime.combine(day, at, ZONE)
        for day in days(date(2026, 3, 12), date(2026, 4, 15), 3)
        + days(date(2026, 5, 8), date(2026, 6, 6), 4)
        + days(date(2026, 12, 22), date(2027, 1, 12), 2)
        + days(date(2027, 2, 17), date(2027, 3, 8), 5)
        for at in (time(0, 0, 30), time(23, 59, 30))
    ]
    sizes = set()
    with app.sessions() as session:
        tickets = session.scalars(select(Ticket)).all()
        for now in nows:
            rules = ClockRules(now, ZONE, app.settings.clocks, calendar)
            for state, wanted in LATE.items():
                found = set(session.scalars(select(Ticket.number).where(running_late(state, rules))))
                expected = {
                    ticket.number
                    for ticket in tickets
                    if any(
                        clock.state in wanted
                        for clock in ticket_clocks(ticket, now, ZONE, app.settings.clocks, calendar)
                    )
                }
                assert found == expected, (state, now)
                sizes.add(len(found))
    assert len(sizes) > 20 and 0 in sizes, "from none late to many, not one answer for every moment"


@pytest.fixture
def office(app, web):
    """Six tickets of several ages, statuses and agencies (three PDAM, one of them closed; two PUPR; one DLHP),
    an admin and a PDAM liaison; returns their numbers in the order opened."""
    texts = [
        ("jalan_jembatan", timedelta(days=120)),
        ("air_minum", timedelta(days=30)),
        ("sampah", timedelta(days=25)),
        ("air_minum", timedelta(days=3, hours=1)),
        ("jalan_jembatan", timedelta(hours=2)),
        ("air_minum", timedelta(days=40)),
    ]
    ids = add_posts(app, *(record(id=f"t{n}", text=f"{COMPLAINT} #{n}") for n in range(len(texts))))
    now = utcnow()
    with app.sessions.begin() as session:
        add_user(session, app.settings, "admin1", "admin", PASSWORD, "test")
        add_user(session, app.settings, "liaison-pdam", "agency", PASSWORD, "test", agency="pdam")
        numbers = [
            confirm(session, app.settings, post, "test", TicketChoices(category=category), now - age).ticket.number
            for post, (category, age) in zip(ids, texts, strict=True)
        ]
        set_status(session, numbers[1], Status.TERVERIFIKASI, "test", now=now - timedelta(days=20))
        set_status(
            session, numbers[5], Status.BUKAN_WEWENANG, "test", note="urusan provinsi", now=now - timedelta(days=39)
        )
    return numbers


def overdue_in_database(app, agency: str | None = None, wanted: tuple[str, ...] = (OVERDUE,)) -> set[str]:
    """Tickets with a clock in ``wanted``, from every ticket through ``ticket_clocks``, apart from the app's query."""
    settings, now = app.settings, utcnow()
    with app.sessions() as session:
        return {
            ticket.number
            for ticket in session.scalars(select(Ticket))
            if agency in (None, ticket.agency)
            and any(
                clock.state in wanted for clock in ticket_clocks(ticket, now, ZONE, settings.clocks, WorkingCalendar())
            )
        }


def listed(page: str) -> list[str]:
    return re.findall(r'<td class="number"><a href="/tiket/([^"]+)">', page)


def test_the_overdue_badge_is_the_lists_overdue_count_for_every_role(web, app, office):
    for username, agency in (("moderator1", None), ("admin1", None), ("liaison-pdam", "pdam")):
        expected = overdue_in_database(app, agency)
        browser = signed_in(web, username)
        page = browser.get("/tiket/?tenggat=lewat").get_data(as_text=True)
        assert set(listed(page)) == expected and 0 < len(expected)
        assert nav_badges(page)["Tiket"] == (len(expected), f"{len(expected)} tiket lewat tenggat")
        assert total_line(page) == f"{len(expected)} dari {len(office) if agency is None else 3} tiket"
    assert overdue_in_database(app, "pdam") < overdue_in_database(app), "the liaison's badge counts their agency's"


def test_the_overdue_badge_follows_status_changes(client, login, app, office):
    login()
    before = overdue_in_database(app)
    assert office[2] in before
    with app.sessions.begin() as session:
        set_status(session, office[2], Status.TERVERIFIKASI, "test")  # the verification clock stops, a new one starts
        set_status(session, office[0], Status.DIHAPUS, "test", note="ganda")  # no clock runs for a closed ticket
    after = overdue_in_database(app)
    assert after == before - {office[0], office[2]}
    page = client.get("/tiket/").get_data(as_text=True)
    assert nav_badges(page).get("Tiket", (0, ""))[0] == len(after)
    assert len(listed(client.get("/tiket/?tenggat=lewat").get_data(as_text=True))) == len(after)


def test_the_totals_follow_the_filters(web, client, login, app, office):
    login()
    with app.sessions() as session:
        tickets = session.scalars(select(Ticket)).all()
    everything = len(tickets)
    assert total_line(client.get("/tiket/").get_data(as_text=True)) == f"{everything} tiket"
    verified = {ticket.number for ticket in tickets if ticket.status == "terverifikasi"}
    checks = {
        "?opd=pdam": sum(ticket.agency == "pdam" for ticket in tickets),
        "?status=belum_terverifikasi": sum(ticket.status == "belum_terverifikasi" for ticket in tickets),
        f"?q={office[2].lower()}": 1,
        "?tenggat=segera&opd=pupr": len(overdue_in_database(app, "pupr", (OVERDUE, DUE_SOON))),
        "?tenggat=lewat&status=terverifikasi": len(overdue_in_database(app) & verified),
    }
    for query, count in checks.items():
        page = client.get(f"/tiket/{query}").get_data(as_text=True)
        assert total_line(page) == f"{count} dari {everything} tiket" and len(listed(page)) == count, query
    liaison = signed_in(web, "liaison-pdam")
    assert total_line(liaison.get("/tiket/?opd=pupr").get_data(as_text=True)) == "3 tiket", "their agency's, always"
    assert total_line(liaison.get("/tiket/?status=terverifikasi").get_data(as_text=True)) == "1 dari 3 tiket"


def expected_order(app, urut: str, descending: bool, agency: str | None = None) -> list[str]:
    """The list's order, computed from the tickets in Python; ties newest first."""
    settings, now = app.settings, utcnow()
    with app.sessions() as session:
        tickets = [ticket for ticket in session.scalars(select(Ticket)) if agency in (None, ticket.agency)]
        rank = list(Status)

        def deadline(ticket):
            clocks = ticket_clocks(ticket, now, ZONE, settings.clocks, WorkingCalendar())
            return min(clock.deadline for clock in clocks).toordinal() if clocks else None

        keys = {
            "nomor": lambda ticket: ticket.number,
            "dibuat": lambda ticket: ticket.created_at,
            "status": lambda ticket: rank.index(Status(ticket.status)),
            "opd": lambda ticket: settings.agency_name(ticket.agency) if ticket.agency else None,
            "tenggat": deadline,
        }
        newest = sorted(tickets, key=lambda ticket: ticket.created_at, reverse=True)
        present = [ticket for ticket in newest if keys[urut](ticket) is not None]
        absent = [ticket for ticket in newest if keys[urut](ticket) is None]
        return [ticket.number for ticket in sorted(present, key=keys[urut], reverse=descending) + absent]


@pytest.mark.parametrize("urut", ["nomor", "dibuat", "status", "opd", "tenggat"])
def test_each_sortable_column_orders_the_rows_both_ways(client, login, app, office, urut):
    login()
    for arah, descending, aria in (("naik", False, "ascending"), ("turun", True, "descending")):
        page = client.get(f"/tiket/?urut={urut}&arah={arah}").get_data(as_text=True)
        assert listed(page) == expected_order(app, urut, descending), arah
        sorted_headers = re.findall(r'<th aria-sort="(\w+)"><a href="([^"]+)">', page)
        assert sorted_headers == [(aria, f"/tiket/?urut={urut}&amp;arah={'naik' if descending else 'turun'}")]


def test_the_default_order_is_newest_first_and_the_headers_keep_the_filters(client, login, app, office):
    login()
    page = client.get("/tiket/?q=PDAM&status=belum_terverifikasi&halaman=1").get_data(as_text=True)
    kept = "/tiket/?q=PDAM&amp;status=belum_terverifikasi"
    assert f'<th aria-sort="descending"><a href="{kept}&amp;urut=dibuat&amp;arah=naik">' in page
    assert f'<th><a href="{kept}&amp;urut=opd&amp;arah=naik">OPD</a></th>' in page
    assert listed(client.get("/tiket/").get_data(as_text=True)) == expected_order(app, "dibuat", True)
    sorted_page = client.get("/tiket/?opd=pdam&urut=nomor&arah=turun").get_data(as_text=True)
    assert '<input type="hidden" name="urut" value="nomor">' in sorted_page, "the filter form keeps the order"
    assert '<input type="hidden" name="arah" value="turun">' in sorted_page


@pytest.mark.parametrize("urut", ["nomor", "opd", "tenggat"])
def test_order_and_filters_survive_paging(client, login, app, office, monkeypatch, urut):
    monkeypatch.setattr("satukanal.web.tickets.PAGE_SIZE", 2)
    login()
    for query, agency in ((f"?urut={urut}&arah=naik", None), (f"?opd=pdam&urut={urut}&arah=turun", "pdam")):
        url, pages = f"/tiket/{query}", []
        while url:
            page = client.get(url.replace("&amp;", "&")).get_data(as_text=True)
            pages.append(listed(page))
            following = re.search(r'<a href="([^"]+)" rel="next">', page)
            url = following.group(1) if following else None
            assert url is None or all(part in url for part in query.lstrip("?").split("&")), url
        assert [number for listed_page in pages for number in listed_page] == expected_order(
            app, urut, "turun" in query, agency
        )
        assert all(len(listed_page) == 2 for listed_page in pages[:-1])


def test_an_unknown_order_is_refused_saying_which_exist(client, login, app, office):
    login()
    for query in ("?urut=judul", "?urut=nomor&arah=atas", "?arah=NAIK", "?urut=Nomor"):
        response = client.get(f"/tiket/{query}")
        text = response.get_data(as_text=True)
        assert response.status_code == 400 and "Urutan tidak dikenal" in text and "arah=naik atau arah=turun" in text
    assert listed(client.get("/tiket/?arah=naik").get_data(as_text=True)) == expected_order(app, "dibuat", False)
