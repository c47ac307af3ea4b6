"""Normalisation of informal Indonesian and Javanese social-media text.

The model sees the same words however a post spells them: URLs, mentions
and numbers become placeholder tokens, a hashtag its word, letters repeated
for emphasis are squeezed, emoji become one token, and common abbreviations
and Javanese complaint words map to one Indonesian form.

Measured on the mentions (grouped CV on the development part), the slang map
is worth little (average precision 0.9276 with it, 0.9262 without), and a
1,256-word colloquial lexicon (indo-normalizer's, MIT) added nothing that
stood out of the noise (0.9293): character n-grams already tie most
spellings together. The map is kept for the Javanese words, which the
Bandung tweets do not contain.
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

_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@\w+")
_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_REPEAT = re.compile(r"([a-z])\1{2,}")
_DOUBLED_END = re.compile(r"([a-z])\1+$")
_EMOJI_CATEGORIES = {"So", "Sk"}
_ASCII_SYMBOLS = [chr(code) for code in range(128) if unicodedata.category(chr(code)) in _EMOJI_CATEGORIES]
_LETTERS_ONLY = bytes(code if code == 10 or 97 <= code <= 122 else 32 for code in range(256))
"""``bytes.translate`` table: lower-case ASCII letters and the newline between posts stay, all else is a space."""
_CACHE_LIMIT = 100_000
_symbols: dict[str, str] = {}
_words: dict[str, str] = {}


def normalize_text(text: str) -> str:
    """Return the text as the model reads it: lower case, placeholders, one spelling per word."""
    return normalize_texts([text])[0]


def normalize_texts(texts) -> list[str]:
    """The texts as the model reads them; the first step of every model pipeline.

    A batch is handled as one string, posts joined by newlines: each rewrite is
    one C-level pass over the batch, words are cut out with ``bytes.translate``,
    and a word's spelling (squeezed letters, slang) is worked out once per
    distinct word and remembered. Per post and per character in Python, this
    was a fifth of the scoring time.
    """
    lowered = [_lower(text) for text in texts]
    joined = _URL.sub(f" {URL_TOKEN} ", "\n".join(lowered))
    joined = _NUMBER.sub(f" {NUMBER_TOKEN} ", _MENTION.sub(f" {MENTION_TOKEN} ", joined))
    if not joined.isascii():
        joined = _NON_ASCII.sub(_symbol, joined)
    for symbol in _ASCII_SYMBOLS:
        joined = joined.replace(symbol, f" {EMOJI_TOKEN} ")
    letters = joined.encode().translate(_LETTERS_ONLY).decode("ascii")
    if len(_words) > _CACHE_LIMIT:
        _words.clear()
    return [" ".join([_words.get(word) or _spell(word) for word in line.split()]) for line in letters.split("\n")]


def _lower(text) -> str:
    """Lower case after NFKC (full-width letters, ligatures), which an ASCII text does not need."""
    text = (text or "").replace("\n", " ")
    return text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).lower()


def _symbol(match: re.Match) -> str:
    """An emoji or other symbol becomes one token; any other non-ASCII character only separates words."""
    char = match.group()
    replacement = _symbols.get(char)
    if replacement is None:
        emoji = unicodedata.category(char) in _EMOJI_CATEGORIES
        replacement = _symbols[char] = f" {EMOJI_TOKEN} " if emoji else " "
    return replacement


def _spell(word: str) -> str:
    """One spelling per word: ``tolonggg`` → ``tolong``, ``gak`` → ``tidak``, ``banyu`` → ``air``.

    Letters repeated three times or more are emphasis and become two; a word
    of more than three letters does not end in a doubled letter in Indonesian,
    so that is squeezed too; then the slang map applies.
    """
    spelled = _REPEAT.sub(r"\1\1", word)
    if len(spelled) > 3:
        spelled = _DOUBLED_END.sub(r"\1", spelled)
    _words[word] = spelled = SLANG.get(spelled, spelled)
    return spelled


LEAD_WORDS = 8


def lead_texts(texts) -> list[str]:
    """The opening of each text: the first ``LEAD_WORDS`` words of its first line.

    For a report whose title and body are joined, that is (most of) the title,
    the densest statement of what the report is about.
    """
    return [" ".join(str(text).split("\n", 1)[0].split()[:LEAD_WORDS]) for text in texts]
