"""Normalisation of informal Indonesian and Javanese social-media text.

The model sees the same words however a post spells them: URLs, mentions,
hashtags and numbers become placeholder tokens, letters repeated for
emphasis are squeezed, emoji become one token, and common abbreviations and
Javanese complaint words map to one Indonesian form.
"""

from __future__ import annotations

import re
import unicodedata

URL_TOKEN = "xurl"
MENTION_TOKEN = "xmention"
NUMBER_TOKEN = "xnum"
EMOJI_TOKEN = "xemoji"

SLANG = {
    # abbreviations and chat spellings
    "yg": "yang",
    "yng": "yang",
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "enggak": "tidak",
    "ngga": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "blm": "belum",
    "blum": "belum",
    "udh": "sudah",
    "udah": "sudah",
    "sdh": "sudah",
    "dah": "sudah",
    "min": "admin",
    "mimin": "admin",
    "knp": "kenapa",
    "napa": "kenapa",
    "tp": "tapi",
    "tpi": "tapi",
    "dll": "dan lain lain",
    "sy": "saya",
    "aq": "saya",
    "gw": "saya",
    "gue": "saya",
    "dr": "dari",
    "krn": "karena",
    "karna": "karena",
    "bgt": "banget",
    "jg": "juga",
    "trs": "terus",
    "sm": "sama",
    "utk": "untuk",
    "dgn": "dengan",
    "dg": "dengan",
    "skrg": "sekarang",
    "kalo": "kalau",
    "klo": "kalau",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "bs": "bisa",
    "bsa": "bisa",
    "org": "orang",
    "thx": "terima kasih",
    "makasih": "terima kasih",
    "mksh": "terima kasih",
    "trims": "terima kasih",
    "tlg": "tolong",
    "mhn": "mohon",
    "pdhl": "padahal",
    "jln": "jalan",
    "jl": "jalan",
    "ds": "desa",
    "kec": "kecamatan",
    "kab": "kabupaten",
    "pju": "lampu jalan",
    # Javanese words that carry complaints or thanks
    "banyu": "air",
    "dalan": "jalan",
    "dalane": "jalan",
    "ndalan": "jalan",
    "lampune": "lampu",
    "mili": "mengalir",
    "ora": "tidak",
    "mboten": "tidak",
    "metu": "keluar",
    "bolong": "berlubang",
    "bodol": "rusak",
    "mampet": "tersumbat",
    "buntu": "tersumbat",
    "sampahe": "sampah",
    "mambu": "bau",
    "ambune": "bau",
    "suwun": "terima kasih",
    "matur": "terima",
    "nuwun": "kasih",
    "sampun": "sudah",
    "wes": "sudah",
    "uwis": "sudah",
    "durung": "belum",
    "dereng": "belum",
    "piye": "bagaimana",
    "lur": "saudara",
    "panjenengan": "anda",
    "kulo": "saya",
    "aku": "saya",
    "nggih": "iya",
    "njih": "iya",
    "ndang": "segera",
    "cepet": "cepat",
    "suwe": "lama",
    "kebanjiran": "banjir",
    "peteng": "gelap",
    "ambrol": "ambruk",
}

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*")
_REPEAT = re.compile(r"([a-z])\1{2,}")
_WORD = re.compile(r"[a-z]+|x(?:url|mention|num|emoji)")
_EMOJI_CATEGORIES = {"So", "Sk"}


def normalize_text(text: str) -> str:
    """Return the text as the model reads it: lower case, placeholders, one spelling per word."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _URL.sub(f" {URL_TOKEN} ", text)
    text = _MENTION.sub(f" {MENTION_TOKEN} ", text)
    text = _HASHTAG.sub(r" \1 ", text)
    text = _NUMBER.sub(f" {NUMBER_TOKEN} ", text)
    text = "".join(f" {EMOJI_TOKEN} " if unicodedata.category(char) in _EMOJI_CATEGORIES else char for char in text)
    text = _REPEAT.sub(r"\1\1", text)
    words = _WORD.findall(text.replace("_", " "))
    return " ".join(_expand(words))


def _expand(words: list[str]) -> list[str]:
    expanded: list[str] = []
    for word in words:
        word = SLANG.get(word) or _squeeze(word)
        expanded.append(SLANG.get(word, word))
    return expanded


def _squeeze(word: str) -> str:
    """``tolongg`` → ``tolong``: Indonesian words do not end in a doubled letter; it is emphasis."""
    return re.sub(r"([a-z])\1+$", r"\1", word) if len(word) > 3 else word


def normalize_texts(texts) -> list[str]:
    """``normalize_text`` over a batch: the first step of every model pipeline."""
    return [normalize_text(text) for text in texts]


LEAD_WORDS = 8


def lead_texts(texts) -> list[str]:
    """The opening of each text: the first ``LEAD_WORDS`` words of its first line.

    For a report whose title and body are joined, that is (most of) the title,
    the densest statement of what the report is about.
    """
    return [" ".join(str(text).split("\n", 1)[0].split()[:LEAD_WORDS]) for text in texts]
