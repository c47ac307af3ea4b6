"""The queue's decision filter (``keputusan``): every post, or those confirmed or rejected in a range of days, as
the dashboard counts them; without it the queue lists the posts waiting for a decision, as before."""

from datetime import date, datetime

import pytest

from satukanal.dashboard.figures import period_figures
from satukanal.publishing.recap import CALENDAR
from satukanal.review.service import confirm, reject, undo
from tests.factories import COMPLAINT, add_posts, record
from tests.queue_helpers import shown_posts
from tests.web_helpers import total_line

FIRST, LAST = date(2026, 11, 16), date(2026, 11, 22)
DECIDED = f"diputuskan_dari={FIRST}&diputuskan_sampai={LAST}"


def wib(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+07:00")


@pytest.fixture
def decided(app):
    """Posts decided in the week, before it and after it; a rejection in the week undone; one post waiting."""
    posts = add_posts(
        app,
        record(id="1", text=COMPLAINT, created_at="2026-11-12T08:00:00+07:00"),
        record(id="2", text="slot gacor maxwin", created_at="2026-11-16T08:00:00+07:00"),
        record(id="3", text="promo pulsa murah", created_at="2026-11-17T08:00:00+07:00"),
        record(id="4", text=COMPLAINT + " lagi", created_at="2026-11-20T08:00:00+07:00"),
        record(id="5", text="info lowongan kerja", created_at="2026-11-14T08:00:00+07:00"),
        record(id="6", text="Jalan rusak parah di Kec. Jenu", created_at="2026-11-18T08:00:00+07:00"),
    )
    old_complaint, spam, undone, late_complaint, early_spam, _waiting = posts
    with app.sessions.begin() as session:
        confirm(session, app.settings, old_complaint, "m", now=wib("2026-11-16T00:10:00"))
        reject(session, spam, "m", "spam", now=wib("2026-11-22T23:50:00"))
        reject(session, undone, "m", "spam", now=wib("2026-11-18T09:00:00"))
        undo(session, undone, "m", now=wib("2026-11-18T09:01:00"))
        confirm(session, app.settings, late_complaint, "m", now=wib("2026-11-23T00:10:00"))
        reject(session, early_spam, "m", "spam", now=wib("2026-11-15T23:50:00"))
    app.posts = dict(zip(("old", "spam", "undone", "late", "early", "waiting"), posts, strict=True))
    return app


def test_decided_posts_are_listed_by_the_day_of_their_decision(client, login, decided):
    with decided.sessions() as session:
        week = period_figures(session, decided.settings, FIRST, LAST, CALENDAR)
    posts = decided.posts
    login()
    confirmed = client.get(f"/antrean/?status=semua&keputusan=dikonfirmasi&{DECIDED}").get_data(as_text=True)
    assert set(shown_posts(confirmed)) == {posts["old"]} and week.confirmed == 1, "the post came the week before"
    rejected = client.get(f"/antrean/?status=semua&keputusan=ditolak&{DECIDED}").get_data(as_text=True)
    assert set(shown_posts(rejected)) == {posts["spam"], posts["undone"]}, "an undone rejection was still made"
    assert week.rejected == 2 and total_line(rejected).split()[0] == "2", "the count under the heading"
    everything = client.get(f"/antrean/?status=semua&keputusan=semua&dari={FIRST}&sampai={LAST}")
    received = set(shown_posts(everything.get_data(as_text=True)))
    assert received == {posts["spam"], posts["undone"], posts["late"], posts["waiting"]} and week.posts_received == 4


def test_without_the_filter_the_queue_lists_the_posts_waiting_as_before(client, login, decided):
    login()
    waiting = set(shown_posts(client.get("/antrean/?status=semua").get_data(as_text=True)))
    assert waiting == {decided.posts["undone"], decided.posts["waiting"]}
    page = client.get("/antrean/").get_data(as_text=True)
    assert "keputusan" not in page.split('<form class="filters"')[1].split("</form>")[0], "not in the filter bar"


def test_a_decision_sends_the_moderator_back_to_the_same_list(client, login, decided):
    login()
    page = client.get(f"/antrean/?status=semua&keputusan=ditolak&{DECIDED}").get_data(as_text=True)
    undo_form = page.split('<form id="undo"')[1].split(">")[0]
    assert f"keputusan=ditolak&amp;{DECIDED.replace('&', '&amp;')}" in undo_form


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("keputusan=disetujui", "keputusan"),
        ("keputusan=ditolak&diputuskan_dari=kemarin", "diputuskan_dari"),
        (f"keputusan=semua&{DECIDED}", "keputusan"),
        (DECIDED, "keputusan"),
    ],
)
def test_a_wrong_decision_filter_shows_the_queue_with_a_message(client, login, decided, query, named):
    login()
    response = client.get(f"/antrean/?{query}")
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "<h1>" in text and f'href="#{named}"' in text
