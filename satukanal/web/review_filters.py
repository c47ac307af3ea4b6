"""The queue's filter bar read from the query string: what to show, and a message for each value that is wrong.

A wrong value never loses the page: the queue is shown without that filter,
at status 400, with the message beside the field and in a summary above the
form (as the GOV.UK Design System asks of a form with an error). The bar
shows search and the three filters used most; the others sit behind
"Filter lain" (``MORE``), which opens when one of them is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from satukanal.config.settings import Settings
from satukanal.review.service import QueueFilters
from satukanal.tuban import KECAMATAN
from satukanal.web.dates import requested_period
from satukanal.web.labels import platform_label
from satukanal.web.paging import PAGE_PARAMETER

FLAG_STATUSES = {
    "ditandai": ("Ditandai model", True),
    "tidak_ditandai": ("Tidak ditandai (cari yang terlewat)", False),
    "semua": ("Semua", None),
}
"""The queue's status filter: label, and which posts by the model's flag."""
ORDERS = {"newest": "Terbaru dulu", "uncertain": "Paling ragu dulu"}
PLATFORMS = ("x", "instagram")
HOLDERS = {"saya": "Milik saya", "bebas": "Belum dipegang"}
"""``milik=``: the posts the moderator holds, or those nobody holds."""
DECISIONS = {"semua": "any", "dikonfirmasi": "confirm", "ditolak": "reject"}
"""``keputusan=``: every post whatever its decision, or the posts confirmed, or rejected, with
``diputuskan_dari``/``diputuskan_sampai`` bounding the day of that decision; without it, the posts waiting for one.
The dashboard's tiles link here (the same definitions as its figures); the filter bar does not offer it."""
MORE = ("urutan", "milik", "platform", "akun", "skor_min", "skor_max", "dari", "sampai", "opd")
"""The filters behind "Filter lain"; search, status, category and kecamatan stay in view."""
QUERY_KEYS = (
    "q",
    "urutan",
    "milik",
    "status",
    "platform",
    "akun",
    "skor_min",
    "skor_max",
    "dari",
    "sampai",
    "kategori",
    "opd",
    "kecamatan",
    "keputusan",
    "diputuskan_dari",
    "diputuskan_sampai",
    PAGE_PARAMETER,
)
"""The queue's own query parameters, in the order its links write them."""
SHOWN_VALUE = 40
"""A wrong value is quoted in its message up to this many characters."""


@dataclass(frozen=True)
class QueueRequest:
    order: str
    flag_status: str
    filters: QueueFilters
    errors: dict[str, str] = field(default_factory=dict)
    """Field name to the message shown beside it."""
    more_open: bool = False
    """Whether "Filter lain" starts open: one of its filters is set or wrong."""
    narrowing: int = 0
    """How many filters narrow the view beyond the default (search aside): the count on the Filter button."""

    @property
    def flagged(self) -> bool | None:
        return FLAG_STATUSES[self.flag_status][1]


def requested_queue(args: Mapping[str, str], settings: Settings, user_id: int) -> QueueRequest:
    """What the query string asks the queue to show ``user_id``; each wrong value is left out and named in
    ``errors``."""
    errors: dict[str, str] = {}

    def chosen(name: str, allowed, default: str | None, what: str, offered: str) -> str | None:
        value = args.get(name, "")
        if not value:
            return default
        if value in allowed:
            return value
        errors[name] = f"{what} {_quoted(value)} tidak dikenal; pilih {offered}."
        return default

    order = chosen("urutan", ORDERS, "newest", "Urutan", " atau ".join(ORDERS.values()))
    flag_status = chosen("status", FLAG_STATUSES, "ditandai", "Status", _listed(v[0] for v in FLAG_STATUSES.values()))
    held = chosen("milik", HOLDERS, None, "Pemegang", " atau ".join(HOLDERS.values()))
    platform = chosen("platform", PLATFORMS, None, "Platform", " atau ".join(map(platform_label, PLATFORMS)))
    category = chosen("kategori", settings.categories, None, "Kategori", "salah satu dari daftar")
    agency = chosen("opd", settings.agencies, None, "OPD", "salah satu dari daftar")
    kecamatan = chosen("kecamatan", KECAMATAN, None, "Kecamatan", "salah satu kecamatan di Tuban")
    low, high = (
        _score(args, name, label, errors) for name, label in (("skor_min", "terendah"), ("skor_max", "tertinggi"))
    )
    if low is not None and high is not None and low > high:
        errors["skor_max"] = "Skor tertinggi lebih kecil dari skor terendah; tukar keduanya."
        low = high = None
    period = requested_period(args)
    errors.update(period.errors)
    decision = chosen("keputusan", DECISIONS, None, "Keputusan", _listed(DECISIONS))
    decided = requested_period({end: args.get(f"diputuskan_{end}", "") for end in ("dari", "sampai")})
    errors.update({f"diputuskan_{end}": f"Keputusan: {message}" for end, message in decided.errors.items()})
    if (decided.since or decided.until) and decision not in ("dikonfirmasi", "ditolak"):
        errors["keputusan"] = "Tanggal keputusan hanya berlaku dengan keputusan dikonfirmasi atau ditolak."
    since, until = period.moments(settings.timezone)
    decided_since, decided_until = decided.moments(settings.timezone)
    filters = QueueFilters(
        platform=platform,
        account=(args.get("akun") or "").strip()[:64] or None,
        min_score=low,
        max_score=high,
        since=since,
        until=until,
        category=category,
        agency=agency,
        kecamatan=kecamatan,
        search=(args.get("q") or "").strip()[:100] or None,
        held_by=user_id if held == "saya" else None,
        unheld=held == "bebas",
        decision=DECISIONS.get(decision or ""),
        decided_since=decided_since,
        decided_until=decided_until,
    )
    more_open = (
        any(args.get(name) for name in MORE if name != "urutan")
        or order != "newest"
        or any(name in MORE for name in errors)
    )
    narrowing = (
        sum(bool(args.get(name)) for name in QUERY_KEYS if name not in ("q", "status", "urutan", PAGE_PARAMETER))
        + (flag_status != "ditandai")
        + (order != "newest")
    )
    return QueueRequest(order, flag_status, filters, errors, more_open, narrowing)


def _score(args: Mapping[str, str], name: str, label: str, errors: dict[str, str]) -> float | None:
    text = args.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = None
    if value is None or not 0 <= value <= 1:
        errors[name] = f"Skor {label} {_quoted(text)} tidak sah: tulis angka antara 0 dan 1, misalnya 0.5."
        return None
    return value


def _quoted(value: str) -> str:
    shown = value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"
    return f"“{shown}”"


def _listed(items) -> str:
    *rest, last = list(items)
    return f"{', '.join(rest)} atau {last}" if rest else last
