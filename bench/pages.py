"""What people see: every page of every demo role at a phone's and a laptop's width, saved and measured.

Run from the project root: ``.venv/bin/python -m bench.pages [--out DIR]``.
It builds the demo database in a temporary folder, serves the web app on
loopback, logs in as each demo role in Debian's Chromium (Playwright) and,
at 390×844 (a common Android phone, with touch and mobile emulation) and
1366×900, saves a full-page PNG of each page the role's navigation offers
to ``DIR`` (default: a new temporary folder) and prints how wide the page
really is (``WIDEST``) beside the width set. A page wider than the screen
scrolls sideways on a phone.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from satukanal.config.settings import load_settings
from satukanal.demo.runner import DEMO_PASSWORD, add_demo_users, demo_settings, run_demo
from satukanal.web import create_app
from satukanal.wiring import App

WIDTHS = {"ponsel": (390, 844), "laptop": (1366, 900)}
PAGES = {
    "admin": ["/antrean/", "/tiket/", "TICKET", "/dasbor/", "/publikasi/", "/sumber/", "/audit/", "/pengguna"],
    "moderator": ["/antrean/", "/tiket/", "TICKET", "/dasbor/", "/publikasi/", "/sumber/", "/pemberitahuan/"],
    "pdam": ["/tiket/", "TICKET", "/dasbor/", "/pemberitahuan/"],
    "pengamat": ["/dasbor/", "/sumber/"],
}
"""Each demo role's pages; ``TICKET`` is the first ticket its list links to."""
WIDEST = """Math.max(document.documentElement.scrollWidth, ...Array.from(document.querySelectorAll("body *"))
  .filter(element => element.getClientRects().length)
  .map(element => Math.ceil(element.getBoundingClientRect().right)))"""
"""How far right the page reaches: its scroll width, or the right edge of its widest visible element (a wide
table inside a scrolling box leaves the page's own width alone but still scrolls sideways)."""


@contextmanager
def serving(app: App) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_app(app, "kunci-halaman"), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the PNG files (default: a new temporary folder)")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("Debian's chromium is not installed (apt-get install chromium)")
    out = args.out or Path(tempfile.mkdtemp(prefix="satukanal-pages-"))
    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would bury the table
    with tempfile.TemporaryDirectory() as folder:
        settings = demo_settings(load_settings(environ={}, cwd=Path(folder)), Path(folder) / "demo")
        run_demo(settings)
        add_demo_users(settings)
        app = App(settings)
        try:
            with serving(app) as base:
                rows = shoot(base, chromium, out)
        finally:
            app.close()
    print(f"{'peran':<10} {'halaman':<22} {'lebar':>6} {'isi':>6}  ")
    for role, path, width, content in rows:
        verdict = "pas" if content <= width else f"{content - width} px terlalu lebar"
        print(f"{role:<10} {path:<22} {width:>6} {content:>6}  {verdict}")
    print(f"\n{sum(content > width for *_, width, content in rows)} of {len(rows)} pages wider than the screen")
    print(f"screenshots: {out}")


def shoot(base: str, chromium: str, out: Path) -> list[tuple[str, str, int, int]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for role, paths in PAGES.items():
            for device, (width, height) in WIDTHS.items():
                phone = device == "ponsel"
                context = browser.new_context(
                    viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
                )
                page = context.new_page()
                page.goto(f"{base}/masuk", wait_until="load")
                page.fill("input[name=username]", role)
                page.fill("input[name=password]", DEMO_PASSWORD)
                with page.expect_navigation(wait_until="load"):
                    page.click("button[type=submit]")
                for path in paths:
                    if path == "TICKET":
                        page.goto(f"{base}/tiket/", wait_until="load")
                        path = page.locator("table.tickets a[href^='/tiket/TBN-']").first.get_attribute("href")
                    page.goto(f"{base}{path}", wait_until="load")
                    content = page.evaluate(WIDEST)
                    name = path.strip("/").replace("/", "-") or "beranda"
                    page.screenshot(path=str(out / f"{role}-{name}-{device}.png"), full_page=True)
                    rows.append((role, path, width, content))
                context.close()
        browser.close()
    return rows


if __name__ == "__main__":
    main()
