"""The SP4N-LAPOR! report lifecycle as one state model (see DOMAIN.md).

Belum Terverifikasi → Terverifikasi → Terdisposisi → Ditindaklanjuti
  → Ditanggapi → Selesai
side states: Tertunda, Bukan Wewenang, Dihapus, Diarsipkan
"""

from __future__ import annotations

import re
from enum import StrEnum


class Status(StrEnum):
    BELUM_TERVERIFIKASI = "belum_terverifikasi"
    TERVERIFIKASI = "terverifikasi"
    TERDISPOSISI = "terdisposisi"
    DITINDAKLANJUTI = "ditindaklanjuti"
    DITANGGAPI = "ditanggapi"
    SELESAI = "selesai"
    TERTUNDA = "tertunda"
    BUKAN_WEWENANG = "bukan_wewenang"
    DIHAPUS = "dihapus"
    DIARSIPKAN = "diarsipkan"

    @property
    def label(self) -> str:
        """The name as LAPOR! shows it: ``Belum Terverifikasi``."""
        return self.value.replace("_", " ").title()


INITIAL = Status.BELUM_TERVERIFIKASI
RESOLVED = frozenset({Status.SELESAI})
CLOSED = frozenset({Status.SELESAI, Status.BUKAN_WEWENANG, Status.DIHAPUS, Status.DIARSIPKAN})
REASON_REQUIRED = frozenset({Status.BUKAN_WEWENANG, Status.DIHAPUS, Status.DIARSIPKAN})
"""The steps that set a ticket aside: whoever takes one from the page, the CLI or the API writes why.

Status updates imported from LAPOR! record what already happened there and need none."""

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.BELUM_TERVERIFIKASI: frozenset(
        {Status.TERVERIFIKASI, Status.TERTUNDA, Status.BUKAN_WEWENANG, Status.DIHAPUS}
    ),
    Status.TERVERIFIKASI: frozenset({Status.TERDISPOSISI, Status.TERTUNDA, Status.BUKAN_WEWENANG, Status.DIHAPUS}),
    Status.TERDISPOSISI: frozenset({Status.DITINDAKLANJUTI, Status.TERTUNDA, Status.BUKAN_WEWENANG}),
    Status.DITINDAKLANJUTI: frozenset({Status.DITANGGAPI, Status.SELESAI, Status.TERTUNDA}),
    Status.DITANGGAPI: frozenset({Status.SELESAI, Status.DITINDAKLANJUTI}),
    Status.TERTUNDA: frozenset(
        {Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI, Status.BUKAN_WEWENANG, Status.DIHAPUS}
    ),
    Status.SELESAI: frozenset({Status.DIARSIPKAN}),
    Status.BUKAN_WEWENANG: frozenset({Status.DIARSIPKAN}),
    Status.DIHAPUS: frozenset({Status.DIARSIPKAN}),
    Status.DIARSIPKAN: frozenset(),
}


class TransitionError(ValueError):
    """A status change the lifecycle does not allow."""


def parse_status(text: str) -> Status:
    """Accept ``Terverifikasi``, ``bukan wewenang``, ``BUKAN-WEWENANG`` ...; raise ValueError otherwise."""
    key = re.sub(r"[\s-]+", "_", text.strip().lower())
    try:
        return Status(key)
    except ValueError:
        names = ", ".join(status.value for status in Status)
        raise ValueError(f"status {text!r} tidak dikenal (pilihan: {names})") from None


def check_transition(current: Status, target: Status) -> None:
    if target == current:
        raise TransitionError(f"tiket sudah berstatus {current.label}")
    allowed = TRANSITIONS[current]
    if target not in allowed:
        options = ", ".join(status.value for status in sorted(allowed)) or "tidak ada, status ini final"
        raise TransitionError(
            f"tidak bisa dari {current.label} ke {target.label} (langkah berikutnya yang boleh: {options})"
        )


def next_steps(current: Status) -> list[Status]:
    """The statuses ``current`` may move to, in the lifecycle's order (main path first, then the side states)."""
    return [status for status in Status if status in TRANSITIONS[current]]


def check_reason(target: Status, note: str | None) -> None:
    """Refuse a step into ``REASON_REQUIRED`` without a note saying why."""
    if target in REASON_REQUIRED and not (note or "").strip():
        raise TransitionError(f"tuliskan alasannya: catatan wajib untuk {target.label}")
