"""The Sumber page in words: every configured source from the start, the check as an admin's button, no commands."""

from dataclasses import replace

import pytest
from sqlalchemy import select

from monitor import SourceBroken, SourceError
from satukanal.config.sources import XMentionsConfig
from satukanal.intake.advice import with_our_steps
from satukanal.intake.health import health_by_source, record_failure, record_success
from satukanal.models import AuditEntry
from satukanal.scheduler import source_checks_job
from satukanal.users.service import add_user
from satukanal.wiring import App
from tests.factories import add_posts, record
from tests.web_helpers import PASSWORD, signed_in, token, web_app


@pytest.fixture
def sourced_app(settings):
    """The default import folder ``inbox`` and an X source without credentials, neither run yet."""
    x = XMentionsConfig(name="x-mentions", type="x_mentions", interval_minutes=10)
    application = App(replace(settings, sources=(*settings.sources, x)))
    with application.sessions.begin() as session:
        add_user(session, application.settings, "admin1", "admin", PASSWORD, "test")
        add_user(session, application.settings, "moderator1", "moderator", PASSWORD, "test")
    yield application
    application.close()


@pytest.fixture
def web(sourced_app):
    return web_app(sourced_app)


def main_part(page: str) -> str:
    return page.split("<main>")[1]


def test_sources_are_listed_before_their_first_run_with_unscheduled_posts_apart(web, sourced_app):
    add_posts(sourced_app, record(id="1"), record(id="2"))  # the factories' posts come from outside the schedule
    page = signed_in(web, "moderator1").get("/sumber/").get_data(as_text=True)
    assert page.count("Belum pernah dijalankan") == 2
    assert "Sebutan akun X (Twitter), tiap 10 menit" in page and "Folder impor, tiap" in page
    assert "Unggahan dari sumber tanpa jadwal" in page
    assert "Periksa sekarang" not in page, "the check is an admin's"
    assert "satukanal" not in main_part(page)


def test_an_admin_checks_the_sources_and_the_result_is_flashed_recorded_and_shown(web, sourced_app):
    moderator = signed_in(web, "moderator1")
    listing = moderator.get("/sumber/").get_data(as_text=True)
    assert moderator.post("/sumber/periksa", data={"csrf_token": token(listing)}).status_code == 403

    admin = signed_in(web, "admin1")
    page = admin.get("/sumber/").get_data(as_text=True)
    assert admin.post("/sumber/periksa").status_code == 400, "no CSRF token, no check"
    checked = admin.post("/sumber/periksa", data={"csrf_token": token(page)}, follow_redirects=True)
    text = checked.get_data(as_text=True)
    assert "Diperiksa 1 folder impor; semuanya baik." in text
    assert "x-mentions diperiksa penjadwal dalam satu menit" in text, "X is not called from the web server"
    assert "Pemeriksaan diminta baru saja" in text
    with sourced_app.sessions() as session:
        health = health_by_source(session)
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "sources.check"))
    assert health["x-mentions"].check_requested_at is not None and health["x-mentions"].state == "ok"
    assert entry.actor == "admin1"
    assert entry.after == {"checked": ["inbox"], "requested": ["x-mentions"], "troubled": []}

    source_checks_job(sourced_app)

    shown = admin.get("/sumber/").get_data(as_text=True)
    assert "Rusak: perlu tindakan" in shown and "kunci X untuk membaca belum diatur" in shown
    assert "Pemeriksaan diminta" not in shown
    with sourced_app.sessions() as session:
        health = health_by_source(session)
    assert health["x-mentions"].state == "broken" and health["x-mentions"].check_requested_at is None
    log = admin.get("/audit/?aksi=sources.").get_data(as_text=True)
    assert "Sumber diperiksa" in log and "<strong>Diminta ke penjadwal:</strong>" in log


def test_each_state_is_explained_in_words_and_advice_names_the_button_not_a_command(web, sourced_app):
    broken = SourceBroken("X menolak kredensial", "x-unauthorized", "Buat ulang kunci di X Developer Portal")
    with sourced_app.sessions.begin() as session:
        record_success(session, "inbox", 4)
        record_failure(session, "x-mentions", with_our_steps(broken))
        stored_advice = health_by_source(session)["x-mentions"].advice
    assert "`satukanal sources check`" in stored_advice, "the command line keeps its command"
    page = signed_in(web, "moderator1").get("/sumber/").get_data(as_text=True)
    assert "Berjalan normal, terakhir berhasil baru saja (4 unggahan baru)" in page
    assert "Sebab: X menolak kredensial" in page
    assert "tekan Periksa sekarang di halaman Sumber" in page and "satukanal" not in main_part(page)

    with sourced_app.sessions.begin() as session:
        record_success(session, "x-mentions", 1)
        record_failure(session, "x-mentions", SourceError("X sedang gangguan (503)"))
    page = signed_in(web, "moderator1").get("/sumber/").get_data(as_text=True)
    assert "Gagal sementara, dicoba lagi" in page and "Tidak perlu tindakan." in page
