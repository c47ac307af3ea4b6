"""What people see: every page of every demo role at a phone's and a laptop's width, saved and measured.

Run from the project root: ``.venv/bin/python -m bench.pages [--out DIR] [--readme]``.
It builds the demo database in a temporary folder, serves the web app on
loopback, logs in as each demo role in Debian's Chromium (Playwright) and,
at 390×844 (a common Android phone, with touch and mobile emulation) and
1366×900, saves a full-page PNG of each of the role's pages to ``DIR``
(default: a new temporary folder) and prints how wide the page really is
(``WIDEST``) beside the width set. A page wider than the screen scrolls
sideways on a phone. ``tests/test_browser_pages.py`` opens the same pages
and asserts that each fits and passes axe-core. With ``--readme`` it also writes
the screenshots the README shows (``README_SHOTS``, the first screenful only).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from satukanal.config.settings import Settings, load_settings
from satukanal.demo.runner import DEMO_PASSWORD, add_demo_users, demo_settings, run_demo
from satukanal.web.loopback import serving
from satukanal.wiring import App

WIDTHS = {"ponsel": (390, 844), "laptop": (1366, 900)}
TICKET = "TICKET"
PUBLICATION = "PUBLICATION"
ANONYMOUS = "tamu"
PAGES = {
    ANONYMOUS: ["/masuk"],
    "admin": [
        "/antrean/", "/tiket/", TICKET, "/tiket/impor", "/dasbor/", "/publikasi/", PUBLICATION, "/sumber/",
        "/audit/", "/pengguna", "/pemberitahuan/", "/akun/kata-sandi",
    ],
    "moderator": ["/antrean/", "/tiket/", TICKET, "/dasbor/", "/publikasi/", "/sumber/", "/pemberitahuan/"],
    "pdam": ["/tiket/", TICKET, "/dasbor/", "/pemberitahuan/", "/akun/kata-sandi", "/tiket/TBN-2000-000000"],
    "pengamat": ["/dasbor/", "/sumber/"],
}  # fmt: skip
"""Each demo role's pages (``tamu``: not logged in). ``TICKET`` is the first ticket the role's list links to,
``PUBLICATION`` the first publication; the last of pdam's is a ticket that does not exist (the error page)."""
FIRST_LINK = {
    TICKET: ("/tiket/", "table.tickets td.number a"),
    PUBLICATION: ("/publikasi/", "table.publications a[href^='/publikasi/']"),
}
README_SHOTS = {
    ("pdam", "/tiket/", "ponsel"): Path("docs/screenshots/tiket-ponsel.png"),
    ("admin", "/dasbor/", "laptop"): Path("docs/screenshots/dasbor-laptop.png"),
}
"""The README's pictures: a liaison's ticket list on a phone, the district's dashboard on a laptop."""
WIDEST = """Math.max(document.documentElement.scrollWidth, ...Array.from(document.querySelectorAll("body *"))
  .filter(element => element.getClientRects().length)
  .map(element => Math.ceil(element.getBoundingClientRect().right)))"""
"""How far right the page reaches: its scroll width, or the right edge of its widest visible element (a wide
table inside a scrolling box leaves the page's own width alone but still scrolls sideways)."""


@contextmanager
def demo_served(settings: Settings, folder: Path) -> Iterator[str]:
    """The demo of ``settings`` (its database in ``folder``, its users with ``DEMO_PASSWORD``) on loopback; yields
    the address."""
    settings = demo_settings(settings, folder)
    run_demo(settings)
    add_demo_users(settings)
    app = App(settings)
    try:
        with serving(app, "kunci-halaman") as address:
            yield address
    finally:
        app.close()


def open_as(browser, address: str, role: str, device: str):
    """A page of ``browser`` in a new context sized for ``device``, logged in as the demo ``role``."""
    width, height = WIDTHS[device]
    phone = device == "ponsel"
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.set_default_timeout(30_000)
    if role != ANONYMOUS:
        page.goto(f"{address}/masuk", wait_until="load")
        page.fill("input[name=username]", role)
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation(wait_until="load"):
            page.click("main button[type=submit]")
    return page


def visit(page, address: str, role: str) -> Iterator[str]:
    """Opens each of ``role``'s pages in ``page`` in turn; yields each one's path while it is open."""
    for path in PAGES[role]:
        if path in FIRST_LINK:
            listing, link = FIRST_LINK[path]
            page.goto(f"{address}{listing}", wait_until="load")
            path = page.locator(link).first.get_attribute("href")
        page.goto(f"{address}{path}", wait_until="load")
        yield path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the PNG files (default: a new temporary folder)")
    parser.add_argument("--readme", action="store_true", help="also write the README's screenshots (docs/screenshots)")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("Debian's chromium is not installed (apt-get install chromium)")
    out = args.out or Path(tempfile.mkdtemp(prefix="satukanal-pages-"))
    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would bury the table
    with tempfile.TemporaryDirectory() as folder:
        with demo_served(load_settings(environ={}, cwd=Path(folder)), Path(folder) / "demo") as address:
            rows = shoot(address, chromium, out, readme=args.readme)
    print(f"{'peran':<10} {'halaman':<24} {'lebar':>6} {'isi':>6}  ")
    for role, path, width, content in rows:
        verdict = "pas" if content <= width else f"{content - width} px terlalu lebar"
        print(f"{role:<10} {path:<24} {width:>6} {content:>6}  {verdict}")
    print(f"\n{sum(content > width for *_, width, content in rows)} of {len(rows)} pages wider than the screen")
    print(f"screenshots: {out}")


def shoot(address: str, chromium: str, out: Path, readme: bool = False) -> list[tuple[str, str, int, int]]:
    """Saves each role's pages at each width to ``out`` (and the README's shots if ``readme``); (role, path, width
    set, width reached) per page."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for role in PAGES:
            for device, (width, _) in WIDTHS.items():
                page = open_as(browser, address, role, device)
                for path in visit(page, address, role):
                    name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
                    page.screenshot(path=str(out / f"{role}-{name}-{device}.png"), full_page=True)
                    if readme and (role, path, device) in README_SHOTS:
                        README_SHOTS[role, path, device].parent.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(README_SHOTS[role, path, device]))
                    rows.append((role, path, width, page.evaluate(WIDEST)))
                page.context.close()
        browser.close()
    return rows


if __name__ == "__main__":
    main()
