import csv
import re

import pytest

from publisher import redact
from tests.conftest import shared_file


@pytest.mark.parametrize(
    "text, gone, kept",
    [
        ("NIK saya 3523012345678901 belum aktif", ["3523012345678901"], ["NIK saya [NIK] belum aktif"]),
        ("nik 3523 0123 4567 8901", ["3523 0123 4567 8901"], ["[NIK]"]),
        ("hubungi 0812-3456-7890 atau +62 857 1234 5678", ["0812-3456-7890", "+62 857 1234 5678"], ["[nomor telepon]"]),
        ("wa 6281234567890 ya", ["6281234567890"], []),
        ("kantor (0356) 321234", ["321234"], []),
        ("email siti.aminah@gmail.com", ["siti.aminah@gmail.com"], ["[email]"]),
        ("motor S 1234 AB ditarik parkir", ["S 1234 AB"], ["[nopol]"]),
        ("no pelanggan 01.02.12345 air gak mili", ["01.02.12345"], ["no pelanggan [nomor] air gak mili"]),
        ("rumah di Jl. Pahlawan No. 12 RT 03 RW 02", ["No. 12"], ["Jl. Pahlawan No. [nomor] RT 03 RW 02"]),
        ("nama saya Siti Aminah dari Jenu", ["Siti Aminah"], ["nama saya [nama] dari Jenu"]),
        ("Pak Slamet tetangga saya juga", ["Slamet"], ["Pak [nama]"]),
    ],
)
def test_personal_data_is_masked(text, gone, kept):
    result = redact(text)
    for fragment in gone:
        assert fragment not in result
    for fragment in kept:
        assert fragment in result


@pytest.mark.parametrize(
    "text",
    [
        "Pak Bupati, jalan di Ds. Sugihwaras rusak sejak 2024",
        "lampu mati jam 19.00 tanggal 12-11-2026 di RT 3 RW 5",
        "bayar Rp 150.000 tiap bulan, 3 hari air mati",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert redact(text) == text


NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MOBILE = re.compile(r"(?<![\w+])(?:\+62|62|0)8\d{8,11}(?!\d)")


def test_no_nik_email_or_mobile_number_survives_in_real_lapor_reports():
    path = shared_file("data/lapor-reports.csv")
    with path.open(encoding="utf-8") as handle:
        texts = [f"{row['title']} {row['text']}" for row in csv.DictReader(handle)]
    found = sum(bool(p.search(t)) for t in texts for p in (NIK, EMAIL, MOBILE))
    assert found > 0, "the reference reports should contain personal data to redact"
    leaks = [t[:80] for t in map(redact, texts) if NIK.search(t) or EMAIL.search(t) or MOBILE.search(t)]
    assert leaks == []
