"""The Sumber page and the warning on every page: a broken source is seen in the web app."""

from dataclasses import replace
from datetime import timedelta

import pytest

from monitor import SourceBroken
from satukanal.config.sources import XMentionsConfig
from satukanal.intake.health import record_failure, record_success
from satukanal.models import utcnow
from satukanal.users.service import add_user
from satukanal.wiring import App
from tests.web_helpers import PASSWORD, web_app

HOSTILE_ERROR = '<script>alert("x")</script> X menolak kredensial'


@pytest.fixture
def sourced_app(settings):
    x = XMentionsConfig(name="x-mentions", type="x_mentions", interval_minutes=10)
    application = App(replace(settings, sources=(*settings.sources, x)))
    with application.sessions.begin() as session:
        add_user(session, application.settings, "moderator1", "moderator", PASSWORD, "test")
        add_user(session, application.settings, "pdam", "agency", PASSWORD, "test", agency="pdam")
    yield application
    application.close()


@pytest.fixture
def web(sourced_app):
    """Stands in for conftest's ``web`` here: the app with an X source too, a moderator and a PDAM liaison."""
    return web_app(sourced_app)


def test_a_broken_source_is_shown_with_its_cause_and_advice_on_the_sources_page(sourced_app, client, login):
    login()
    with sourced_app.sessions.begin() as session:
        record_success(session, "inbox", 3)
        failure = SourceBroken(HOSTILE_ERROR, "x-unauthorized", "Buat ulang kunci di X Developer Portal")
        record_failure(session, "x-mentions", failure)
    page = client.get("/sumber/").get_data(as_text=True)
    assert "Rusak: perlu tindakan" in page and "Berjalan normal, terakhir berhasil baru saja (3 unggahan baru)" in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; X menolak kredensial" in page
    assert "<script>alert" not in page
    assert "Yang harus dilakukan:</strong> Buat ulang kunci di X Developer Portal" in page
    assert "satukanal" not in page.split("<main>")[1], "no command for staff to run"
    queue = client.get("/antrean/").get_data(as_text=True)
    assert "Pengumpulan bermasalah: x-mentions." in queue


def test_a_stale_source_warns_and_a_healthy_one_does_not(sourced_app, client, login):
    login()
    interval = timedelta(minutes=10 * sourced_app.settings.collect.stale_after_intervals + 1)
    with sourced_app.sessions.begin() as session:
        record_success(session, "inbox", 0)
        record_success(session, "x-mentions", 5, now=utcnow() - interval)
    page = client.get("/antrean/").get_data(as_text=True)
    assert "Pengumpulan bermasalah: x-mentions." in page
    sources = client.get("/sumber/").get_data(as_text=True)
    assert "Tertinggal: terakhir berhasil " in sources and "padahal dijadwalkan tiap 10 menit" in sources
    assert "satukanal" not in sources.split("<main>")[1], "no command for staff to run"

    with sourced_app.sessions.begin() as session:
        record_success(session, "x-mentions", 1)
    assert "Pengumpulan bermasalah" not in client.get("/antrean/").get_data(as_text=True)


def test_agency_liaisons_do_not_see_the_sources(client, login):
    login("pdam")
    assert client.get("/sumber/").status_code == 403
