"""The queue's feedback and flow in a real browser (Debian's Chromium, Playwright): a bulk action with nothing
selected says so, an error stays in its card with what was typed, the next card is selected after a decision, and
a category routed to another agency than the chosen one is warned of before confirming."""

import pytest

from satukanal.users.service import add_user
from satukanal.web.review import NOTHING_CHOSEN
from tests.browser_helpers import CHROMIUM, open_logged_in, serving
from tests.factories import COMPLAINT, TICKET_PREFIX, add_posts, record
from tests.web_helpers import PASSWORD

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture
def queue(app, browser):
    """A browser on the queue (all posts), logged in as a moderator, with three complaints; the page and post ids."""
    ids = add_posts(app, *(record(id=str(n), text=f"{COMPLAINT} #{n}") for n in range(3)))
    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator1", "moderator", PASSWORD, "test")
    with serving(app) as address:
        page = open_logged_in(browser, address, "/antrean/?status=semua", "moderator1", PASSWORD)
        page.wait_for_selector("li.card")
        yield page, sorted(ids, reverse=True)  # newest first, as the queue shows them


def test_a_bulk_action_with_nothing_selected_says_so(queue):
    page, ids = queue
    page.click("button[name=aksi][value=tolak]")
    page.wait_for_load_state("load")
    message = page.locator("p.flash.error")
    message.wait_for()
    assert message.inner_text() == NOTHING_CHOSEN
    assert page.locator("li.card").count() == len(ids), "nothing was rejected"


def test_an_error_is_shown_in_its_card_with_the_typed_ticket_number_kept(queue):
    page, ids = queue
    card = page.locator(f"#post-{ids[1]}")
    card.locator("form.reject select[name=reason]").select_option("duplikat")
    card.locator("form.reject input[name=note]").fill(f"{TICKET_PREFIX}999999")
    card.locator("button[data-action=reject]").click()
    page.wait_for_load_state("load")
    error = page.locator(f"#post-{ids[1]} .card-error")
    error.wait_for()
    assert f"tiket '{TICKET_PREFIX}999999' tidak ada" in error.inner_text()
    card = page.locator(f"#post-{ids[1]}")
    assert card.locator("form.reject input[name=note]").input_value() == f"{TICKET_PREFIX}999999"
    assert card.locator("form.reject select[name=reason]").input_value() == "duplikat"
    assert page.locator("p.flash").count() == 0, "not at the top of the page"
    assert "selected" in card.get_attribute("class"), "the keyboard is at the card with the error"
    assert page.locator("li.card .card-error").count() == 1


def test_after_a_decision_the_keyboard_is_at_the_next_card_not_the_first(queue):
    page, ids = queue
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.locator("p.flash >> text=Unggahan ditolak.").wait_for()
    assert page.locator("li.card").count() == len(ids) - 1
    assert page.locator("li.card.selected").get_attribute("data-post") == str(ids[2])


def test_an_agency_other_than_the_categorys_is_warned_of_and_confirming_still_works(app, queue):
    page, ids = queue
    settings = app.settings
    water = settings.agency_for_category("air_minum")
    other = next(key for key in settings.agencies if key != water)
    card = page.locator(f"#post-{ids[0]}")
    warning = card.locator("[data-mismatch]")
    assert warning.is_hidden()
    card.locator("select[name=category]").select_option("air_minum")
    card.locator("select[name=agency]").select_option(other)
    assert warning.is_visible()
    assert (
        f"biasanya ditangani {settings.agency_name(water)}, bukan {settings.agency_name(other)}" in warning.inner_text()
    )
    card.locator("select[name=agency]").select_option("")
    assert warning.is_hidden(), "following the category agrees with it"
    card.locator("select[name=agency]").select_option(other)
    card.locator("button[data-action=confirm]").click()
    page.wait_for_load_state("load")
    page.locator("p.flash >> text=Unggahan dikonfirmasi").wait_for()
