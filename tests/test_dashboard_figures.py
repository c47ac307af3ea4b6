"""One period, one set of figures: the recap and the dashboard count the same week the same way."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from publisher import Month, Week
from satukanal.dashboard.figures import medians, period_figures
from satukanal.dashboard.service import dashboard
from satukanal.intake.service import store_records
from satukanal.models import Post
from satukanal.publishing.recap import CALENDAR, recap_figures
from satukanal.review.service import confirm, reject
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import set_status
from tests.factories import COMPLAINT, add_posts, record

WEEK = Week(2026, 47)  # Monday 16 – Sunday 22 November 2026
NOVEMBER = Month(2026, 11)
LATER = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
RESOLUTION = (Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI, Status.SELESAI)


def wib(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+07:00")


def move(session, number: str, statuses, first: datetime) -> None:
    for hour, status in enumerate(statuses):
        set_status(session, number, status, "liaison", now=first + timedelta(hours=hour))


@pytest.fixture
def seeded(app):
    """Week 47 with our own post, an unscored post, confirmations and rejections in and after it, and tickets
    opened the week before, resolved in the week, and resolved the week after."""
    old, water, lamp, spam, rubbish, late, _own, _next_week = add_posts(
        app,
        record(id="1", text="Jalan rusak parah di Kec. Rengel, banyak lubang", created_at="2026-11-12T08:00:00+07:00"),
        record(id="2", text=COMPLAINT, created_at="2026-11-16T06:00:00+07:00"),  # 15 November in UTC
        record(
            id="3",
            text="Lampu PJU di Jl. Sunan Kalijaga Kec. Tuban mati, gelap",
            created_at="2026-11-18T19:00:00+07:00",
        ),
        record(id="4", text="promo slot gacor", created_at="2026-11-19T10:00:00+07:00"),
        record(
            id="5",
            platform="instagram",
            text="Sampah numpuk di pasar Kec. Rengel",
            created_at="2026-11-20T08:00:00+07:00",
        ),
        record(id="6", platform="instagram", text="halo min", created_at="2026-11-22T23:30:00+07:00"),
        record(
            id="7",
            author="laportuban",
            text="Terima kasih, sudah kami teruskan",
            created_at="2026-11-19T11:00:00+07:00",
        ),
        record(id="8", text="Jalan berlubang di Kec. Jenu", created_at="2026-11-23T00:30:00+07:00"),  # 22 Nov in UTC
    )
    with app.sessions.begin() as session:
        store_records(
            session,
            [record(id="9", text="Air mati lagi", created_at="2026-11-21T09:00:00+07:00")],
            "test",
            app.own_handles,
        )
        road = confirm(session, app.settings, old, "m", now=wib("2026-11-12T10:00:00")).ticket.number
        move(session, road, RESOLUTION, wib("2026-11-18T09:00:00"))
        pdam = confirm(session, app.settings, water, "m", now=wib("2026-11-17T10:00:00")).ticket.number
        move(session, pdam, RESOLUTION, wib("2026-11-21T09:00:00"))
        pju = confirm(session, app.settings, lamp, "m", now=wib("2026-11-18T20:00:00")).ticket.number
        move(session, pju, RESOLUTION[:1], wib("2026-11-19T09:00:00"))
        move(session, pju, RESOLUTION[1:], wib("2026-11-25T09:00:00"))  # resolved the week after
        reject(session, spam, "m", "spam", now=wib("2026-11-19T11:00:00"))
        reject(session, rubbish, "m", "bukan aduan", now=wib("2026-11-24T08:00:00"))  # decided the week after
    app.received_in_week = [water, lamp, spam, rubbish, late]
    return app


def counts(items) -> list[tuple[str, int]]:
    return [(item.label, item.count) for item in items]


@pytest.mark.parametrize("period", [WEEK, NOVEMBER], ids=["week", "month"])
def test_the_recap_and_the_dashboard_show_the_same_figures_for_a_closed_period(seeded, period):
    first, last = (period.monday, period.sunday) if isinstance(period, Week) else (period.first, period.last)
    with seeded.sessions() as session:
        recap = recap_figures(session, seeded.settings, period)
        board = dashboard(session, seeded.settings, first, last, LATER, CALENDAR)
    shown_by_recap = (
        recap.posts_received,
        recap.flagged,
        recap.confirmed,
        recap.rejected,
        recap.tickets_opened,
        recap.tickets_resolved,
        recap.median_days_to_resolve,
        counts(recap.by_status),
        counts(recap.by_agency),
        counts(recap.by_category),
        counts(recap.by_platform),
    )
    shown_by_dashboard = (
        board.posts,
        board.flagged,
        board.confirmed,
        board.rejected,
        board.tickets_opened,
        board.tickets_resolved,
        board.median_days_to_resolve,
        board.by_status,
        board.by_agency,
        board.by_category,
        board.by_platform,
    )
    assert shown_by_recap == shown_by_dashboard


def test_the_weeks_figures_follow_one_definition(seeded):
    with seeded.sessions() as session:
        week = recap_figures(session, seeded.settings, WEEK)
        flagged = session.scalars(select(Post).where(Post.id.in_(seeded.received_in_week)))
        flagged_by_model = sum(1 for post in flagged if post.classification and post.classification.flagged)
        unscored = session.scalar(select(Post).where(Post.platform_id == "9"))
        assert unscored.classification is None and 0 < flagged_by_model < 5
    assert week.posts_received == 6, "five scored and one unscored; our own post and the 23rd (WIB) are left out"
    assert week.flagged == flagged_by_model, "flagged by the posts' own classification; unscored is not flagged"
    assert (week.confirmed, week.rejected) == (2, 1), "decisions made in the week, not the week after"
    assert (week.tickets_opened, week.tickets_resolved) == (2, 2), "resolved: opened the week before, and this week"
    assert week.median_days_to_resolve == 5.1, "6 days 2 hours and 4 days 2 hours"
    assert counts(week.by_status) == [("Terverifikasi", 1), ("Selesai", 2)], "as at the end of the week"
    assert (week.in_progress, week.overdue) == (1, 0)
    assert counts(week.by_platform) == [("x", 4), ("instagram", 2)]


def test_a_running_period_reads_the_tickets_as_they_stand_now(seeded):
    now = wib("2026-11-25T12:00:00")  # after the lamp's ticket was resolved, before the month is over
    with seeded.sessions() as session:
        running = period_figures(session, seeded.settings, NOVEMBER.first, NOVEMBER.last, CALENDAR, now)
        week = period_figures(session, seeded.settings, WEEK.monday, WEEK.sunday, CALENDAR, now)
    assert running.as_of == now and counts(running.by_status) == [("Selesai", 3)]
    assert week.as_of == datetime(2026, 11, 22, 17, 0, tzinfo=UTC), "a closed week ends at Monday 00:00 WIB"


def test_the_dashboard_page_shows_the_recaps_week(seeded, client, login):
    with seeded.sessions() as session:
        recap = recap_figures(session, seeded.settings, WEEK)
    login("pengamat")
    page = client.get("/dasbor/?dari=2026-11-16&sampai=2026-11-22").get_data(as_text=True)
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert {
        "Unggahan masuk": str(recap.posts_received),
        "Ditandai model": str(recap.flagged),
        "Dikonfirmasi": str(recap.confirmed),
        "Ditolak": str(recap.rejected),
        "Tiket baru": str(recap.tickets_opened),
        "Tiket selesai": str(recap.tickets_resolved),
        "Median hari sampai selesai": str(recap.median_days_to_resolve).replace(".", ","),  # a decimal comma
    }.items() <= shown.items()
    statuses = re.search(r'aria-label="Tiket menurut status".*?</svg>', page, re.S).group(0)
    assert "Terverifikasi" in statuses and "Selesai" in statuses


@pytest.mark.parametrize("period", [WEEK, NOVEMBER], ids=["week", "month"])
def test_the_medians_alone_are_the_periods_medians(seeded, period):
    first, last = (period.monday, period.sunday) if isinstance(period, Week) else (period.first, period.last)
    with seeded.sessions() as session:
        whole = period_figures(session, seeded.settings, first, last, CALENDAR)
        alone = medians(session, seeded.settings, first, last)
        pdam = period_figures(session, seeded.settings, first, last, CALENDAR, agency="pdam")
        pdam_alone = medians(session, seeded.settings, first, last, "pdam")
    assert alone == (whole.median_hours_to_confirm, whole.median_days_to_resolve) and None not in alone
    assert pdam_alone[1] == pdam.median_days_to_resolve != whole.median_days_to_resolve
