"""How many posts wait: the navigation's badge and the queue's heading agree with the database for every role,
before and after decisions; the count under each filter is the queue's own listing; a page asks once."""

import re

import pytest
from sqlalchemy import event, select

from satukanal.models import Post
from satukanal.review.service import QueueFilters, queue, queue_count, waiting_count
from satukanal.users.service import add_user
from tests.factories import COMPLAINT, add_posts, record
from tests.web_helpers import PASSWORD, nav_badges, signed_in, token, total_line

SPAM = ("slot gacor maxwin deposit 10rb", "promo pulsa murah hari ini", "halo min selamat pagi")


@pytest.fixture
def waiting(busy_week, web):
    """The busy week (a confirmed, a rejected and an own post among others), complaints on X and Instagram,
    chatter the model leaves unflagged, an admin and a PDAM liaison."""
    add_posts(
        busy_week,
        *(record(id=f"c{n}", text=f"{COMPLAINT} #{n}", platform=("x", "instagram")[n % 2]) for n in range(5)),
        *(record(id=f"s{n}", text=text) for n, text in enumerate(SPAM)),
    )
    with busy_week.sessions.begin() as session:
        add_user(session, busy_week.settings, "admin1", "admin", PASSWORD, "test")
        add_user(session, busy_week.settings, "liaison-pdam", "agency", PASSWORD, "test", agency="pdam")
    return busy_week


def in_database(app, flagged: bool | None = True, platform: str | None = None) -> int:
    """Undecided posts counted one by one from the ORM, apart from the app's own query:
    flagged ones (``True``), the others (``False``) or all (``None``), on ``platform`` if given."""
    with app.sessions() as session:
        return sum(
            1
            for post in session.scalars(select(Post))
            if not post.is_own
            and post.review_status == "pending"
            and (flagged is None or bool(post.classification and post.classification.flagged) == flagged)
            and platform in (None, post.platform)
        )


def test_moderators_and_admins_see_the_waiting_posts_on_the_badge_and_the_queue(web, waiting):
    count = in_database(waiting)
    assert 0 < count < in_database(waiting, flagged=None), "some posts are flagged, some not"
    for username in ("moderator1", "admin1"):
        browser = signed_in(web, username)
        queue_page = browser.get("/antrean/").get_data(as_text=True)
        assert nav_badges(queue_page)["Antrean"] == (count, f"{count} unggahan menunggu")
        assert f'>Antrean <span class="badge" role="img" aria-label="{count} unggahan menunggu">{count}<' in (
            queue_page
        )
        assert total_line(queue_page) == f"{count} unggahan menunggu"
        assert len(re.findall(r'data-post="\d+"', queue_page)) == count, "the heading counts the cards below"
        assert nav_badges(browser.get("/dasbor/").get_data(as_text=True))["Antrean"][0] == count, "on every page"


def test_liaisons_and_viewers_have_no_queue_badge(web, waiting):
    for username in ("liaison-pdam", "pengamat"):
        page = signed_in(web, username).get("/dasbor/").get_data(as_text=True)
        assert "Antrean" not in nav_badges(page) and 'href="/antrean/"' not in page


def test_the_counts_follow_each_confirm_reject_and_undo(client, login, waiting):
    login()
    page = client.get("/antrean/").get_data(as_text=True)
    first, second = (int(found) for found in re.findall(r'data-post="(\d+)"', page)[:2])
    before = in_database(waiting)
    csrf = {"csrf_token": token(page)}
    as_suggested = {**csrf, "category": "", "agency": "", "kecamatan": "", "anonymous": "y"}
    steps = [
        (f"/antrean/{first}/konfirmasi", as_suggested, before - 1),
        (f"/antrean/{second}/tolak", {**csrf, "reason": "spam"}, before - 2),
        ("/antrean/batal", csrf, before - 1),
    ]
    for url, data, expected in steps:
        after = client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
        assert in_database(waiting) == expected
        assert nav_badges(after)["Antrean"] == (expected, f"{expected} unggahan menunggu")
        assert total_line(after) == f"{expected} unggahan menunggu"


def test_the_heading_counts_a_filtered_view_out_of_the_waiting_posts(client, login, waiting):
    login()
    count, on_instagram = in_database(waiting), in_database(waiting, platform="instagram")
    assert 0 < on_instagram < count
    narrowed = client.get("/antrean/?platform=instagram").get_data(as_text=True)
    assert total_line(narrowed) == f"{on_instagram} dari {count} unggahan menunggu"
    assert nav_badges(narrowed)["Antrean"][0] == count, "the badge ignores the page's filters"
    nothing = client.get("/antrean/?q=tidak-ada-yang-cocok").get_data(as_text=True)
    assert total_line(nothing) == f"0 dari {count} unggahan menunggu"
    for status, flagged in (("semua", None), ("tidak_ditandai", False)):
        shown = in_database(waiting, flagged=flagged)
        page = client.get(f"/antrean/?status={status}").get_data(as_text=True)
        assert total_line(page) == f"{shown} unggahan di tampilan ini · {count} unggahan menunggu"
        assert len(re.findall(r'data-post="\d+"', page)) == shown


def test_nothing_waiting_shows_no_badge_and_says_so(client, login, app):
    login()
    page = client.get("/antrean/").get_data(as_text=True)
    assert nav_badges(page) == {} and 'class="badge' not in page
    assert total_line(page) == "0 unggahan menunggu"


@pytest.mark.parametrize(
    "filters",
    [
        None,
        QueueFilters(platform="instagram"),
        QueueFilters(search="GACOR"),
        QueueFilters(min_score=0.5),
        QueueFilters(max_score=0.5),
        QueueFilters(category="air_minum"),
        QueueFilters(agency="pdam", kecamatan="Jenu"),
        QueueFilters(account="@LaporTuban"),
    ],
)
def test_the_count_is_the_queues_length_under_every_filter(waiting, filters):
    with waiting.sessions() as session:
        for flagged in (True, False, None):
            assert queue_count(session, flagged, filters) == len(queue(session, 1000, flagged, filters=filters))
        assert waiting_count(session) == in_database(waiting)


COUNT = re.compile(r"SELECT count\(\*\) .*FROM (posts|tickets|notifications)\b", re.S)
"""A navigation count: of all the rows that match, not grouped."""


def test_a_page_reads_each_navigation_count_once(client, login, waiting):
    """Waiting posts, overdue tickets, my open tickets and unread notifications: one COUNT each per page,
    the queue's heading included."""
    login()
    client.get("/antrean/")
    statements = []
    event.listen(waiting.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    for path in ("/antrean/", "/publikasi/", "/sumber/"):
        statements.clear()
        assert client.get(path).status_code == 200
        counted = [s for s in statements if COUNT.match(s)]
        assert len(counted) == 4 and len(set(counted)) == 4, (path, counted)
