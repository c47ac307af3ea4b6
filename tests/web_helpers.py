"""The web app in Flask's testing mode and what a test client needs to use it: a login, CSRF tokens, API tokens."""

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


def login(client, username: str = "moderator1", password: str = PASSWORD, next_page: str = ""):
    page = client.get("/masuk").get_data(as_text=True)
    query = f"?next={next_page}" if next_page else ""
    return client.post(f"/masuk{query}", data={"username": username, "password": password, "csrf_token": token(page)})


def api_token(app, username: str) -> dict[str, str]:
    """Headers carrying a fresh API token of ``username``."""
    with app.sessions.begin() as session:
        return {"Authorization": f"Bearer {issue_api_token(session, get_user(session, username), 'test')}"}
