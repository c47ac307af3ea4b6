"""``satukanal users``: adding staff with the password from the environment or asked twice, listing, tokens,
disabling, and one-line errors."""

import pytest

from satukanal.models import utcnow
from satukanal.users.service import LOCKOUT, MAX_FAILED_LOGINS, user_for_token
from tests.users_helpers import PASSWORD, add, audit_entries, audit_text, login


@pytest.fixture
def no_password_env(monkeypatch):
    monkeypatch.delenv("SATUKANAL_PASSWORD", raising=False)


def test_add_takes_the_password_from_the_environment(cli_run, env, app):
    env["SATUKANAL_PASSWORD"] = PASSWORD
    result = cli_run("users", "add", "Budi", "--role", "moderator")
    assert result.exit_code == 0
    assert result.stdout == "Pengguna budi (moderator) dibuat.\n"
    assert "Kata sandi" not in result.stderr
    assert login(app).user is not None
    assert audit_entries(app)[0].actor == "tester"

    agency = cli_run("users", "add", "petugas.pdam", "--role", "agency", "--agency", "pdam")
    assert agency.exit_code == 0 and agency.stdout == "Pengguna petugas.pdam (agency, pdam) dibuat.\n"


def test_add_asks_for_the_password_twice_without_echo(cli_run, app, no_password_env):
    result = cli_run(
        "users", "add", "siti", "--role", "admin", input=f"{PASSWORD}\nlain-lain-lain\n{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0
    assert result.stdout == "Pengguna siti (admin) dibuat.\n"
    assert result.stderr.count("Kata sandi:") == 2 and "Ulangi kata sandi:" in result.stderr
    assert PASSWORD not in result.output
    assert login(app, "siti").user is not None
    assert login(app, "siti", "lain-lain-lain").user is None


def test_a_bad_role_is_refused_before_the_password_is_asked(cli_run, app, no_password_env):
    result = cli_run("users", "add", "siti", "--role", "superuser")
    assert result.exit_code == 1
    assert result.stderr == "Error: peran 'superuser' tidak dikenal (pilihan: admin, moderator, agency, viewer)\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args, password, message",
    [
        (("users", "add", "x", "--role", "viewer"), PASSWORD, "nama pengguna 'x' tidak sah"),
        (("users", "add", "siti", "--role", "agency"), PASSWORD, "peran agency wajib disertai OPD"),
        (("users", "add", "siti", "--role", "agency", "--agency", "kua"), PASSWORD, "OPD 'kua' tidak dikenal"),
        (("users", "add", "siti", "--role", "viewer", "--agency", "pdam"), PASSWORD, "OPD hanya untuk peran agency"),
        (("users", "add", "siti", "--role", "viewer"), "pendek", "kata sandi minimal 10 karakter"),
        (("users", "add", "budi", "--role", "viewer"), PASSWORD, "pengguna budi sudah ada"),
        (("users", "token", "siapa"), PASSWORD, "pengguna siapa tidak ada"),
        (("users", "disable", "siapa"), PASSWORD, "pengguna siapa tidak ada"),
        (("users", "enable", "siapa"), PASSWORD, "pengguna siapa tidak ada"),
    ],
)
def test_user_errors_are_one_line_with_exit_code_1(cli_run, env, app, args, password, message):
    add(app)
    env["SATUKANAL_PASSWORD"] = password
    result = cli_run(*args)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {message}")
    assert "Traceback" not in result.output


def test_list_token_disable_and_enable(cli_run, app):
    assert cli_run("users", "list").stdout == "Belum ada pengguna.\n"
    add(app, "budi")
    add(app, "petugas.pdam", "agency", agency="pdam")
    now = utcnow()
    for _ in range(MAX_FAILED_LOGINS):
        login(app, "budi", "salah-salah", now=now)
    listing = cli_run("users", "list").stdout.splitlines()
    local_unlock = (now + LOCKOUT).astimezone(app.settings.timezone).strftime("%Y-%m-%d %H:%M")
    assert [line.split() for line in listing] == [
        ["budi", "moderator", "-", "aktif", "terkunci", "s.d.", *local_unlock.split()],
        ["petugas.pdam", "agency", "pdam", "aktif", "-"],
    ]

    issued = cli_run("users", "token", "petugas.pdam")
    assert issued.exit_code == 0
    (token,) = issued.stdout.splitlines()
    assert "hanya ditampilkan sekali" in issued.stderr and "menggantikan token sebelumnya" in issued.stderr
    assert token not in issued.stderr
    with app.sessions() as session:
        assert user_for_token(session, token).username == "petugas.pdam"

    disabled = cli_run("users", "disable", "petugas.pdam")
    assert disabled.exit_code == 0 and disabled.stdout == "Pengguna petugas.pdam dinonaktifkan.\n"
    again = cli_run("users", "disable", "petugas.pdam")
    assert again.stdout == "Pengguna petugas.pdam sudah nonaktif; tidak ada yang berubah.\n"
    assert "nonaktif" in cli_run("users", "list").stdout.splitlines()[1]
    with app.sessions() as session:
        assert user_for_token(session, token) is None
    assert cli_run("users", "enable", "petugas.pdam").stdout == "Pengguna petugas.pdam diaktifkan.\n"

    fresh = cli_run("users", "token", "petugas.pdam").stdout.strip()
    with app.sessions() as session:
        assert user_for_token(session, token) is None and user_for_token(session, fresh) is not None
    text = audit_text(app)
    assert token not in text and fresh not in text and "scrypt" not in text
