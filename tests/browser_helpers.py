"""The web app served for Debian's Chromium: a real HTTP server on loopback, for the browser tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from satukanal.web import loopback
from satukanal.wiring import App

CHROMIUM = shutil.which("chromium")


@contextmanager
def serving(app: App) -> Iterator[str]:
    """The app on a threaded HTTP server on a free loopback port; yields its address."""
    with loopback.serving(app, "kunci-uji") as address:
        yield address


def open_logged_in(browser, address: str, path: str, username: str, password: str):
    """A new page of ``browser`` on ``path``, through the login form as ``username``; waits for the page's load.

    The timeouts are generous: the browser tests share the machine with the rest of the suite.
    """
    page = browser.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{address}{path}", wait_until="load")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    return page
