"""The weekly and monthly recaps over seven weeks of history: every figure, the highlights and the period before,
held against the same figures computed from every row in Python (``tests.figures_helpers``)."""

from dataclasses import replace
from datetime import timedelta

from publisher import Month, Week
from satukanal.intake.service import store_records
from satukanal.publishing.recap import CALENDAR, recap_figures
from satukanal.review.service import confirm
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import TicketChoices, set_status
from tests.factories import record
from tests.figures_helpers import WEEKS, fill_edges, fill_history, reference_figures, reference_highlights, tuban

RECAPPED = ("posts_received", "flagged", "confirmed", "rejected", "tickets_opened", "tickets_resolved")
RECAPPED += ("in_progress", "overdue", "median_days_to_resolve", "by_platform", "by_status", "by_agency")
RECAPPED += ("by_category",)
PREVIOUS = ("posts_received", "flagged", "confirmed", "rejected")
RESOLUTION = (Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI, Status.SELESAI)


def days(period: Week | Month):
    return (period.monday, period.sunday) if isinstance(period, Week) else (period.first, period.last)


def test_every_recap_reports_the_figures_of_its_period_and_the_one_before(app):
    fill_history(app)
    fill_edges(app)
    many = replace(app.settings, publish=app.settings.publish.model_copy(update={"highlights": 4}))
    resolved = []
    with app.sessions() as session:
        for period in [*WEEKS, Month(2026, 10), Month(2026, 11)]:
            for settings in (app.settings, many):
                recap = recap_figures(session, settings, period)
                expected = reference_figures(session, settings, *days(period), CALENDAR)
                before = reference_figures(session, settings, *days(period.shifted(-1)), CALENDAR)
                assert {name: getattr(recap, name) for name in RECAPPED} == {name: expected[name] for name in RECAPPED}
                assert recap.previous == {name: before[name] for name in PREVIOUS}, period
                assert recap.highlights == reference_highlights(session, settings, *days(period)), period
            resolved.append(expected["tickets_resolved"] - len(recap.highlights))
    assert max(resolved) > 3, "some periods resolve more tickets than they name"


def test_the_highlights_are_the_first_resolved_ticket_of_each_kind_of_problem(app):
    """Three rubbish tickets in Rengel and a road in Jenu resolved in week 45: the first rubbish ticket opened and
    the road are named; so is a rubbish ticket without a kecamatan, a problem told differently."""
    week = WEEKS[3]
    kinds = [("sampah", "Rengel"), ("sampah", "Rengel"), ("jalan_jembatan", "Jenu"), ("sampah", "Rengel")]
    kinds.append(("sampah", None))
    opened = tuban(week.monday) - timedelta(days=2)
    with app.sessions.begin() as session:
        posts = [record(id=f"k{n}", text="Sampah di pasar", created_at=opened.isoformat()) for n in range(len(kinds))]
        ids = store_records(session, posts, "test", app.own_handles).added_ids
        choices = [TicketChoices(category=category, kecamatan=kecamatan) for category, kecamatan in kinds]
        numbers = [
            confirm(session, app.settings, post, "m", chosen, now=opened + timedelta(hours=n)).ticket.number
            for n, (post, chosen) in enumerate(zip(ids, choices, strict=True))
        ]
        for n, number in enumerate(reversed(numbers)):  # the last opened is resolved first, each a day apart
            for hour, status in enumerate(RESOLUTION):
                set_status(session, number, status, "m", now=tuban(week.monday) + timedelta(days=n, hours=hour))
    with app.sessions() as session:
        recap = recap_figures(session, app.settings, week)
    assert [highlight.number for highlight in recap.highlights] == [numbers[0], numbers[2], numbers[4]]
    six_days_three_hours, four_days_one_hour, two_days_less_an_hour = 6.1, 4.0, 2.0
    assert [highlight.days_to_resolve for highlight in recap.highlights] == [
        six_days_three_hours,
        four_days_one_hour,
        two_days_less_an_hour,
    ]
