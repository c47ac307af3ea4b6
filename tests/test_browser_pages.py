"""Every page of every demo role in Debian's Chromium (``bench.pages`` lists them), at a phone's width (390×844,
mobile emulation) and a laptop's (1366×900): nothing reaches past the screen's right edge, axe-core finds no
violation of impact serious or critical, and the ticket list shows number, title, status and deadline within it.

With ``is_mobile`` the layout viewport grows to fit the content, so widths are compared with the width set, not
with ``window.innerWidth``.
"""

from __future__ import annotations

import pytest

from bench.pages import PAGES, WIDEST, WIDTHS, demo_served, open_as, visit
from satukanal.config.settings import load_settings

SERIOUS = ("serious", "critical")
TICKET_CELLS = ("td.number", "td.title", "td.status-cell", "td.deadline")
"""What a ticket row must show within the screen: number, title, status and deadline."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory, model_path):
    """The demo served once for the module, scored with the session's model."""
    folder = tmp_path_factory.mktemp("pages")
    config = folder / "satukanal.toml"
    config.write_text(f'[classifier]\nmodel_path = "{model_path}"\n', encoding="utf-8")
    settings = load_settings(environ={"SATUKANAL_CONFIG": str(config)}, cwd=folder)
    with demo_served(settings, folder / "demo") as address:
        yield address


def axe_findings(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in violations
        if violation["impact"] in SERIOUS
    ]


def beyond_edge(page, selector: str, width: int) -> list[str]:
    """The cells of ``selector`` in the first rows that are hidden or reach past ``width``."""
    boxes = [page.locator(selector).nth(row).bounding_box() for row in range(min(3, page.locator(selector).count()))]
    return [f"{selector} row {row}" for row, box in enumerate(boxes) if box is None or box["x"] + box["width"] > width]


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("role", PAGES)
def test_every_page_fits_the_screen_and_has_no_serious_accessibility_issue(browser, demo, role, device):
    width = WIDTHS[device][0]
    page = open_as(browser, demo, role, device)
    problems = []
    pages = 0
    for path in visit(page, demo, role):
        pages += 1
        reach = page.evaluate(WIDEST)
        if reach > width:
            problems.append(f"{path}: reaches {reach} px on a {width} px screen")
        if path == "/tiket/":
            assert page.locator("td.number").count(), f"{path}: the demo's {role} has tickets to list"
            for cell in TICKET_CELLS:
                problems += [f"{path}: {where}" for where in beyond_edge(page, cell, width)]
        problems += [f"{path}: {finding}" for finding in axe_findings(page)]
    assert pages == len(PAGES[role])
    assert not problems, "\n".join(problems)


def test_on_a_phone_the_menu_and_the_filters_fold_and_the_queue_opens_at_its_heading(browser, demo):
    page = open_as(browser, demo, "moderator", "ponsel")
    page.goto(f"{demo}/antrean/", wait_until="load")
    assert page.evaluate("window.scrollY") == 0, "the page is not scrolled to the first card"
    assert page.locator("li.card.selected").count() == 1, "the first card is selected for the keyboard all the same"
    assert page.locator("details.filter-panel").get_attribute("open") is None, "the filters wait behind one button"
    toggle, link = page.locator("button.menu-toggle"), page.locator("#menu a", has_text="Dasbor")
    assert toggle.is_visible() and not link.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and link.is_visible()
    with page.expect_navigation(wait_until="load"):
        link.click()
    assert page.url.endswith("/dasbor/")


def test_on_a_laptop_the_menu_and_the_queues_filters_are_in_view(browser, demo):
    page = open_as(browser, demo, "moderator", "laptop")
    page.goto(f"{demo}/antrean/", wait_until="load")
    assert not page.locator("button.menu-toggle").is_visible()
    assert page.locator("#menu a", has_text="Dasbor").is_visible()
    assert page.locator("select[name=kategori]").is_visible(), "the filter panel opens on a wide screen"
    assert page.locator("header a[aria-current=page]").inner_text().startswith("Antrean"), "where you are"
