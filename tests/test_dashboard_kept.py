"""The dashboard a server process keeps (``web.dashboard_cache_seconds``): shown again for the same period, agency
and role until it is that old, then computed anew; with 0 computed for every view."""

import re
import time
from dataclasses import replace
from datetime import timedelta

import pytest

from satukanal.models import utcnow
from satukanal.users.service import add_user
from tests.factories import COMPLAINT, add_posts, record
from tests.web_helpers import PASSWORD, signed_in, web_app


def kept_for(app, seconds: int):
    """The web app keeping dashboards ``seconds``, with a moderator and a viewer."""
    app.settings = replace(app.settings, web=app.settings.web.model_copy(update={"dashboard_cache_seconds": seconds}))
    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator1", "moderator", PASSWORD, "test")
        add_user(session, app.settings, "pengamat", "viewer", PASSWORD, "test")
    return web_app(app)


def arrives(app) -> None:
    """A complaint posted a minute ago: within the default period."""
    add_posts(app, record(text=COMPLAINT, created_at=(utcnow() - timedelta(minutes=1)).isoformat()))


def received(page: str) -> tuple[int, bool]:
    """The "Unggahan masuk" tile: the number it shows, and whether it links to the queue."""
    tile = re.search(r'<li class="tile[^"]*">((?:(?!</li>).)*<dt>Unggahan masuk</dt>.*?)</li>', page, re.S).group(1)
    number = re.search(r"<dt>Unggahan masuk</dt><dd>([\d.]+)</dd>", tile).group(1)
    return int(number.replace(".", "")), 'class="tile-link"' in tile


def dashboard(client, query: str = "") -> str:
    response = client.get(f"/dasbor/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_same_dashboard_is_shown_until_it_is_older_than_the_setting(app):
    web = kept_for(app, 1)
    moderator = signed_in(web, "moderator1")
    arrives(app)
    first = dashboard(moderator)
    assert received(first) == (1, True)
    computed = re.search(r"Angka dihitung pukul (\d\d)\.(\d\d)\.", first)
    office_now = utcnow().astimezone(app.settings.timezone)
    assert computed, "the page says when its figures were computed"
    assert abs(int(computed[1]) * 60 + int(computed[2]) - (office_now.hour * 60 + office_now.minute)) in (0, 1, 1439)

    arrives(app)
    assert received(dashboard(moderator)) == (1, True), "kept: the second post is not counted yet"
    time.sleep(1.2)
    assert received(dashboard(moderator)) == (2, True), "older than the setting: computed anew"


def test_each_role_gets_its_own_links(app):
    web = kept_for(app, 60)
    arrives(app)
    assert received(dashboard(signed_in(web, "moderator1"))) == (1, True)
    assert received(dashboard(signed_in(web, "pengamat"))) == (1, False), "a viewer cannot open the queue"


@pytest.mark.parametrize(
    ("seconds", "other_period", "counted"),
    [(60, False, 1), (60, True, 2), (0, False, 2)],
    ids=["kept", "another period is computed for itself", "0 computes every view"],
)
def test_a_second_view_after_a_post_arrives(app, seconds, other_period, counted):
    web = kept_for(app, seconds)
    moderator = signed_in(web, "moderator1")
    arrives(app)
    assert received(dashboard(moderator))[0] == 1
    arrives(app)
    today = utcnow().astimezone(app.settings.timezone).date()
    query = f"?dari={today - timedelta(days=6)}&sampai={today}" if other_period else ""
    assert received(dashboard(moderator, query))[0] == counted
