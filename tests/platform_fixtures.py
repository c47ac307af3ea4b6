"""Fixtures for the platforms: the fake X and the fake Instagram behind the real tweepy and instagrapi clients,
and the Instagram source the application would build (loaded by ``conftest.py`` as a plugin)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor import Retrier
from tests.x_fake import FakeX, fake_x


class Sleeps(list):
    """Stands in for ``time.sleep``: remembers each wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def x() -> Iterator[FakeX]:
    """The fake X (``tests.x_fake``) behind every request tweepy makes in the test; it starts with no tweets."""
    with fake_x() as fake:
        yield fake


@pytest.fixture
def recorded_mentions(x: FakeX) -> FakeX:
    """The fake X holding the ten recorded mentions, four to a page: for a module, with
    ``pytestmark = pytest.mark.usefixtures("recorded_mentions")``."""
    from tests.x_wire import recorded_tweets

    x.add(*recorded_tweets())
    x.page_size = 4
    return x


@pytest.fixture
def watching_the_fake_instagram_account(config_file: Path) -> Path:
    """The test configuration watching the fake Instagram account, so that its posts and messages count as ours;
    requested before the settings are read (``pytest.mark.usefixtures``)."""
    from tests.instagram_fakes import USERNAME

    config_file.write_text(
        config_file.read_text() + f'\n[accounts.instagram]\nwatched = ["{USERNAME}"]\n', encoding="utf-8"
    )
    return config_file


@pytest.fixture
def instagram(monkeypatch):
    """The fake i.instagram.com (``tests.instagram_fakes``) behind every request instagrapi makes in the test."""
    from tests.instagram_fakes import fake_instagram  # instagrapi takes a while to import: only where it is used

    with fake_instagram(monkeypatch) as fake:
        yield fake


@pytest.fixture
def make_instagram_source(instagram, tmp_path: Path, sleeps: Sleeps):
    """Builds the Instagram source the application would, its client logged in from a saved session on first use;
    the fake answers every feed the source reads, empty unless the test says otherwise."""
    from monitor.instagram import InstagramSource
    from tests.instagram_fakes import USERNAME, logged_in_client

    instagram.quiet()

    def build(**options) -> InstagramSource:
        options.setdefault("retrier", Retrier(sleep=sleeps))
        options.setdefault("account", USERNAME)
        session_file = tmp_path / "instagram-session.json"
        return InstagramSource("instagram", lambda: logged_in_client(session_file, instagram), **options)

    return build
