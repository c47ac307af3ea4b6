"""Remove personal data from text that leaves the office (public posts, LAPOR! entries).

Masked: NIK (16 digits, also written with separators or partly starred), phone
numbers, e-mail addresses, licence plates, customer / account / ID numbers
after their label, house numbers of street addresses, and names introduced as
a private person's ("nama saya ...", "a.n. ...", "Pak Budi ...").
Kept: officials' titles (Pak Bupati, Bu Camat: not private data), times, dates,
money, counts, RT/RW, ticket and tracking numbers, place and road names.

The rules below run in order on the text; each masks what it catches and
leaves the rest exactly as it was. Later rules never match a mask, so the order
only decides which mask a number gets (a 16-digit customer number is a [NIK]).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

NIK_MASK = "[NIK]"
PHONE_MASK = "[nomor telepon]"
EMAIL_MASK = "[email]"
PLATE_MASK = "[nopol]"
NUMBER_MASK = "[nomor]"
NAME_MASK = "[nama]"


def _words(text: str) -> str:
    """A regex alternative of the whitespace-separated words in ``text``."""
    return "|".join(sorted(text.split(), key=len, reverse=True))


# Titles and offices: "Pak Bupati", "Bu Camat", "Pak RT" are not private names.
_OFFICIALS = _words(
    """
    Bupati Wabup Wakil Camat Lurah Kades Kadus Kasun Petinggi Carik Modin Kamituwo Sekdes Perangkat Kepala Kadis
    Kadinkes Kadinsos Kabid Kasi Kasubag Sekda Sekretaris Gubernur Wagub Walikota Wali Presiden Wapres Menteri
    Menpan Mensos Menkes Mendikbud Menhub Mendagri Menaker Menag Menkumham Menkeu Kapolri Kapolda Kapolres Kapolsek
    Kanit Dandim Danramil Babinsa Bhabinkamtibmas Dewan DPRD Anggota Ketua Direktur Dirut Kacab Manajer Pimpinan
    Pejabat Petugas Polisi Satpam Sopir Supir Kurir Jukir Dokter Bidan Perawat Mantri Guru Dosen Kepsek Rektor
    Dekan Kaprodi Admin Mimin Min RT RW
    """
)
# Words that follow a name cue without being a name: pronouns, kin, verbs, roles, organisations, labels, places.
_NOT_NAMES = _words(
    """
    saya aku sy kami kita dia beliau mereka anda ini itu tersebut yang yg dan atau dengan dg dgn di ke dari untuk
    utk pada sudah sdh telah belum blm tidak tdk tak masih juga akan mau ingin sedang adalah ialah sebagai selaku
    ada hilang tergabung terdaftar tercantum tertera tertulis berubah salah benar sesuai jatuh sakit heran kaget
    mohon tolong terima kasih selamat yth hormat assalamualaikum salam maaf minta sangat merasa kecewa bingung
    ibu bapak ayah anak suami istri adik kakak nenek kakek mertua saudara saudari teman tetangga keluarga warga
    almarhum almarhumah alm almh ahli waris pemilik penerima pelapor pemohon peserta pasien nasabah pelanggan
    mahasiswa siswa pelajar pegawai karyawan pensiunan honorer petani nelayan pedagang buruh orang
    perusahaan instansi pemerintah pemkab pemkot pemda dinas kantor bank toko warung pangkalan koperasi yayasan
    pemuda pt cv ud tbk sekolah sd smp sma smk sdn smpn sman lengkap hamil menyusui rumah tangga kota negara
    pertiwi laporan data dr drs ir prof hj kh haji hajah ustadz kyai nyonya tuan nona by
    nik nip nim nidn nrk nrg nuptk npwp kk ktp kpj kis kks kip jkn bpjs va no nomor nomer alamat hp wa telp telepon
    tanggal tgl lahir umur usia kec kel kecamatan kelurahan desa ds dusun dsn rt rw jl jalan gang gg kab kabupaten
    """
)
_NAME_START = rf"(?!(?i:{_NOT_NAMES}|{_OFFICIALS})\b)"
# Titles and initials between a cue and the name: "Bpk. H. Slamet", "a.n. Drs. Sumarno", "Hj Siti", "Ibu S. Wahyuni".
_TITLES = (
    r"(?:(?i:H|Hj|Drs?|Ir|Prof|Ust|Ustadz|KH|BY|Ny|Tn|Haji|Hajah|Kyai|Mbah|Nyonya|Tuan|Nona)(?:\.\s*|\s+)"
    r"|[A-Z]\.\s*)*"
)


def _name(lowercase: bool, caps: int) -> str:
    """One to four words of a name: Capitalised or ALL CAPS (``caps`` letters or more), with initials.

    With ``lowercase``, after explicit cues ("nama saya budi"), also lowercase names, and names of mixed case
    ("Rudi hartono") when they end the line or clause. Without it (after "Pak"), a lowercase word is far more
    often an ordinary word ("pak tolong") than a name.
    """
    capitalised = rf"{_NAME_START}(?:[A-Z][a-z'`]+|[A-Z]{{{caps},}}\b)"
    initial = r"(?:[A-Z]\.(?=[A-Z][a-z])|[A-Z]\b\.?)"  # "Darto S", "Dewi K.Lestari"
    name = rf"{capitalised}(?:(?:[ \t]+|(?<=\.))(?:{capitalised}|{initial})){{0,3}}"
    if not lowercase:
        return name
    lower = rf"{_NAME_START}[a-z][a-z`]+"
    mixed = rf"(?:{capitalised}|{lower})(?:[ \t]+(?:{capitalised}|{lower}|{initial})){{1,3}}(?=[ \t]*(?:[\n,.;:()]|$))"
    return rf"(?:{mixed}|{name}|{lower}(?:[ \t]+{lower}){{0,3}})"


def _either_case(words: str) -> str:
    """``Pak|Bu`` -> ``[Pp]ak|[Bb]u``: a cue may be lowercase, but not SHOUTED (shouting makes every word caps)."""
    return "|".join(f"[{w[0].upper()}{w[0].lower()}]{w[1:]}" for w in words.split("|"))


_HONORIFICS = (
    rf"(?:(?:{_either_case('Pak|Bu|Bapak|Ibu|Mas|Mbak|Mbah|Kak|Cak|Ning|Dik|Dek|Saudara|Saudari')})\b"
    rf"|(?:{_either_case('Bpk|Sdr|Sdri|Ny|Tn')})\b\.?)"
)
_KIN = _either_case("ibu|bapak|ayah|suami|istri|anak|adik|kakak|nenek|kakek|mertua|teman|tetangga")
_NAME_LABEL_WORDS = "saya|lengkap|pemohon|pelapor|penerima|peserta|pasien|ibu kandung|ibu|bapak|ayah|suami|istri|anak"

# Cues after which a name follows, written in any case and possibly lowercase itself.
_NAME_CUES = "|".join(
    [
        r"\b(?i:nama\s+saya(?:\s+adalah)?|saya\s+bernama|atas\s+nama)\s*:?\s*",
        r"\b(?i:a\s?[./]\s?n)\b\.?\s*:?\s*",  # a.n. / a/n / a. n.
        r"(?<![\w-])(?i:an)\.\s*",  # An. (not the suffix of "juta-an.")
        r"\b[Aa]n\s+(?=[A-Z])",  # an Wulan
        rf"\b(?i:nama)(?:\s+(?i:{_NAME_LABEL_WORDS}|e-ktp)){{0,2}}\s*:[ \t]*\n?[ \t]*",  # Nama : X, NAMA IBU: X
        r"\b(?i:sdri?)\.\s*",  # Sdr. / Sdri.
    ]
)
# Cues that also introduce things ("bernama Sinar Jaya"), so the name must be Capitalised.
_CAPITALISED_NAME_CUES = "|".join(
    [
        r"\bbernama\s+",
        rf"\b(?:{_KIN})\s+(?:saya|kami|ku)\s*[(,:]?\s*",  # ibu saya (Kasmiatun, ...; suami saya Darto
        rf"\b[Nn]ama\s+(?:{_either_case(_NAME_LABEL_WORDS)})\s+",  # nama penerima Sutini
    ]
)
_REGIONS = _words(
    """
    A B D E F G H K L M N P R S T W Z AA AB AD AE AG BA BB BD BE BG BH BK BL BM BN BP DA DB DC DD DE DG DH DK DL
    DM DN DR DS DT EA EB ED KB KH KT KU PA PB RI
    """
)
_MAIL_HOSTS = "gmail|googlemail|yahoo|ymail|rocketmail|hotmail|outlook|live|icloud|proton(?:mail)?|aol"

# Labels whose number identifies a person: NIK (masked as [NIK]) and customer, account, card and staff numbers.
_NIK_LABELS = r"nik|no\.?\s*ktp|nomor\s+ktp|ktp|induk\s+kependudukan"
_NUMBER_LABELS = (
    r"kk|kartu\s+keluarga|kpj|nip|nrk|nim|nidn|nuptk|nrg|npwp|bpjs|jkn|kis|kks|jamkesmas|pelanggan|id\s?pel\w*"
    r"|idpel|rekening|norek|virtual\s+account|va|kartu"
    # these are ordinary words too, so they count as labels only after "no", "nomor" or "id"
    r"|(?:no|nomor|nomer|nmr|id)\.?\s*(?:rek|meter|peserta|anggota|polis|akun|kwh)"
)
# Between label and value: "NIK : ", "no. rek ", "KPJ lama : ", "rekening BRI saya "
_LABEL_GAP = (
    r"\b[\s.:=#-]*(?:(?:no|nomor|nomer|lama|baru|saya|kami|aktif|bri|bni|bca|btn|bsi|mandiri|jatim|bank\s+\w+)"
    r"\b\.?\s*:?\s*){0,2}"
)
# An ID value: digits and upstream masks ("0002[*****]71"), groups joined by . - / or a space.
_ID_VALUE = r"(?:\d|\[\*+\]|[*xX](?=[\d*xX]))(?:[\d*xX]|\[\*+\]|[.\-/](?=[\d\[*])|[ ](?=\d{3}|\d{1,2}[ ]\d))*"
_YEARS = re.compile(r"(?:19|20)\d\d(?:\s?[-/]\s?(?:19|20)?\d\d)?")  # "BPJS 2016-2017" names a period, not a card


def _id_number(mask: str) -> Callable[[re.Match[str]], str]:
    """Replace an ID value after its label unless it is too short to identify anyone (``kartu 3``, ``KK 2``)."""

    def replace(match: re.Match[str]) -> str:
        value = match.group(2)
        digits = sum(c.isdigit() for c in value)
        if digits == 0 or digits + value.count("*") < 5 or _YEARS.fullmatch(value):
            return match.group()
        return match.group(1) + mask

    return replace


_WORD_START = r"(?<![\w.+-])"  # start of an address's local part only: keeps a long word from costing n² steps
_NOT_AFTER_NUMBER = r"(?<!\d)(?<!\d[.,])"  # not the tail of a longer number or of money such as "1.081.234"

_RULES: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    # e-mail: siti.aminah@gmail.com
    (rf"{_WORD_START}[\w.+-]+@[\w-]+(?:\.[\w-]+)+", EMAIL_MASK),
    # e-mail written to dodge harvesters: "siti (at) gmail (dot) com", "siti [at] desa.id"
    (
        rf"(?i){_WORD_START}[\w.+-]+\s*[(\[{{]at[)\]}}]\s*[\w-]+(?:\s*(?:\.|[(\[{{]dot[)\]}}])\s*[\w-]+)+",
        EMAIL_MASK,
    ),
    # e-mail with spaces around @, only for mail hosts (a "@name" mention after a word is not an address)
    (rf"(?i){_WORD_START}[\w.+-]+\s*@\s*(?:{_MAIL_HOSTS})(?:\s*\.\s*[a-z]{{2,3}}){{1,2}}\b", EMAIL_MASK),
    # NIK: 16 digits, or 4-4-4-4 / 6-6-4 / 2-2-2-6-4 groups ("3523 0123 4567 8901", "35.23.01.010190.0001")
    (
        (
            rf"{_NOT_AFTER_NUMBER}(?:\d{{16}}|\d{{4}}([ .\-])\d{{4}}\1\d{{4}}\1\d{{4}}|\d{{6}}([ .\-])\d{{6}}\2\d{{4}}"
            r"|\d{2}\.\d{2}\.\d{2}\.\d{6}\.\d{4})(?![.\-]?\d)"
        ),
        NIK_MASK,
    ),
    # NIK partly starred or x-ed out by its writer: "352301******0003", "xxxxxxxxxx120003"
    (r"(?<![\w*])(?=(?:[*xX]*\d){4})(?=[\dxX]*\*|[\d*]*[xX])[\d*xX]{16}(?![\w*])", NIK_MASK),
    # whatever follows "NIK" / "no KTP", also the digits left beside an upstream mask: "NIK [*****]120099"
    (
        rf"(?i)(\b(?:{_NIK_LABELS}){_LABEL_GAP})({_ID_VALUE})",
        _id_number(NIK_MASK),
    ),
    # customer, account, card and staff numbers after their label: "no pelanggan 01.02.12345", "norek 0123 456 789"
    (
        rf"(?i)(\b(?:{_NUMBER_LABELS}){_LABEL_GAP})({_ID_VALUE})",
        _id_number(NUMBER_MASK),
    ),
    # mobile: 0812-3456-7890, +62 857 1234 5678, 62-812..., 0 8 1 2 3 4 ..., (+62) 0812...
    (
        (
            rf"{_NOT_AFTER_NUMBER}(?<!\+)(?:\(?\+\s?62\)?|\b62|\b0)[ .\-]{{0,2}}(?:\(0\)[ .\-]?|0[ .\-]?)?8"
            r"(?:(?: ?[.\-] ?| )?\d){8,11}(?![ .\-]?\d)"
        ),
        PHONE_MASK,
    ),
    # landline with its area code: (0356) 321234, 0356-321234, 021 1234 5678, +62 356 321234
    (
        (
            rf"{_NOT_AFTER_NUMBER}(?:\(\s?0[2-79]\d{{1,2}}\s?\)|\b0[2-79]\d{{1,2}}|\+\s?62[ .\-]?[2-79]\d{{1,2}})"
            r"[ .\-]{0,2}\d{3,4}[ .\-]?\d{3,4}(?![ .\-]?\d)"
        ),
        PHONE_MASK,
    ),
    # licence plate in its usual spelling: "S 1234 AB", "DK 1234 XY"
    (rf"\b(?:{_REGIONS}) \d{{1,4}} [A-Z]{{1,3}}\b", PLATE_MASK),
    # licence plate after its label, in any spelling: "plat S1234AB", "nopol s-1234-ab", "plat no 5521 KT"
    (
        (
            r"(?i)(\b(?:plat|nopol|no\.?\s?pol|nomor\s+polisi|tnkb)(?:\s+(?:nomor|nomer|no)\b\.?)?\s*:?\s*)"
            r"(?:[a-z]{1,2}[ \-]?)?\d{1,4}[ \-]?[a-z]{1,3}\b"
        ),
        rf"\1{PLATE_MASK}",
    ),
    # house number of a street address: "Jl. Pahlawan No. 12", "Gg. Melati no.7A", "Perum Griya blok C no 5"
    (
        (
            r"(?i)(\b(?:jl|jln|jalan|gg|gang|perum|perumahan|komplek|kompleks|komp|blok|dusun|dsn)\b\.?"
            r"[^\n,;()]{1,40}?\bno(?:mor)?(?![a-z])\.?\s*:?\s*)\d+(?:[/-]\d+|[a-z]{1,2}\b)?"
        ),
        rf"\1{NUMBER_MASK}",
    ),
    # name after an explicit cue, in any case: "nama saya Siti", "atas nama SITI AMINAH", "a.n. budi", "Nama : X"
    (
        rf"((?:{_NAME_CUES})(?:{_HONORIFICS}\s+)?{_TITLES})({_name(lowercase=True, caps=2)})",
        rf"\1{NAME_MASK}",
    ),
    # Capitalised name after a cue that also introduces things: "yang bernama Warsini", "ibu saya (Kasmiatun, ..."
    (
        rf"((?:{_CAPITALISED_NAME_CUES})(?:{_HONORIFICS}\s+)?{_TITLES})({_name(lowercase=False, caps=3)})",
        rf"\1{NAME_MASK}",
    ),
    # a name the writers give as their own: "Saya Hendra, wali murid", "Saya Rina Wulandari NIK ..."
    (
        (
            rf"(\b[Ss]aya\s+)({_name(lowercase=False, caps=3)})(?=\s*[,(]|\s+(?i:dari|warga|wali|selaku|orang\s+tua"
            r"|pemilik|pelapor|nik|nip|dengan|asal|tinggal|beralamat|alamat)\b)"
        ),
        rf"\1{NAME_MASK}",
    ),
    # name after an honorific, Capitalised: "Pak Karno Sutrisno", "Bu Ninik", "Bpk. H. Warsito", "Mbak Yayuk"
    (
        rf"(\b{_HONORIFICS}\s+{_TITLES})({_name(lowercase=False, caps=4)})",
        rf"\1{NAME_MASK}",
    ),
]


@cache
def _compiled_rules() -> list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]]:
    """``_RULES`` compiled on first use: compiling them takes longer than importing the rest of the package."""
    return [(re.compile(pattern), replacement) for pattern, replacement in _RULES]


def redact(text: str) -> str:
    """Return ``text`` with personal data masked; the rest of the text is kept as it was."""
    for pattern, replacement in _compiled_rules():
        text = pattern.sub(replacement, text)
    return text
