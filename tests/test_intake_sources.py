"""Sources in operation: `satukanal sources check`, `satukanal collect`, and the scheduler's alarms."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner
from sqlalchemy import select

from satukanal.cli import cli
from satukanal.config.settings import X_BEARER_TOKEN_ENV
from satukanal.config.sources import XMentionsConfig
from satukanal.intake.models import SourceHealth
from satukanal.models import Post, utcnow
from satukanal.scheduler import collect_job
from satukanal.wiring import App
from tests import instagram_fakes as fake
from tests.factories import row, write_jsonl
from tests.x_wire import BEARER, credits_depleted, not_enrolled_453, unauthorized

X_SOURCE = '\n[[sources]]\nname = "x-mentions"\ntype = "x_mentions"\ninterval_minutes = 10\n'
INBOX_SOURCE = '\n[[sources]]\nname = "inbox"\ntype = "import_folder"\npath = "{path}"\n'


@pytest.fixture
def x_env(env, config_file: Path, tmp_path: Path) -> dict[str, str]:
    """The test configuration with an X mentions source and an import folder, and a bearer token."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    config_file.write_text(config_file.read_text() + X_SOURCE + INBOX_SOURCE.format(path=inbox), encoding="utf-8")
    return env | {X_BEARER_TOKEN_ENV: BEARER}


pytestmark = pytest.mark.usefixtures("recorded_mentions")


def run(environment: dict[str, str], *args: str):
    return CliRunner().invoke(cli, list(args), env=environment, catch_exceptions=False)


def test_check_names_an_access_tier_that_may_not_read_mentions_and_exits_non_zero(x_env, x):
    x.fail_next(not_enrolled_453(), after=1)
    result = run(x_env, "sources", "check")
    assert result.exit_code == 1
    assert "x-mentions (x_mentions, tiap 10 menit): BERMASALAH" in result.output
    assert "akses aplikasi tidak mencakup endpoint ini" in result.output
    assert "yang harus dilakukan: Tingkat akses aplikasi X ini tidak boleh membaca mention" in result.output
    assert "inbox (import_folder, tiap 15 menit): baik" in result.output
    assert BEARER not in result.output


def test_exhausted_x_credits_stop_the_source_as_kredit_habis_in_the_check_and_on_the_page(x_env, x, client, login):
    x.fail_next(credits_depleted(), after=1)
    collected = run(x_env, "collect", "--source", "x-mentions")
    assert "kredit habis" in collected.output
    x.fail_next(credits_depleted(), after=1)
    result = run(x_env, "sources", "check")
    assert result.exit_code == 1 and "kredit habis" in result.output
    assert "Isi ulang kredit" in result.output, "what to do"
    login()
    page = client.get("/sumber/").get_data(as_text=True)
    assert "Kredit habis" in page, "a state of its own, not just Rusak"


def test_check_passes_with_account_ids_and_last_success_after_a_collection(x_env, x):
    collected = run(x_env, "collect", "--source", "x-mentions")
    assert collected.exit_code == 0, collected.output
    assert "x-mentions: 10 baru, 0 sudah tersimpan, 0 rusak" in collected.output

    result = run(x_env, "sources", "check")
    assert result.exit_code == 0, result.output
    assert "x-mentions (x_mentions, tiap 10 menit): baik" in result.output
    assert "akun @laportuban: id 783214" in result.output
    assert "mention @laportuban dapat dibaca (id akun 783214)" in result.output
    assert "terakhir berhasil: " in result.output and "(10 baru)" in result.output
    assert [params["max_results"] for params in x.params("mentions")][-1] == "5", "the check reads one small page"


def test_check_offline_asks_no_platform_and_reports_missing_credentials(env, config_file: Path):
    config_file.write_text(config_file.read_text() + X_SOURCE, encoding="utf-8")
    with responses.RequestsMock() as mock:
        collected = run(env, "collect")
        result = run(env, "sources", "check", "--offline")
        assert len(mock.calls) == 0
    assert collected.exit_code == 1
    assert "x-mentions: berhenti: kunci X untuk membaca belum diatur" in collected.output
    assert result.exit_code == 1
    assert "kredensial: belum diatur" in result.output
    assert "yang harus dilakukan: Isi SATUKANAL_X_BEARER_TOKEN" in result.output


def test_a_broken_source_does_not_stop_the_others(x_env, x, tmp_path: Path):
    write_jsonl(tmp_path / "inbox" / "wa.jsonl", [row(id="wa-1", platform="whatsapp", kind="dm")])
    x.fail_next(not_enrolled_453(), after=1)
    result = run(x_env, "collect")
    assert result.exit_code == 1
    assert "x-mentions: berhenti: X menolak membaca mention @laportuban (HTTP 403" in result.output
    assert "inbox: 1 baru" in result.output
    assert "1 sumber gagal" in result.output


@pytest.fixture
def x_app(settings):
    config = XMentionsConfig(name="x-mentions", type="x_mentions", interval_minutes=10)
    application = App(replace(settings, sources=(config,), x_bearer_token=BEARER))
    yield application
    application.close()


def test_the_scheduler_raises_one_alarm_per_incident_and_spares_a_broken_source(x_app, x, caplog):
    caplog.set_level(logging.DEBUG, logger="satukanal.scheduler")
    (source,) = x_app.sources()
    x.fail_next(unauthorized())
    collect_job(x_app, source)
    requests_after_first = len(x.mock.calls)
    collect_job(x_app, source)
    assert len(x.mock.calls) == requests_after_first, "a broken source waits collect.broken_retry_minutes"

    later = utcnow() + timedelta(minutes=x_app.settings.collect.broken_retry_minutes + 1)
    x.fail_next(unauthorized())
    collect_job(x_app, source, now=later)
    alarms = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(alarms) == 1 and "source x-mentions is broken and stopped" in alarms[0].getMessage()
    assert "X menolak kredensial" in alarms[0].getMessage()

    collect_job(x_app, source, now=later + timedelta(hours=2))
    assert "x-mentions works again after x-unauthorized" in caplog.text
    with x_app.sessions() as session:
        health = session.scalar(select(SourceHealth))
        assert session.query(Post).count() == 10
    assert (health.state, health.error_code, health.alarm_logged) == ("ok", None, False)


def test_the_most_verbose_logging_never_shows_the_bearer_token(x_env, x, caplog):
    caplog.set_level(logging.DEBUG)
    result = run(x_env, "-vv", "collect", "--source", "x-mentions")
    assert result.exit_code == 0
    assert "x-mentions: 10 baru" in result.output
    assert "Making API request" not in caplog.text, "tweepy's debug lines carry the request headers"
    assert BEARER not in caplog.text and BEARER not in result.output


def test_check_names_an_instagram_challenge_and_what_to_do(env, config_file: Path, tmp_path: Path, instagram):
    session_file = tmp_path / "rahasia" / "instagram-session.json"
    session_file.parent.mkdir()
    fake.write_saved_session(session_file)
    config_file.write_text(
        config_file.read_text()
        + '\n[[sources]]\nname = "instagram"\ntype = "instagram"\nstreams = ["tags"]\n'
        + f'\n[instagram]\nusername = "{fake.USERNAME}"\nsession_file = "{session_file}"\n'
        + "request_delay_seconds = [0.0, 0.0]\n"
        + f'\n[accounts.instagram]\nwatched = ["{fake.USERNAME}"]\n',
        encoding="utf-8",
    )
    instagram.session_accepted()
    instagram.reply("GET", fake.TAGS, fake.challenge(), status=400)
    result = run(env, "sources", "check")
    assert instagram.challenge_calls() == []
    assert result.exit_code == 1
    assert "instagram (instagram, tiap 15 menit): BERMASALAH" in result.output
    assert "masalah: Instagram meminta verifikasi akun" in result.output
    assert "yang harus dilakukan: Buka aplikasi Instagram di ponsel" in result.output
