"""End to end in a real headless browser: Debian's Chromium driven by Playwright, against a real server on loopback."""

import pytest
from sqlalchemy import func, select

from satukanal.models import Post, Ticket
from satukanal.review.service import confirm
from satukanal.users.service import add_user
from satukanal.wiring import App
from tests.browser_helpers import CHROMIUM, serving
from tests.factories import COMPLAINT, TICKET_PREFIX, add_posts, record
from tests.web_helpers import PASSWORD

PAYLOAD = "<img src=x onerror=alert(1)><script>alert(2)</script> jalan rusak di kerek tolong"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture
def server(app):
    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator1", "moderator", PASSWORD, "test")
    with serving(app) as address:
        yield address


@pytest.fixture
def page(server, browser):
    page = browser.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{server}/antrean/")
    page.fill("input[name=username]", "moderator1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    return page


def test_a_moderator_works_the_queue_with_the_keyboard_alone(app, page):
    ids = add_posts(app, *(record(id=str(n), text=f"{COMPLAINT} #{n}") for n in range(4)))
    page.reload()
    cards = page.locator("li.card")
    assert cards.count() == 4
    assert "selected" in cards.nth(0).get_attribute("class")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert "selected" in cards.nth(1).get_attribute("class")

    cards.nth(1).locator("select[name=category]").select_option("jalan_jembatan")
    page.keyboard.press("Escape")
    page.keyboard.press("c")
    page.wait_for_selector(f"text=Unggahan dikonfirmasi: tiket {TICKET_PREFIX}000001.")
    with app.sessions() as session:
        assert session.scalar(select(Ticket.category)) == "jalan_jembatan", "the category chosen on the card"
    page.keyboard.press("r")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Unggahan ditolak.")
    assert page.locator("li.card").count() == 2
    with app.sessions() as session:
        statuses = sorted(session.scalars(select(Post.review_status).where(Post.id.in_(ids))))
        assert statuses == ["confirmed", "pending", "pending", "rejected"]
    page.keyboard.press("u")
    page.wait_for_selector("text=Dibatalkan: penolakan; unggahan kembali ke antrean.")
    assert page.locator("li.card").count() == 3


def test_an_html_payload_in_a_post_renders_as_text_and_runs_nothing(app, page):
    add_posts(app, record(id="1", text=PAYLOAD))
    page.goto(page.url.split("/antrean")[0] + "/antrean/?status=semua")
    assert page.locator("li.card p.text").inner_text() == PAYLOAD
    assert page.locator("li.card img").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []


def test_open_a_ticket_change_its_status_and_see_it_on_the_dashboard(app, page):
    add_posts(app, record(id="1", text=COMPLAINT))
    page.reload()
    page.keyboard.press("c")
    page.wait_for_selector("text=Unggahan dikonfirmasi")
    page.click("text=Tiket")
    page.click(f"text={TICKET_PREFIX}000001")
    page.select_option("select[name=status]", "terverifikasi")
    page.fill("input[name=lapor_id]", "1234567")
    page.click("button:has-text('Simpan')")
    page.wait_for_selector(f"text=Status {TICKET_PREFIX}000001 menjadi Terverifikasi.")
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Ticket).where(Ticket.lapor_id == "1234567")) == 1

    page.click("nav >> text=Dasbor")
    assert page.locator("dl.figures div", has_text="Dikonfirmasi").locator("dd").inner_text() == "1"
    by_status = page.locator("svg[aria-label='Tiket menurut status']")
    assert by_status.locator("rect").count() == 1 and "Terverifikasi" in by_status.text_content()


def test_setting_a_ticket_aside_asks_for_a_reason_and_a_confirmation(app, page):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    with app.sessions.begin() as session:
        number = confirm(session, app.settings, post_id, "test").ticket.number
    page.goto(page.url.split("/antrean")[0] + f"/tiket/{number}")
    note = page.locator("textarea[name=note]")
    assert page.locator("select[name=status]").input_value() == "belum_terverifikasi", "the current status"
    assert note.evaluate("field => field.required") is False
    page.select_option("select[name=status]", "bukan_wewenang")
    assert note.evaluate("field => field.required") is True
    note.fill("urusan PLN")
    page.click("button:has-text('Simpan')")
    page.wait_for_timeout(300)
    assert page.dialogs == ["Yakin mengubah status menjadi Bukan Wewenang?"], "dismissed, so nothing is sent"
    with app.sessions() as session:
        assert session.scalar(select(Ticket.status)) == "belum_terverifikasi"


@pytest.fixture
def demo_page(settings, tmp_path, browser):
    """The demo database (run_demo) served for a browser, logged in as the demo moderator."""
    from satukanal.demo.runner import DEMO_PASSWORD, add_demo_users, demo_settings, run_demo

    demo = demo_settings(settings, tmp_path / "demo")
    run_demo(demo)
    add_demo_users(demo)
    app = App(demo)
    with serving(app) as address:
        page = browser.new_page()
        page.goto(f"{address}/")
        page.fill("input[name=username]", "moderator")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.press("input[name=password]", "Enter")
        page.wait_for_selector("li.card")
        yield page, app
    app.close()


def test_a_moderator_goes_through_20_demo_queue_items_with_the_keyboard_alone(demo_page):
    page, app = demo_page
    with app.sessions() as session:
        waiting = session.scalar(select(func.count()).select_from(Post).where(Post.review_status == "pending"))
    for step in range(20):
        page.keyboard.press("j")
        page.keyboard.press("k")
        if step % 2:
            page.keyboard.press("c")
            page.wait_for_selector("p.flash >> text=/dikonfirmasi|Sudah menjadi tiket/")
        else:
            page.keyboard.press("r")
            page.keyboard.press("Enter")
            page.wait_for_selector("p.flash >> text=Unggahan ditolak.")
        # The flash is in the page before the queue's script has run: keys pressed earlier would go nowhere.
        page.wait_for_load_state("load")
    with app.sessions() as session:
        left = session.scalar(select(func.count()).select_from(Post).where(Post.review_status == "pending"))
    assert waiting - left == 20
