"""Reference data of Kabupaten Tuban used across the application."""

from __future__ import annotations

import re

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
