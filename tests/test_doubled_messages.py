"""Direct messages read on two paths (Meta's webhook and an ``instagram`` source's inbox) are stored twice:
while the webhook brings messages, `satukanal sources check` and the Sumber page say which source to change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from satukanal.intake.doubled_messages import ADVICE, RECENT, WARNING, note_webhook_messages, read_twice
from satukanal.models import utcnow
from tests.factories import record
from tests.meta_fakes import META_ENV, comment, delivery, message, post
from tests.web_helpers import web_app

SOURCES = """
[[sources]]
name = "ig-inbox"
type = "instagram"
streams = ["tags", "direct"]

[[sources]]
name = "ig-tags"
type = "instagram"
streams = ["tags", "comments"]

[instagram]
username = "laportuban"
"""


@pytest.fixture
def env(env, config_file):
    """Meta's webhook on, and two instagrapi sources: one reading the inbox, one not."""
    config_file.write_text(config_file.read_text() + SOURCES, encoding="utf-8")
    return env | META_ENV


@pytest.fixture
def meta(app):
    return web_app(app).test_client()


def test_a_message_by_webhook_warns_on_the_source_that_reads_the_inbox_only(app, meta, cli_run):
    assert post(meta, delivery(changes=[comment("17865799348089039", "jalan rusak")])).status_code == 200
    quiet = cli_run("sources", "check", "--offline")
    assert WARNING not in quiet.output, "comments have one id on both paths: nothing doubles"

    assert post(meta, delivery(messaging=[message("bWlkLjE=", text="air mati min")])).status_code == 200
    result = cli_run("sources", "check", "--offline")
    inbox, tags = result.output.split("ig-tags (")
    assert f"peringatan: {WARNING}" in inbox and f"yang harus dilakukan: {ADVICE}" in inbox
    assert WARNING not in tags
    assert result.exit_code == 0, "a warning, not a broken source"


def test_the_sumber_page_shows_the_warning_and_what_to_do(meta, client, login):
    post(meta, delivery(messaging=[message("bWlkLjI=", text="lampu jalan mati")]))
    login()
    page = client.get("/sumber/").get_data(as_text=True)
    assert page.count(WARNING) == 1 and ADVICE.replace('"', "&#34;") in page


def test_a_week_without_webhook_messages_ends_the_warning(app):
    now = utcnow()
    with app.sessions.begin() as session:
        note_webhook_messages(session, [record(platform="instagram", kind="dm")], now - RECENT - timedelta(minutes=1))
        assert read_twice(session, app.settings.sources, now) == frozenset()
        note_webhook_messages(session, [record(platform="instagram", kind="dm")], now - RECENT + timedelta(minutes=1))
        assert read_twice(session, app.settings.sources, now) == {"ig-inbox"}
