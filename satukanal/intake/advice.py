"""What to do about a broken source, in this application's terms.

``monitor`` says what happened and what to do at the platform (open the
Instagram app, renew keys in the X Developer Portal); it knows nothing of
this application. The steps that name our settings, environment variables
and commands are added here, by the failure's code, wherever a failure is
caught: a collection run and ``satukanal sources check``.
"""

from __future__ import annotations

from monitor import SourceBroken, SourceError
from satukanal.config.settings import (
    INSTAGRAM_PASSWORD_ENV,
    INSTAGRAM_SESSIONID_ENV,
    META_ACCESS_TOKEN_ENV,
    X_BEARER_TOKEN_ENV,
)

CHECK_COMMAND = "`satukanal sources check`"
CHECK = f"lalu jalankan {CHECK_COMMAND}"
CHECK_BUTTON = "tekan Periksa sekarang di halaman Sumber"
FRESH_SESSIONID = f"isi {INSTAGRAM_SESSIONID_ENV} dengan cookie sessionid dari peramban yang sedang login ke akun itu"
STEPS = {
    "instagram-challenge": f"{CHECK}; bila Instagram terus meminta verifikasi, {FRESH_SESSIONID}",
    "instagram-login-required": (
        f"{FRESH_SESSIONID}, atau isi {INSTAGRAM_PASSWORD_ENV} dengan kata sandi akun itu, {CHECK}"
    ),
    "instagram-restricted": (
        f"setelah pembatasan dicabut jalankan {CHECK_COMMAND}, dan perpanjang interval_minutes sumber ini"
    ),
    "instagram-account-unknown": f"periksa accounts.instagram.watched pada berkas konfigurasi, {CHECK}",
    "instagram-graph-token": f"isi {META_ACCESS_TOKEN_ENV} dengan token baru dan meta.token_expires_on, {CHECK}",
    "instagram-graph-permission": f"buat token baru dengan izin itu, isi {META_ACCESS_TOKEN_ENV}, {CHECK}",
    "x-unauthorized": f"perbarui {X_BEARER_TOKEN_ENV} atau SATUKANAL_X_*, {CHECK}",
    "x-access-tier": CHECK,
    "x-credits": CHECK,
    "x-forbidden": CHECK,
    "x-account-unknown": f"periksa accounts.x.watched atau sources[].accounts pada berkas konfigurasi, {CHECK}",
    "x-not-found": f"periksa nama akun yang dipantau (accounts.x.watched), {CHECK}",
    "x-bad-request": "periksa sources[].query pada berkas konfigurasi (sintaks pencarian X)",
}


def with_our_steps(failure: SourceError) -> SourceError:
    """``failure`` with this application's steps added to a broken source's advice (others unchanged)."""
    steps = STEPS.get(failure.code) if isinstance(failure, SourceBroken) else None
    if steps is None:
        return failure
    return SourceBroken(failure.args[0], failure.code, f"{failure.advice.rstrip('.')}, {steps}")


def in_words(advice: str) -> str:
    """Stored ``advice`` as the web app's Sumber page gives it: the check is a button there, not a command."""
    return advice.replace(f"jalankan {CHECK_COMMAND}", CHECK_BUTTON)
