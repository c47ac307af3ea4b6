"""Reference data of Kabupaten Tuban used across the application."""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib.resources import files
from typing import NamedTuple

KECAMATAN = (
    "Bancar",
    "Bangilan",
    "Grabagan",
    "Jatirogo",
    "Jenu",
    "Kenduruan",
    "Kerek",
    "Merakurak",
    "Montong",
    "Palang",
    "Parengan",
    "Plumpang",
    "Rengel",
    "Semanding",
    "Senori",
    "Singgahan",
    "Soko",
    "Tambakboyo",
    "Tuban",
    "Widang",
)

CATEGORY_LABELS = {
    "jalan_jembatan": "Jalan dan jembatan",
    "drainase": "Saluran air dan genangan",
    "penerangan_jalan": "Lampu penerangan jalan",
    "sampah": "Sampah dan lingkungan",
    "parkir_lalu_lintas": "Parkir dan lalu lintas",
    "bansos": "Bantuan sosial",
    "adminduk": "Administrasi kependudukan",
    "pendidikan": "Pendidikan",
    "kesehatan": "Layanan kesehatan",
    "air_minum": "Air bersih PDAM",
    "ketertiban": "Ketertiban umum",
    "bencana": "Bencana",
    "lainnya": "Lainnya",
}

_OTHER_KECAMATAN = re.compile(r"\b(" + "|".join(name for name in KECAMATAN if name != "Tuban") + r")\b", re.IGNORECASE)
# "Tuban" alone names the whole regency; only an explicit kecamatan or town means the district.
_TUBAN_DISTRICT = re.compile(r"\b(?:kec(?:amatan)?\.?|kota)\s+tuban\b", re.IGNORECASE)


def category_label(category: str | None) -> str:
    """The Indonesian name of a category for people; unknown slugs are shown readable."""
    category = category or "lainnya"
    return CATEGORY_LABELS.get(category, category.replace("_", " ").capitalize())


def find_kecamatan(text: str) -> str | None:
    """The first kecamatan a text names, or None."""
    match = _OTHER_KECAMATAN.search(text)
    if match:
        return match.group(1).title()
    return "Tuban" if _TUBAN_DISTRICT.search(text) else None


class Village(NamedTuple):
    """A desa or kelurahan of Kabupaten Tuban; ``kecamatan`` is None when the name is ambiguous."""

    name: str
    kecamatan: str | None
    kelurahan: bool = False

    @property
    def label(self) -> str:
        """``Desa Maindu`` or ``Kelurahan Perbon``."""
        return f"{'Kelurahan' if self.kelurahan else 'Desa'} {self.name}"


# Desa names that are also everyday words or well-known places elsewhere: recognised only after a prefix.
_COMMON_NAMES = frozenset(
    """
    banjar brangkal bringin cangkring dagangan gemulung karang karangasem klotok magersari mojoagung
    pacing padasan penambangan purworejo rahayu sawahan sendang siding sukoharjo sukolilo sumber sumberan
    tawaran wangun wonosari
    """.split()
)
_KECAMATAN_KEYS = frozenset(name.lower() for name in KECAMATAN)
_DISTINCT_LENGTH = 6
"""Shorter names (Jati, Gaji, Boto, Simo, Wangi...) count only after a prefix."""
_VILLAGE_PREFIX = r"(?P<prefix>\b(?:desa|ds|kelurahan|kel)\b\.?\s*)?"
_DIRECTION = re.compile(r"\s*(kulon|wetan|lor|kidul)$", re.IGNORECASE)


def _key(name: str) -> str:
    return re.sub(r"[\s-]+", "", name).lower()


@cache
def villages() -> dict[str, tuple[Village, ...]]:
    """Tuban's 328 desa and kelurahan (``data/tuban_desa.csv``, see ``data/NOTICE.md``) by name key."""
    found: dict[str, list[Village]] = {}
    with files("satukanal").joinpath("data/tuban_desa.csv").open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            village = Village(row["nama"], row["kecamatan"], row["jenis"] == "kelurahan")
            found.setdefault(_key(village.name), []).append(village)
    return {key: tuple(items) for key, items in found.items()}


@cache
def _village_pattern() -> re.Pattern[str]:
    """Any desa name, with an optional ``Desa``/``Ds.``/``Kelurahan``/``Kel.`` before it.

    Compass suffixes may be written apart or together (``Wanglukulon``, ``Leran Kulon``, ``Lajo-Kidul``).
    """
    names = {items[0].name for items in villages().values()}
    pieces = []
    for name in sorted(names, key=len, reverse=True):
        base = _DIRECTION.sub("", name)
        suffix = name[len(base) :].strip()
        piece = r"[\s-]?".join(re.escape(part) for part in base.split())
        pieces.append(piece + (r"[\s-]?" + re.escape(suffix) if suffix else ""))
    return re.compile(_VILLAGE_PREFIX + r"(?<![\w-])(?P<name>" + "|".join(pieces) + r")(?![\w-])", re.IGNORECASE)


def _distinct(key: str) -> bool:
    """Whether a name is recognisable without a prefix: long enough, not a word, not a kecamatan's name."""
    return len(key) >= _DISTINCT_LENGTH and key not in _COMMON_NAMES and key not in _KECAMATAN_KEYS


def find_desa(text: str, kecamatan: str | None = None) -> Village | None:
    """The desa or kelurahan a text names, or None.

    A name counts after ``Desa``, ``Ds.``, ``Kelurahan`` or ``Kel.``; without a prefix only when it is
    distinctive (``_distinct``) or followed by its kecamatan ("Tawaran Kenduruan"): "Jati", "Sumber" or
    "tawaran" alone are words first. The first prefixed name wins, else the first other one. A name
    several kecamatan share (Sumurgung, Sidorejo...) is settled by the prefix (``Kel.`` for a
    kelurahan), then by ``kecamatan`` or a kecamatan the text names; otherwise its kecamatan is None.
    """
    text = text or ""
    matches = [
        (match.group("prefix"), villages()[_key(match.group("name"))])
        for match in _village_pattern().finditer(text)
        if match.group("prefix") or _distinct(_key(match.group("name"))) or _before_its_kecamatan(text, match)
    ]
    if not matches:
        return None
    prefix, candidates = next((item for item in matches if item[0]), matches[0])
    if prefix:
        kelurahan = prefix.lower().startswith("kel")
        candidates = tuple(item for item in candidates if item.kelurahan == kelurahan) or candidates
    if len(candidates) > 1:
        named = {kecamatan} if kecamatan else _kecamatan_named(text)
        candidates = tuple(item for item in candidates if item.kecamatan in named) or candidates
    if len(candidates) == 1:
        return candidates[0]
    return Village(candidates[0].name, None, all(item.kelurahan for item in candidates))


_NEXT_WORD = re.compile(r"\s+(?:kec(?:amatan)?\b\.?\s*)?(\w+)", re.IGNORECASE)


def _before_its_kecamatan(text: str, match: re.Match[str]) -> bool:
    """Whether the (non-kecamatan) name is followed by the kecamatan it lies in: "Tawaran Kenduruan"."""
    key = _key(match.group("name"))
    following = _NEXT_WORD.match(text, match.end())
    return (
        key not in _KECAMATAN_KEYS
        and following is not None
        and following.group(1).title() in {item.kecamatan for item in villages()[key]}
    )


def _kecamatan_named(text: str) -> set[str]:
    named = {match.title() for match in _OTHER_KECAMATAN.findall(text)}
    return named | ({"Tuban"} if _TUBAN_DISTRICT.search(text) else set())
