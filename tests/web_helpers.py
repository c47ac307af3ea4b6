"""The web app in Flask's testing mode and what a test client needs to use it: a login, CSRF tokens, API tokens.

Most tests log in through conftest's ``client`` and ``login`` fixtures; these functions serve a second browser
(``signed_in``), or a client of an app the test builds itself.
"""

from __future__ import annotations

import re

from flask import Flask

from satukanal.users.service import get_user, issue_api_token
from satukanal.web import create_app

PASSWORD = "kata-sandi-panjang-1"
"""The password of every user the web tests add."""
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> jalan rusak parah tolong min'
SECRET_KEY = "kunci-uji"


def web_app(application) -> Flask:
    """The web app over ``application`` in testing mode, so an error in a view is raised in the test."""
    return create_app(application, SECRET_KEY, testing=True)


def token(page: str) -> str:
    """The CSRF token of the first form on ``page``."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def log_in(client, username: str = "moderator1", password: str = PASSWORD, next_page: str = ""):
    """Log ``client`` in through the login form; the form's answer."""
    page = client.get("/masuk").get_data(as_text=True)
    query = f"?next={next_page}" if next_page else ""
    return client.post(f"/masuk{query}", data={"username": username, "password": password, "csrf_token": token(page)})


def signed_in(web: Flask, username: str):
    """A new test client of ``web`` (another browser), logged in as ``username``."""
    client = web.test_client()
    assert log_in(client, username).status_code == 302
    return client


def api_token(app, username: str) -> dict[str, str]:
    """Headers carrying a fresh API token of ``username``."""
    with app.sessions.begin() as session:
        return {"Authorization": f"Bearer {issue_api_token(session, get_user(session, username), 'test')}"}


_BADGE = re.compile(r'>(Antrean|Tiket) <span class="badge[^"]*" role="img" aria-label="([^"]+)">([\d.]+)</span>')


def nav_badges(page: str) -> dict[str, tuple[int, str]]:
    """The navigation's badges on ``page``: the link's text to the count shown and the badge's aria-label."""
    return {link: (int(shown.replace(".", "")), label) for link, label, shown in _BADGE.findall(page)}


def total_line(page: str) -> str:
    """The sentence under a list's heading saying how many it holds ("36 unggahan menunggu", "2 dari 5 tiket")."""
    return re.search(r'<p class="total">([^<]*)</p>', page).group(1)
