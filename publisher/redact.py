"""Remove personal data from text that leaves the office (public posts, LAPOR! entries).

Masked: NIK (16 digits), phone numbers, e-mail addresses, licence plates,
customer and account numbers, house numbers of street addresses, and names
introduced as a private person's ("nama saya ...", "Pak Budi ...").
Officials' titles (Pak Bupati, Bu Camat) are kept: they are not private data.
"""

from __future__ import annotations

import re

NIK_MASK = "[NIK]"
PHONE_MASK = "[nomor telepon]"
EMAIL_MASK = "[email]"
PLATE_MASK = "[nopol]"
NUMBER_MASK = "[nomor]"
NAME_MASK = "[nama]"

_OFFICIAL_TITLES = (
    "Bupati|Wakil|Wabup|Camat|Lurah|Kades|Kepala|Kadis|Sekda|Gubernur|Presiden|Menteri|Kapolres|Kapolsek"
    "|Dandim|Danramil|Dewan|RT|RW|Polisi|Dokter|Guru|Admin|Mimin|Min"
)
_NAME_WORD = r"[A-Z][a-z']+"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), EMAIL_MASK),
    (re.compile(r"(?<!\d)\d{4}[ .-]?\d{4}[ .-]?\d{4}[ .-]?\d{4}(?!\d)"), NIK_MASK),
    (re.compile(r"(?<![\w+])(?:\+62|62|0)[ .-]?8\d{1,2}(?:[ .-]?\d){6,9}(?!\d)"), PHONE_MASK),
    (re.compile(r"(?<![\w+])\(?0\d{2,3}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}(?!\d)"), PHONE_MASK),
    (
        re.compile(
            r"(?i)\b((?:no(?:mor)?\.?\s*|id\s*)?(?:pelanggan|pel\.?|rekening|rek\.?|meter|kartu|kk|bpjs|va)"
            r"\s*(?:no(?:mor)?\.?)?\s*[:.]?\s*)[\d][\d .\-/]{3,}\d"
        ),
        rf"\1{NUMBER_MASK}",
    ),
    (re.compile(r"\b(?!RT\b|RW\b)[A-Z]{1,2} ?\d{1,4} ?[A-Z]{1,3}\b"), PLATE_MASK),
    (
        re.compile(
            r"(?i)\b((?:jl|jln|jalan|gg|gang|perum|dusun|dsn)\.?\s+[\w .'-]{2,40}?\s+no(?:mor)?\.?\s*)\d+[a-z]?\b"
        ),
        rf"\1{NUMBER_MASK}",
    ),
    (
        re.compile(
            rf"(?i:\b((?:nama\s+saya|saya\s+bernama|atas\s+nama|a\.\s?n\.?)\s+))({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
        ),
        rf"\1{NAME_MASK}",
    ),
    (
        re.compile(
            rf"\b((?:Pak|Bapak|Bu|Ibu|Mas|Mbak|Mbah|Sdr|Sdri|Saudara|Saudari|Cak|Ning)\.?\s+)"
            rf"(?!(?:{_OFFICIAL_TITLES})\b)({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
        ),
        rf"\1{NAME_MASK}",
    ),
]


def redact(text: str) -> str:
    """Return ``text`` with personal data masked; the rest of the text is kept as it was."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
