"""Redaction benchmark: personal data left in real LAPOR! reports after ``redact``, and text masked needlessly.

Run from the project root: ``.venv/bin/python -m bench.redaction``. It reads
``../shared/data/lapor-reports.csv`` (and says so and stops when it is absent),
redacts title + text of every report and prints:

1. per kind of personal data, how many reports hold one before redaction and
   how many still hold a detectable one after it (a leak), with the shape of a
   few leaks;
2. how much text changed, and whether ordinary text (dates, times, money,
   RT/RW, years, counts) survived;
3. masks that no detector explains (over-masking risk), with a few examples.

The detectors here are written for measuring, independently of the redactor's
own patterns, so that what the redactor misses shows up as a leak. They are
deliberately simple and a little generous. Nothing personal is printed:
examples show redacted text, and original text only as its shape (digits as 9,
words that are not ordinary Indonesian words as Xxxx).
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from publisher.redact import EMAIL_MASK, NAME_MASK, NIK_MASK, NUMBER_MASK, PHONE_MASK, PLATE_MASK, redact

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REPORTS = DATA / "lapor-reports.csv"
STOPWORDS = DATA / "stopwords-id.txt"
MASK = re.compile(
    "|".join(re.escape(m) for m in (NIK_MASK, PHONE_MASK, EMAIL_MASK, PLATE_MASK, NUMBER_MASK, NAME_MASK))
)
EXAMPLES = 8

Span = tuple[int, int]

# Words that follow a name cue but are not names: officials, kin, organisations, common nouns.
NOT_NAMES = set(
    """
    bupati wakil wabup camat lurah kades kepala kadis sekda sekdes gubernur presiden menteri walikota wali kapolres
    kapolsek dandim danramil dewan dprd rt rw polisi dokter bidan guru admin mimin min ketua direktur kasi kabid
    petugas satpam sopir supir haji ustadz kyai pendeta pejabat pimpinan kapolda pengurus kota negara hamil menyusui
    mensos menpan menkes rektor dekan pangkalan tergabung terdaftar tercantum dr drs bpjs bu mas mbak sdr sdri nyonya
    rumah pertiwi ibu bapak ayah anak suami istri adik kakak nenek kakek saudara keluarga warga pelapor penerima
    pemohon peserta pasien perusahaan instansi pemerintah pemuda pt cv ud koperasi yayasan toko bank dinas kantor
    kami saya kita mereka dia beliau yth terima mohon tolong selamat assalamualaikum nik nip kk ktp kpj nomor no
    alamat hp wa tlp telp tanggal tgl almarhum alm almh ahli waris pemilik lengkap tersebut sendiri
    """.split()
)


def load_words() -> set[str]:
    """Ordinary words: the shared Indonesian stop word list (when present) and the non-names above."""
    words = set(NOT_NAMES)
    if STOPWORDS.is_file():
        words |= {line.strip().lower() for line in STOPWORDS.read_text(encoding="utf-8").splitlines() if line.strip()}
    return words


ORDINARY = load_words()


def found(pattern: re.Pattern[str], group: int = 0, keep: Callable[[re.Match[str]], bool] | None = None):
    """A detector: the spans of ``group`` in each match of ``pattern`` that ``keep`` accepts."""

    def detect(text: str) -> list[Span]:
        return [m.span(group) for m in pattern.finditer(text) if keep is None or keep(m)]

    return detect


DATE_RANGE = re.compile(r"\d\d([.\-/])\d\d\1\d{4}-\d\d\1\d\d\1\d{4}")
# Digit runs with at most three separators between digits: phone numbers in any spelling are such runs.
DIGIT_RUN = re.compile(r"\+?\(?\d(?:[ .\-()]{0,3}\d)*")


def phone_detector(shape: str):
    """Digit runs whose digits alone, once separators are dropped, form a phone number of ``shape``."""
    whole = re.compile(shape)
    return found(DIGIT_RUN, keep=lambda m: bool(whole.fullmatch(re.sub(r"\D", "", m.group()))))


# What may stand between a cue and the name: "a.n. Bu Hj. Siti", "atas nama BY. NYONYA SURTI", "Bu Dr Ratna".
SKIPPED = r"(?:(?i:pak|bu|bapak|ibu|bpk|mas|mbak|sdri?|by|nyonya|drs?|hj?|ir)\b\.?\s+|[A-Z][a-z]{0,2}\.\s*)*"


def name_after(cue: str, name: str = r"[A-Za-z][\w'`]+"):
    """Names: a word matching ``name`` after ``cue`` that is not an ordinary word (titles and initials skipped)."""
    pattern = re.compile(rf"{cue}\s*[:(]?\s*{SKIPPED}({name})")
    return found(pattern, 1, keep=lambda m: m.group(1).lower() not in ORDINARY and m.group(1).isalpha())


HONORIFIC = (
    r"\b(?:[Pp]ak|[Bb]u|[Bb]apak|[Ii]bu|[Bb]pk\.?|[Mm]as|[Mm]bak|[Mm]bah|[Kk]ak|[Cc]ak)(?=[\s.])(?:\.(?=\s*[A-Z]\.))?"
)


DETECTORS: dict[str, Callable[[str], list[Span]]] = {
    "NIK, 16 digits (also with separators)": found(
        re.compile(r"(?<!\d[ .\-])(?<![\d*])(?:\d[ .\-]?){15}\d(?![\d*])"),
        keep=lambda m: not DATE_RANGE.fullmatch(m.group()),
    ),
    "NIK, partly starred (352301******0003)": found(
        re.compile(r"(?<![\w*])[\dxX*]{16}(?![\w*])"), keep=lambda m: sum(c.isdigit() for c in m.group()) >= 4
    ),
    "mobile phone": phone_detector(r"(?:62|0)8\d{8,11}"),
    "landline": phone_detector(r"(?:62|0)[2-79]\d{7,9}"),
    "e-mail": found(
        re.compile(
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
            r"|[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*(?:gmail|yahoo|ymail|hotmail|outlook|live|icloud)\s*(?:\.|\(dot\))\s*\w+",
            re.IGNORECASE,
        )
    ),
    "licence plate": found(
        re.compile(
            r"(?i:\b(?:plat|nopol|no\.?\s?pol|nomor polisi|tnkb)(?:\s+(?:nomor|nomer|no\.?))?\s*:?\s*)"
            r"([A-Za-z]{1,2}\s?\d{1,4}\s?[A-Za-z]{1,3}\b)"
            r"|\b((?!R[TW]\b|NO\b|TH\b)[A-Z]{1,2} \d{1,4} [A-Z]{1,3})\b"
        )
    ),
    "number after an ID / account label": found(
        re.compile(
            r"(?i)\b(?:nik|ktp|kk|kartu keluarga|kpj|nip|nim|nidn|nuptk|nrg|npwp|bpjs|jkn|kis|kks|jamkesmas|peserta"
            r"|pelanggan|id\s?pel|rekening|rek|norek|meter|va|virtual account|kartu|anggota|induk kependudukan)\b"
            r"[\s.:=#/-]*(?:(?:no|nomor|nomer|nmr)\b[\s.:=#-]*)?"
            r"([\dxX*\[][\dxX*\[\] .\-/]*[\dxX*\]])"
        ),
        1,
        keep=lambda m: sum(c.isdigit() for c in m.group(1)) >= (1 if "[*" in m.group(1) else 5),
    ),
    "house number in a street address": found(
        re.compile(
            r"(?i)\b(?:jl|jln|jalan|gg|gang|perum|perumahan|komplek|kompleks|blok)\b\.?[^\n,;()]{0,40}?\bno\s?[.:]?\s?(\d+)"
        ),
        1,
    ),
    "name after nama saya / atas nama / a.n. / Sdr.": name_after(
        r"(?i:\b(?:nama\s+saya(?:\s+adalah)?|saya\s+bernama|atas\s+nama|a\s?[./]\s?n\b\.?|(?<![\w-])an\.|sdri?\."
        r"|nama(?:\s+(?:penerima|pelapor|pemohon|peserta|pasien|ibu|bapak|ayah|suami|istri|anak|lengkap))?\s*:))"
    ),
    "Capitalised name after bernama / ibu saya / suami saya": name_after(
        r"\b(?:bernama|(?i:ibu|bapak|ayah|suami|istri|anak|adik|kakak|nenek|kakek|teman)\s+(?:saya|kami))",
        r"[A-Z][a-z'`]+|[A-Z]{4,}",
    ),
    "Capitalised name after Pak / Bu / Mas / Mbak / Kak": name_after(HONORIFIC, r"[A-Z][a-z'`]+|[A-Z]{4,}"),
    "lowercase word after Pak / Bu ... (not masked)": name_after(HONORIFIC, r"[a-z][a-z'`]+"),
}

ORDINARY_TEXT = {
    "dates (12-11-2026, 26/11/2017)": re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}\b"),
    "times (19.00, 09:55)": re.compile(r"\b(?:[01]?\d|2[0-3])[.:][0-5]\d\b(?![.,]\d)"),
    "money (Rp 150.000)": re.compile(r"(?i)\bRp\.?\s?\d[\d.,]*"),
    "RT / RW numbers": re.compile(r"(?i)\bR[TW]\.?\s?\d+"),
    "years (2017)": re.compile(r"\b(?:19|20)\d{2}\b"),
    "counts (3 hari, 2 kali)": re.compile(r"\b\d{1,3}\s(?:hari|minggu|bulan|tahun|kali|orang|jam|menit)\b"),
}


def main() -> int:
    if not REPORTS.is_file():
        print(f"reference data not found in {DATA}: nothing to measure")
        return 0
    with REPORTS.open(encoding="utf-8") as handle:
        texts = [f"{row['title']}\n{row['text']}" for row in csv.DictReader(handle)]

    started = time.perf_counter()
    redacted = [redact(text) for text in texts]
    seconds = time.perf_counter() - started

    leak_rows, leak_examples = [], []
    for kind, detect in DETECTORS.items():
        before = [detect(text) for text in texts]
        after = [detect(text) for text in redacted]
        leak_rows.append(
            [
                kind,
                sum(map(bool, before)),
                sum(map(len, before)),
                sum(map(bool, after)),
                sum(map(len, after)),
            ]
        )
        leaks = [shape(text[max(0, a - 24) : b]) for text, spans in zip(redacted, after, strict=True) for a, b in spans]
        leak_examples += [[kind, leak] for leak in leaks[:3]]
    table(
        f"Personal data in {len(texts):,} LAPOR! reports (title + text), before and after redact()",
        leak_rows,
        ["kind (independent detector)", "reports before", "found before", "reports after", "found after"],
    )
    if leak_examples:
        table(
            "Some leaks, as shapes (9 = digit, Xxxx = a word that is not an ordinary word)",
            leak_examples,
            ["kind", "shape"],
        )

    masked = [masked_spans(text, out) for text, out in zip(texts, redacted, strict=True)]
    changed = sum(b - a for spans in masked for a, b, _ in spans)
    total = sum(map(len, texts))
    table(
        "Amount of change",
        [
            ["reports changed", f"{sum(map(bool, masked)):,} of {len(texts):,}"],
            ["masks placed", f"{sum(map(len, masked)):,}"],
            ["characters masked", f"{changed:,} of {total:,} ({changed / total:.2%})"],
            ["time to redact all reports", f"{seconds:.2f} s"],
        ],
        ["what", "figure"],
    )
    table(
        "Ordinary text: occurrences before and after redact() (a drop is a number inside a masked one, or damage)",
        [
            [name, sum(len(p.findall(t)) for t in texts), sum(len(p.findall(t)) for t in redacted)]
            for name, p in ORDINARY_TEXT.items()
        ],
        ["kind", "before", "after"],
    )

    unexplained, examples = Counter(), []
    for text, out, spans in zip(texts, redacted, masked, strict=True):
        detected = [span for detect in DETECTORS.values() for span in detect(text)]
        for number, (a, b, mask) in enumerate(spans):
            if not any(a < end and start < b for start, end in detected):
                unexplained[mask] += 1
                examples.append([mask, shape(text[a:b]), around(out, number)])
    table(
        "Masks no detector explains (over-masking risk, or personal data the detectors do not know)",
        [[mask, unexplained[mask]] for mask in sorted(unexplained)] or [["(none)", 0]],
        ["mask", "count"],
    )
    if examples:
        step = max(1, len(examples) // EXAMPLES)
        table(
            "Examples: original as a shape, and the redacted text around the mask",
            examples[::step][:EXAMPLES],
            ["mask", "original (shape)", "redacted context (shape)"],
        )
    return 0


def masked_spans(text: str, out: str) -> list[tuple[int, int, str]]:
    """Where ``redact`` replaced something in ``text``: (start, end, mask), found by aligning the kept pieces.

    The redactor keeps everything it does not mask, so ``out`` split at its masks gives pieces that appear in
    ``text`` in this order; what lies between them in ``text`` was masked.
    """
    masks = MASK.findall(out)
    if not masks:
        return []
    aligned = re.fullmatch("(.+?)".join(map(re.escape, MASK.split(out))), text, re.DOTALL)
    if aligned is None:
        return []
    return [(*aligned.span(number), mask) for number, mask in enumerate(masks, start=1)]


def around(out: str, number: int, width: int = 40) -> str:
    """The redacted text around its ``number``-th mask, as a shape."""
    match = list(MASK.finditer(out))[number]
    return shape(out[max(0, match.start() - width) : match.end() + width])


def shape(text: str) -> str:
    """``text`` on one line, masks kept, digits as 9 and words that are not ordinary words as Xxxx."""
    text = " ".join(text.split())
    shaped = [re.sub(r"[^\W\d_]+", _word_shape, re.sub(r"\d", "9", piece)) for piece in MASK.split(text)]
    return "".join(piece + mask for piece, mask in zip(shaped, [*MASK.findall(text), ""], strict=True))


def _word_shape(word: re.Match[str]) -> str:
    if word.group().lower() in ORDINARY:
        return word.group()
    return re.sub(r"[a-z]", "x", re.sub(r"[A-Z]", "X", word.group()))


def table(title: str, rows: list[list], header: list[str]) -> None:
    cells = [[str(value) for value in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for number, row in enumerate(cells):
        print("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))


if __name__ == "__main__":
    sys.exit(main())
