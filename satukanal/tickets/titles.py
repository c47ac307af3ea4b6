"""A ticket's default title, ``<subject> di <place>: <phrase>``: "Jalan dan jembatan di Desa Sumurgung, Kec.
Montong: aspal berlubang dekat SD". The subject is the category's label (``Aduan warga`` without one); the place
the desa or kelurahan the text names, with its kecamatan, or the kecamatan; the phrase the sentence that says most
about a problem, without the greetings, addressees and "mau lapor" preambles posts open with, emoji, mentions,
hashtags, links or HTML. Without a phrase: ``<subject> di <place>`` or ``<subject> di Kabupaten Tuban``.
The text is redacted again once normalised (NFKC turns look-alike digits into digits): a title shows no more.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

from publisher import redact
from satukanal.tuban import KECAMATAN, category_label, find_desa, find_kecamatan, villages

GENERIC_SUBJECT = "Aduan warga"
REGENCY = "Kabupaten Tuban"
LIMIT = 100
MIN_PHRASE_WORDS = 2
READ_LIMIT, SENTENCE_LIMIT = 10_000, 300  # characters read of a text and of a sentence: keeps hostile input cheap

_MARKUP = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<[^<>]{0,500}>", re.IGNORECASE | re.DOTALL)
_NOISE = re.compile(r"^\s*(?:RT\s+@\w+\s*:|repost\b:?)|(?:https?://|www\.)\S+|[@#][\w.]*\w", re.IGNORECASE)
_SPACE_LIKE = {"\u200b", "\u2060", "\t"}
_BREAK = "\u2063"  # an emoji while the text is cleaned (format characters like it are gone by then)
_VARIATION = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_ABBREVIATIONS = frozenset(
    "ds dsn kel kec kab jl jln gg no dr drs rp bpk sdr hj ir prof st yth a.n an kp dll dsb dkk ny tn pt cv ud".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"')\]]|$)|\n+")
_VOCATIVES = (
    r"min+|mimin|minmin|admin|kak(?:ak)?|pak|bapak|bu|ibu|bpk|bapak\s*/\s*ibu|lu+r+|dulur|sedulur|mas|mbak|cak|ning"
    r"|gan|bro|sis|guys|rek|sobat|pak\s+bupati|bu\s+bupati|tim"
)
_WORDS_BEFORE_DOT = ("ds", "dsn", "kel", "kec", "jl", "gg", "no")  # an address abbreviation's dot ends no clause
_PARTS = {
    "<VOC>": _VOCATIVES,
    "<THANKS>": r"terima\s*kasih|makasih|matur\s+(?:nuwun|suwun)|suwun|thanks|thx|alhamdulillah",
    "<ABBR.>": "(?:" + "|".join(rf"(?<=\b{word})" for word in _WORDS_BEFORE_DOT) + r")\.(?!\S)",  # never "\.(?=\S)"
    "<END.>": "".join(rf"(?<!\b{word})" for word in _WORDS_BEFORE_DOT) + r"\.",
}


def _pattern(*parts: str) -> re.Pattern[str]:
    """A case-insensitive regex of ``parts`` with the shared pieces (``<VOC>``, ``<THANKS>``...) filled in."""
    text = "".join(parts)
    for name, value in _PARTS.items():
        text = text.replace(name, value)
    return re.compile(text, re.IGNORECASE)


_OPENERS = [
    # greetings and salutations, Indonesian, Javanese and Arabic
    _pattern(
        r"^(?:ass?alamu\W?alaikum\w*(?:\s+wr\.?\s*wb\.?)?|w[a']*alaikum\W?salam\w*|salam(?:\s+(?:sejahtera|hormat|",
        r"kenal|sehat))?|(?:selamat|met|slamat)\s+(?:pagi|siang|sore|(?:malam|malem)(?:\s+minggu)?|petang|datang)|",
        r"sugeng\s+(?:enjang|siang|sonten|dalu|ndalu|pagi|sore|rawuh|injing)|permisi|misi|punten|",
        r"n[yu]+wun\s+(?:sewu|pirsa)|ngapunten|(?:mohon\s+)?ma'?af(?:\s+(?:sebelumnya|mengganggu|ganggu))?|",
        r"(?:mohon\s+)?i[zj]in(?=\s+(?:lapor|tanya|bertanya|menyampaikan|info|<VOC>)\b)|hal+o+|hel+o+|hai+|hi|hey|",
        r"hei|yth\.?|dengan\s+hormat|dear|(?:pagi|siang|sore|malam|malem)(?=\s*(?:[,.!]|$|\s(?:<VOC>)\b)))",
        r"\b[\s,.!:;-]*",
    ),
    # addressees: "min", "Kak", "Pak", "Lur", "admin e"... (not "ibu saya", "Pak RT")
    _pattern(
        r"^(?:<VOC>)(?:\s?e)?\b(?!\s+(?:saya|sy|ku|kami|aku|rt|rw|kades|camat|lurah)\b)(?:\s*\[nama\])?[\s,.!:;-]*"
    ),
    # "(saya) mau lapor / menyampaikan / tanya sekaligus lapor (bahwa)"
    _pattern(
        r"^(?:(?:saya|sy|aku|kami|kula)\s+)?(?:(?:mau|ingin|hendak|pengen|pingin|arep|meh|mo|numpang|sekedar|cuma|",
        r"badhe|ajeng)\s+)?(?:lapor(?!an)|melapor(?:kan)?|menyampaikan|sampaikan|mengadu(?:kan)?|ngadu|tanya|bertanya|",
        r"nanya|takon|tanglet|matur(?!\s+(?:nuwun|suwun))|menginformasikan|info)(?:\s+sekaligus\s+(?:lapor|tanya|",
        r"bertanya|mengadu))?(?:\s+(?:<VOC>))?(?:\s+(?:bahwa|kalau|kalo|klo|nek|yen|soal|tentang|mengenai|terkait))?",
        r"\b[\s,.:;-]*",
    ),
    # thanks: "Terima kasih Kak atas infonya," (what follows stays)
    _pattern(r"^(?:<THANKS>)(?:\s+(?:banyak|sanget|atas\s+\w+|infonya|laporannya|<VOC>)\b)*[\s,.!]*"),
    # requests: "tolong", "mohon", "njaluk" (the request's object stays)
    _pattern(r"^(?:tolong|tulung|mohon|minta|njaluk|nyuwun)\b(?:\s+(?:dibantu|dicek|bantu)\b(?=\s*,))?[\s,.!]*"),
    # "saya warga Ds. X (Kec. Y)," and "kami perangkat Ds. X"
    _pattern(
        r"^(?:saya|sy|aku|kami)\s+(?:adalah\s+)?(?:warga|wali\s+murid|perangkat|orang\s+tua|ortu|penduduk|pelanggan)",
        r"\b(?:[^.,;:!?]|\.(?=\S)|<ABBR.>)*?(?:[,;:!?]|<END.>(?=\s|$)|\s(?=(?:mau|ingin|hendak|arep|meh|pengen)\b)",
        r"|$)\s*",
    ),
    _pattern(r"^(?:mau|ingin|hendak|arep|meh|pengen)\s+(?=\w)"),
    # phone and desk notes: "Penelepon dari Kec. X menyampaikan (bahwa)"
    _pattern(
        r"^(?:(?:dicatat\s+petugas|catatan)\s*:\s*|(?:penelepon|penelpon|pelapor|pengadu)(?:[^.;:]|\.(?=\S)|<ABBR.>)",
        r"{0,80}?\b(?:menyampaikan|melaporkan|mengeluhkan|mengadukan|mengatakan|menginformasikan)\s+(?:bahwa\s+)?)",
    ),
    _pattern(r"^(?:[^\w\[]+|\d{1,2}[.)]\s+)"),  # leading punctuation and list numbers
]
_TRAILERS = _pattern(
    r"(?:[\s,;:]+(?:<VOC>|ya|yo|yah|dong|donk|nggih|nggeh|ngih|lho|loh|sih|deh|tolong|please|plis|segera|\(wa\)|atau",
    r"|dan|tapi|tp|yang|yg|di|ke|dari|untuk|utk|dengan|dgn|karena|sama|&|(?:ds|dsn|kel|kec|kab|jl|jln|gg|no)\.?",
    r"|(?:<THANKS>)(?:\s+(?:banyak|sanget|ya))?)[\-–—(\"'/]*)+[\s,;:\-–—(\"'/]*$|[\s,;:\-–—(\"'/]+$",
)
_FILLER = frozenset(
    """min mimin admin kak pak bu lur dulur mas mbak tolong tulung mohon minta segera cepat cepet secepatnya ya yo
    dong nggih dicek ditindaklanjuti diperhatikan dibantu ditangani dibenahi diperbaiki terima kasih makasih matur
    nuwun suwun sanget banget bgt infonya atas perhatiannya lapor laporan sekali lagi gimana piye ini iki""".split()
)
_PROBLEM = re.compile(
    r"\b(?:rusak|(?:ber)?lubang|bolong|ambles|amblong|ambrol|ambruk|retak|longsor|banjir|kebanjiran|genang|tergenang"
    r"|nggenang|luber|meluap|mampet|tersumbat|buntu|mati|padam|peteng|gelap|tidak\s+(?:mengalir|keluar|ada|menyala"
    r"|diangkut|jadi|dipasang|diberi)|(?:gak|ga|nggak|enggak)\s+(?:mili|ngalir|ada|diangkut|jadi|bisa|pernah)|"
    r"(?:ora|ra)\s+(?:mili|metu|ono|oleh|iso|diangkut)|keruh|asat|kering|krisis|numpuk|menumpuk|belum|blm|durung"
    r"|bau|busuk|dibakar|asep|asap|bledug|debu|macet|ruwet|liar|pungli|ditarik|narik|tumbang|roboh|bocor|ditolak"
    r"|nonaktif|dicabut|hilang|ilang|salah|lambat|antri|antre|penuh|mahal|wajib|kosong|entek|habis|rawan|bahaya"
    r"|berbahaya|tabrakan|jatuh|tibo|nyemplung|kecemplung|keserempet|error|susah|sulit|keropos|lapuk|licin"
    r"|bergelombang|ajur|jeblok|kubangan|telat|terlambat|pungutan|tagihan|keliru|kotor|limbah|bising|berisik|bayar"
    r"|disuruh|dipungut|(?:di|m)?buang|patah|putus|jebol|cuil|lepas|menggenang|tertutup|ditahan|nunggak)\w*",
    re.IGNORECASE,
)
_TOPICS = dict(  # each category's topic words, as "category=word|word" entries
    entry.split("=")
    for entry in (
        r"jalan_jembatan=jalan|dalan|aspal|jembatan|trotoar|jalur drainase=saluran|got\b|gorong|selokan|kali|banjir|"
        r"genang penerangan_jalan=lampu|pju|penerangan sampah=sampah|tps|limbah|bau|bledug|debu bansos=blt|bpnt|pkh|"
        r"bansos|bantuan|pbi|kis|rtlh parkir_lalu_lintas=parkir|jukir|apill|bangjo|lampu\s+merah|lalu\s+lintas|macet "
        r"adminduk=ktp|kk|akta|kia|nik|disdukcapil|dukcapil|domisili pendidikan=sekolah|sd\b|smp|sma|guru|seragam|lks|"
        r"murid|spmb|ppdb|kelas kesehatan=puskesmas|rsud|obat|dokter|ambulans|igd|bpjs|poli|pasien air_minum=pdam|"
        r"banyu|air|meteran|tagihan|pipa ketertiban=pkl|karaoke|satpol|trotoar|berisik|bising bencana=longsor|banjir|"
        r"tumbang|kekeringan|air\s+bersih|bengawan|angin|pohon|wit"
    ).split()
)
_THANKS = _pattern(r"\b(?:<THANKS>)\b")
# Wishes and greetings ("Selamat Hari Jadi", "semoga lekas sehat") are never the phrase.
_WISHES = _pattern(r"^(?:selamat|sugeng|met|happy|semoga|mugi|turut\s+berduka|salam)\b")
# Masked numbers with their labels, parentheses around masks, repeated name masks, RT/RW: noise in a title.
_MASKED_ASIDE = _pattern(
    r"\s*\([^()]*\[[^()]*\)|\s*\(\s*\)|(?:\b(?:nik|(?:no|nomor|nmr)\.?(?:\s*(?:hp|wa|pelanggan))?|wa|hp|plat|nopol",
    r"|kontak(?:\s+saya)?|hub(?:ungi)?|a\.n|atas\s+nama)\W{0,3})?\[(?:NIK|nomor telepon|nomor|email|nopol)\]",
    r"|\s*\b(?:a\.n\.?|atas\s+nama)\s*\[nama\]",
    r"|(?<=\])(?:\s*\[nama\])+|\s*\bRT\.?\s*\d{1,3}(?:\s*/\s*|\s+RW\.?\s*)\d{1,3}\b",
)
_REQUEST_TAIL = _pattern(r"(?:,\s*(?:tolong|tulung|mohon|minta|njaluk|nyuwun)\b[^,;]*)+$")
_TOPIC_WORDS = _pattern(r"\b(?:" + "|".join(_TOPICS.values()) + r")")
_PLACE_NAMES = frozenset({name.lower() for name in KECAMATAN} | {"bengawan", "sunan", "pantura"})


def title_subject(category: str | None) -> str:
    """What a title starts with: the category's label, or ``Aduan warga`` without a (known) category."""
    return GENERIC_SUBJECT if category in (None, "", "lainnya") else category_label(category)


def propose_title(body: str, category: str | None = None, kecamatan: str | None = None, limit: int = LIMIT) -> str:
    """The default title for the (redacted) ``body``, at most ``limit`` long; ``kecamatan`` is the moderator's
    choice, if any (else the place comes from the text)."""
    text = _clean(body)
    place = _place(_clean((body or "").replace("#", " ")), kecamatan)  # "#jenu" names a place, not a phrase
    head = f"{title_subject(category)} di {place}" if place else title_subject(category)
    if len(head) + 2 > limit:  # a limit too short for a place: the subject alone, cut at a word
        return _cut(title_subject(category), limit)
    phrase = _phrase(text, category, place is not None, limit - len(head) - 2)
    if phrase:
        return f"{head}: {phrase}"
    return head if place else _cut(f"{head} di {REGENCY}", limit)


def _clean(body: str) -> str:
    """The text without markup, control characters, mentions, hashtags, links; emoji as clause breaks; redacted."""
    text = unicodedata.normalize("NFKC", html.unescape(_MARKUP.sub(" ", (body or "")[:READ_LIMIT])))
    kept = []
    for char in text:
        kind = unicodedata.category(char)
        if char == "\n" or (kind[0] not in "CSZ" and kind != "Me") or kind in ("Sm", "Sc"):
            kept.append("" if _VARIATION.match(char) else char)
        elif char in _SPACE_LIKE or kind[0] == "Z":
            kept.append(" ")
        elif kind[0] == "S":  # an emoji or pictograph usually ends a clause
            kept.append(_BREAK)
    text = redact(_NOISE.sub(" ", "".join(kept)))
    text = re.sub(rf"\s*{_BREAK}[\s{_BREAK}]*", ", ", text)
    text = re.sub(r"(?:,\s*)+(?=[,.!?;:)\]—–-]|\n|$)|(?:(?<=^)|(?<=\n)|(?<=[(\[]))\s*,\s*", "", text)
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def _place(text: str, kecamatan: str | None) -> str | None:
    village = find_desa(text, kecamatan)
    if village is not None and kecamatan and village.kecamatan not in (None, kecamatan):
        village = None  # the moderator's kecamatan wins over a desa of another one
    district = kecamatan or (village.kecamatan if village else None) or find_kecamatan(text)
    if village is not None:
        return f"{village.label}, Kec. {district}" if district else village.label
    return f"Kec. {district}" if district else None


def _sentences(text: str) -> list[str]:
    """Sentences end at . ! ? … or a line break, except after the abbreviations of addresses and titles."""
    pieces, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        word = re.search(r"[\w.]*$", text[max(start, end.start() - 12) : end.start()]).group().lower()
        if end.group().startswith(".") and "\n" not in end.group() and (word in _ABBREVIATIONS or len(word) == 1):
            continue
        pieces.append(text[start : end.start()])
        start = end.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def _strip_openers(sentence: str) -> str:
    for pattern in _OPENERS * 4:  # openers come in any order: "Selamat siang min, saya warga Jenu, mau lapor..."
        sentence = pattern.sub("", sentence, count=1).strip()
    return sentence


def _score(sentence: str, category: str | None) -> float:
    """Problem words count most, then words of the category's topic, then length; masks count against."""
    problems = len(_PROBLEM.findall(sentence))
    score = (2 + 0.5 * (problems - 1) if problems else 0) + min(len(sentence.split()), 12) / 24
    topic = _TOPICS.get(category or "")
    score += 1 if topic and re.search(rf"\b(?:{topic})", sentence, re.IGNORECASE) else 0
    if sentence.endswith("?") and not problems:
        score -= 1
    return score - 0.25 * sentence.count("[")


def _is_filler(sentence: str) -> bool:
    words = re.findall(r"[^\W\d_]+", sentence.lower())  # runs of letters: "0, 1/4" has none
    return len(words) < MIN_PHRASE_WORDS or all(word in _FILLER for word in words) or bool(_WISHES.match(sentence))


def _phrase(text: str, category: str | None, placed: bool, room: int) -> str:
    """The key phrase: the best-scoring sentence, opened at its content and fitted into ``room``."""
    candidates = []
    for position, sentence in enumerate(sentence[:SENTENCE_LIMIT] for sentence in _sentences(text)):
        stripped = _strip_openers(" ".join(_MASKED_ASIDE.sub("", sentence).split()).replace(" ,", ","))
        stripped = _TRAILERS.sub("", _strip_openers(_without_place(stripped)) if placed else stripped).strip()
        stripped = _REQUEST_TAIL.sub("", stripped) if len(_REQUEST_TAIL.sub("", stripped).split()) >= 3 else stripped
        if not _is_filler(stripped):  # thanks weigh against a sentence
            candidates.append((_score(stripped, category) - 3 * bool(_THANKS.search(sentence)), -position, stripped))
    if not candidates or room < 12:
        return ""
    phrase = _lowercase_start(_fit(max(candidates)[2], room))
    return phrase if len(phrase.split()) >= MIN_PHRASE_WORDS else ""


@cache
def _place_mentions() -> re.Pattern[str]:
    """A desa or kecamatan named at a sentence's start or after di/nang/dari..., with its prefix."""
    desa, kecamatan = "|".join(re.escape(items[0].name) for items in villages().values()), "|".join(KECAMATAN)
    return _pattern(
        rf"(?P<at>^|\b(?:di|nang|neng|ning|ing|dari|teko)\s+)?(?:\b(?:desa|ds|kelurahan|kel)\b\.?\s*(?P<name>{desa})\b",
        rf"(?:,?\s*(?:kec(?:amatan)?\b\.?\s*)?(?:{kecamatan})\b)?|\bkec(?:amatan)?\b\.?\s*(?P<kec>{kecamatan})\b)",
    )


def _without_place(sentence: str) -> str:
    """The sentence without the place the title names: gone in brackets, after di/nang or at the start, else its
    bare name ("jalan menuju Ds. Wotsogo" reads "jalan menuju Wotsogo")."""
    sentence = re.sub(r"\s*\((?i:desa|ds|kelurahan|kel|kec(?:amatan)?)\b[^()]{0,60}\)", "", sentence)
    sentence = _place_mentions().sub(lambda m: " " if m.group("at") is not None else _bare(m), sentence)
    return " ".join(sentence.replace(" ,", ",").split()).strip(" ,;")


def _bare(mention: re.Match[str]) -> str:
    """A mention without its ``Ds.``/``Kel.``/``Kec.`` (a written-out "desa" stays: "balai desa Tasikharjo")."""
    text = mention.group()
    return text if re.match(r"desa|kelurahan|kecamatan", text, re.IGNORECASE) else re.sub(r"^\w+\.?\s*", "", text)


def _fit(phrase: str, room: int) -> str:
    """``phrase`` if it fits; else its clauses from the first that names a problem, as many as fit; else that
    clause cut at a word, with an ellipsis."""
    if len(phrase) <= room:
        return phrase
    clauses = re.split(r"(?<=[,;])\s+|\s+(?=[–—-]\s)", phrase)
    for pattern in (_TOPIC_WORDS, _PROBLEM):
        first = next((i for i, clause in enumerate(clauses) if pattern.search(clause) or _PROBLEM.search(clause)), 0)
        fitted = ""
        for clause in clauses[first:]:
            joined = f"{fitted} {clause}".strip()
            if len(joined) > room:
                break
            fitted = joined
        fitted = _TRAILERS.sub("", fitted).strip()
        if len(fitted.split()) >= 3 and (_PROBLEM.search(fitted) or not _PROBLEM.search(phrase)):
            return fitted
    return _cut(" ".join(clauses[first:]), room)


def _cut(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    cut = text[: room - 1].rsplit(" ", 1)[0]
    cut = cut[: cut.rfind("[")] if cut.rfind("[") > cut.rfind("]") else cut  # never half a mask: "[nomor…"
    return _TRAILERS.sub("", cut).strip() + "…"


def _lowercase_start(phrase: str) -> str:
    """Lowercase the first word after the colon ("lampu jalan mati"), unless it is an acronym, a place or a name."""
    first, _, rest = phrase.partition(" ")
    first = first.rstrip(",")
    if not re.fullmatch(r"[A-Z][a-z]+\d*", first) or re.match(r"[A-Z][a-z]", rest) or first.lower() in _PLACE_NAMES:
        return phrase
    return phrase if first.lower() in villages() else phrase[0].lower() + phrase[1:]
