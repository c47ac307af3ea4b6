"""A logged-in Instagram client for the office account, its session kept on disk between runs.

Instagram treats password logins from a new place as suspicious and answers them with
challenges, so the session (cookies, authorization, device identity) is saved after every
start and reused on the next one. The password or a ``sessionid`` copied from a browser is
needed only when there is no saved session or Instagram refuses it. Credentials are passed
in by the caller; nothing here reads the environment.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import requests
from instagrapi import Client
from instagrapi.exceptions import BadCredentials, BadPassword, ClientError, LoginRequired, TwoFactorRequired

from monitor.instagram_errors import Kind, classify
from satukanal.config.settings import INSTAGRAM_PASSWORD_ENV, INSTAGRAM_SESSIONID_ENV, Settings
from satukanal.platforms.timeouts import REQUEST_TIMEOUT_SECONDS, TimeoutAdapter

FRESH_LOGIN = f"isi {INSTAGRAM_SESSIONID_ENV} dengan cookie sessionid dari peramban yang sedang login ke akun itu"


class InstagramLoginError(Exception):
    """Logging in to Instagram failed; the message says what to do and never contains a secret."""


def instagram_client(
    session_file: Path,
    username: str,
    password: str | None = None,
    sessionid: str | None = None,
    delay_seconds: tuple[float, float] = (1, 3),
    transport_retries: int = 0,
) -> Client:
    """A client logged in as ``username``, its session saved to ``session_file`` (mode 0600).

    Tries the saved session first, then ``sessionid``, then ``password``. ``delay_seconds`` is
    the range of the random pause before each request to Instagram. ``transport_retries``:
    instagrapi re-sends a request that got 429/5xx by itself, POSTs included, so a post that
    Instagram created but answered with a 5xx would go out twice; publishing keeps it at 0
    and leaves retrying to the ledger, which looks at the account first.
    """
    saved = session_file.exists()
    if not (saved or password or sessionid):
        raise InstagramLoginError(
            f"belum ada sesi Instagram tersimpan di {session_file}: untuk masuk pertama kali isi "
            f"{INSTAGRAM_PASSWORD_ENV} dengan kata sandi akun {username}, atau {FRESH_LOGIN}"
        )
    client = Client(delay_range=list(delay_seconds), session_retry_total=transport_retries)
    # instagrapi sets no timeout (its request_timeout is a pause): a stalled connection would hang the job.
    for session in (client.private, client.public):
        session.mount("https://", TimeoutAdapter(REQUEST_TIMEOUT_SECONDS, max_retries=transport_retries))
    client.handle_exception = _reraise
    try:
        if not (saved and _resumed(client, session_file, username)):
            _log_in(client, username, password, sessionid, session_file)
    except (ClientError, requests.RequestException) as exc:
        raise InstagramLoginError(_advice(exc, username)) from None
    if not _same_account(client.username, username):
        raise InstagramLoginError(
            f"sessionid itu milik akun {client.username}, bukan {username}: salin sessionid dari peramban yang "
            f"login sebagai {username}, atau perbaiki instagram.username di berkas konfigurasi"
        )
    _save(client, session_file)
    return client


def office_client(settings: Settings) -> Client:
    """The client for ``instagram.username`` from the settings' session file and login (``InstagramLoginError``)."""
    account = settings.instagram
    return instagram_client(
        account.session_file,
        account.username,
        password=settings.instagram_login.password,
        sessionid=settings.instagram_login.sessionid,
        delay_seconds=account.request_delay_seconds,
    )


def _reraise(client: Client, exc: Exception) -> None:
    """instagrapi's ``handle_exception`` hook. Raising stops it from answering a challenge itself,
    which would wait for a code typed on stdin: an unattended job must fail with advice instead."""
    raise exc


def _resumed(client: Client, session_file: Path, username: str) -> bool:
    """Whether the saved session still works for ``username``; Instagram is asked once (``accounts/current_user``)."""
    try:
        client.load_settings(session_file)
    except (OSError, ValueError):
        raise InstagramLoginError(
            f"berkas sesi Instagram {session_file} tidak dapat dibaca: hapus berkas itu lalu login ulang "
            f"dengan {INSTAGRAM_PASSWORD_ENV} atau {INSTAGRAM_SESSIONID_ENV}"
        ) from None
    try:
        client.username = client.account_info().username
    except LoginRequired:
        return False
    return _same_account(client.username, username)


def _log_in(client: Client, username: str, password: str | None, sessionid: str | None, session_file: Path) -> None:
    if sessionid:
        try:
            client.login_by_sessionid(sessionid)
        except AssertionError:
            raise InstagramLoginError(
                f"{INSTAGRAM_SESSIONID_ENV} bukan sessionid yang sah: salin nilai cookie sessionid (diawali "
                "angka ID akun) dari peramban yang sedang login ke Instagram"
            ) from None
    elif password:
        # relogin=True drops a refused saved session instead of asking Instagram about it again.
        client.login(username, password, relogin=True)
    else:
        raise InstagramLoginError(
            f"sesi tersimpan di {session_file} tidak berlaku lagi untuk akun {username}: login ulang dengan "
            f"{INSTAGRAM_PASSWORD_ENV} (kata sandi akun itu), atau {FRESH_LOGIN}"
        )


def _advice(exc: Exception, username: str) -> str:
    """What a failed login means (``monitor.instagram_errors``), worded for whoever runs the command."""
    kind = classify(exc).kind
    if kind is Kind.CHALLENGE:
        return (
            f"Instagram meminta verifikasi untuk akun {username}: buka aplikasi Instagram di ponsel yang biasa "
            f"dipakai akun ini, konfirmasi bahwa login itu dari Anda, lalu jalankan ulang; bila masih diminta, "
            f"{FRESH_LOGIN}"
        )
    if isinstance(exc, TwoFactorRequired):
        return f"akun {username} memakai verifikasi dua langkah yang tidak dapat diisi di sini: {FRESH_LOGIN}"
    if isinstance(exc, (BadPassword, BadCredentials)):
        return (
            f"Instagram menolak login akun {username} dengan kata sandi itu (bisa juga karena alamat IP atau "
            f"perangkat ini dicurigai): periksa {INSTAGRAM_PASSWORD_ENV}, atau {FRESH_LOGIN}"
        )
    if kind is Kind.LOGIN:
        return f"Instagram menolak sesi akun {username}: {FRESH_LOGIN}, atau login dengan {INSTAGRAM_PASSWORD_ENV}"
    if kind is Kind.RESTRICTED:
        return (
            f"Instagram membatasi akun {username}: buka aplikasi Instagram, baca pemberitahuannya, lalu jalankan ulang"
        )
    if kind is Kind.RATE_LIMITED:
        return "Instagram meminta jeda: coba login lagi beberapa menit lagi"
    return f"login Instagram untuk akun {username} gagal ({type(exc).__name__}): periksa koneksi lalu coba lagi"


def _same_account(actual: str | None, wanted: str) -> bool:
    """Instagram answers with the bare handle; the configured one may carry an "@" or capitals."""
    return (actual or "").lower() == wanted.strip().lstrip("@").lower()


def _save(client: Client, session_file: Path) -> None:
    """Replace the session file atomically, readable by its owner only: it is as good as the password."""
    session_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=session_file.parent, prefix=f".{session_file.name}.")
    os.close(descriptor)  # mkstemp created the file with mode 0600; dump_settings rewrites it in place
    try:
        client.dump_settings(temporary)
        os.replace(temporary, session_file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
