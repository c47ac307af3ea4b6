"""``satukanal notifications``: set how a user is told, try their address, send what waits."""

from __future__ import annotations

import pytest

from satukanal.users.service import add_user, get_user
from tests.factories import COMPLAINT, add_posts, record
from tests.mail_server import body, free_port, smtp_server
from tests.web_helpers import PASSWORD


@pytest.fixture
def mailbox(env):
    with smtp_server() as server:
        env["SATUKANAL_SMTP_URL"] = server.url
        yield server


@pytest.fixture
def liaison(app):
    with app.sessions.begin() as session:
        add_user(session, app.settings, "liaison-pdam", "agency", PASSWORD, "test", agency="pdam")


def test_set_test_and_send(cli_run, app, liaison, mailbox):
    changed = cli_run("notifications", "set", "liaison-pdam", "--email", "pdam@tuban.test", "--mode", "each")
    assert changed.exit_code == 0 and "pdam@tuban.test, setiap ada kejadian" in changed.output
    assert "Tidak ada yang berubah" in cli_run("notifications", "set", "liaison-pdam", "--mode", "each").output

    tried = cli_run("notifications", "test", "liaison-pdam")
    assert tried.exit_code == 0 and "Pesan uji terkirim ke 1 alamat" in tried.output
    assert mailbox.to("pdam@tuban.test")[0]["Subject"] == "SatuKanal: uji pemberitahuan"

    (post_id,) = add_posts(app, record(text=COMPLAINT))
    assert cli_run("review", "confirm", str(post_id)).exit_code == 0
    sent = cli_run("notifications", "send")
    assert sent.exit_code == 0 and "terkirim: 1; gagal: 0" in sent.output
    assert "Tiket baru untuk OPD" in mailbox.to("pdam@tuban.test")[1]["Subject"]
    assert "TBN-" in body(mailbox.to("pdam@tuban.test")[1])


def test_a_bad_address_or_mode_is_refused_in_one_line(cli_run, app, liaison):
    bad = cli_run("notifications", "set", "liaison-pdam", "--email", "bukan alamat")
    assert bad.exit_code == 1 and "alamat e-mail tidak valid" in bad.output and "Traceback" not in bad.output
    assert cli_run("notifications", "set", "liaison-pdam", "--mode", "kadang").exit_code == 2
    with app.sessions() as session:
        assert get_user(session, "liaison-pdam").email is None


def test_without_an_address_the_test_says_what_to_set(cli_run, liaison):
    answer = cli_run("notifications", "test", "liaison-pdam")
    assert answer.exit_code == 1 and "tidak punya alamat" in answer.output


def test_a_mail_server_that_is_down_fails_the_send_with_exit_1(cli_run, env, app, liaison):
    env["SATUKANAL_SMTP_URL"] = f"mailto://u:rahasia@127.0.0.1:{free_port()}?from=a@tuban.test&mode=insecure"
    cli_run("notifications", "set", "liaison-pdam", "--email", "pdam@tuban.test")
    (post_id,) = add_posts(app, record(text=COMPLAINT))
    cli_run("review", "confirm", str(post_id))
    failed = cli_run("notifications", "send")
    assert failed.exit_code == 1 and "gagal: 1" in failed.output and "rahasia" not in failed.output
    tried = cli_run("notifications", "test", "liaison-pdam")
    assert tried.exit_code == 1 and "tidak terkirim" in tried.output and "rahasia" not in tried.output


def test_an_unreadable_notification_file_is_one_line(cli_run, config_file, tmp_path, liaison):
    bad = tmp_path / "notify.toml"
    bad.write_text("[users\n", encoding="utf-8")
    config_file.write_text(config_file.read_text() + f'\n[notifications]\nurls_file = "{bad}"\n', encoding="utf-8")
    answer = cli_run("notifications", "send")
    assert answer.exit_code == 1 and "berkas notifikasi tidak dapat dibaca" in answer.output
