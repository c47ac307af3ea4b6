"""The queue card's title in a real browser (Debian's Chromium, Playwright): ``c`` confirms with the proposed title,
choosing another category swaps its subject into the untouched title, and an edited title is left alone."""

import pytest
from sqlalchemy import select

from satukanal.models import Ticket, TicketPost
from satukanal.users.service import add_user
from tests.browser_helpers import CHROMIUM, serving
from tests.factories import add_posts, record
from tests.web_helpers import PASSWORD

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")

POST = "Permisi min. Lampu jalan nang Ds. Panyuran mati kabeh sak dalan, wes sewulan 😔 @laportuban"


@pytest.fixture
def queue(app, browser):
    """A browser on the queue, logged in as a moderator, with two posts that greet before they complain."""
    ids = add_posts(app, record(id="1", text=POST), record(id="2", text=POST + " Tolong."))
    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator1", "moderator", PASSWORD, "test")
    with serving(app) as address:
        page = browser.new_page()
        page.goto(f"{address}/antrean/?status=semua")
        page.fill("input[name=username]", "moderator1")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("li.card")
        yield page, ids


def title_of_ticket(app, post_id: int) -> str:
    with app.sessions() as session:
        return session.scalars(select(Ticket.title).join(TicketPost).where(TicketPost.post_id == post_id)).one()


def test_c_confirms_with_the_title_whose_subject_follows_the_chosen_category(app, queue):
    page, _ = queue
    card = page.locator("li.card").nth(0)  # the selected card, which c confirms
    first = int(card.get_attribute("data-post"))
    title = card.locator("input[name=title]")
    proposed = title.input_value()
    assert "Panyuran" in proposed and not proposed.startswith("Permisi")

    card.locator("select[name=category]").select_option("jalan_jembatan")
    swapped = title.input_value()
    assert swapped.startswith("Jalan dan jembatan di Kelurahan Panyuran, Kec. Palang: ")
    assert swapped.split(": ", 1)[1] == proposed.split(": ", 1)[1]
    page.keyboard.press("Escape")
    page.keyboard.press("c")
    page.wait_for_selector("text=Unggahan dikonfirmasi")
    assert title_of_ticket(app, first) == swapped


def test_an_edited_title_stays_as_typed_whatever_the_category(app, queue):
    page, (_, second) = queue
    card = page.locator(f"#post-{second}")
    card.locator("input[name=title]").fill("PJU Panyuran mati sebulan")
    card.locator("select[name=category]").select_option("sampah")
    assert card.locator("input[name=title]").input_value() == "PJU Panyuran mati sebulan"
    card.locator("button[data-action=confirm]").click()
    page.wait_for_selector("text=Unggahan dikonfirmasi")
    assert title_of_ticket(app, second) == "PJU Panyuran mati sebulan"
