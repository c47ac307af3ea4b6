"""Tuban's desa and kelurahan (``satukanal/data/tuban_desa.csv``) and ``find_desa``: names recognised after a
prefix or when distinctive, shared names settled by the kecamatan, everyday words left alone."""

from __future__ import annotations

import csv
from collections import Counter
from importlib.resources import files

import pytest

from satukanal.tuban import KECAMATAN, Village, find_desa, villages


def rows() -> list[dict[str, str]]:
    with files("satukanal").joinpath("data/tuban_desa.csv").open(encoding="utf-8", newline="") as data:
        return list(csv.DictReader(data))


def test_the_data_holds_tubans_328_desa_and_kelurahan_in_its_20_kecamatan():
    data = rows()
    assert len(data) == 328 == sum(len(items) for items in villages().values())
    assert len({row["kode"] for row in data}) == 328
    assert all(row["kode"].startswith("35.23.") and len(row["kode"]) == 13 for row in data)
    assert set(row["kecamatan"] for row in data) == set(KECAMATAN)
    kinds = Counter(row["jenis"] for row in data)
    assert kinds == {"desa": 311, "kelurahan": 17}
    assert all((row["jenis"] == "kelurahan") == (row["kode"][9] == "1") for row in data)
    notice = files("satukanal").joinpath("data/NOTICE.md").read_text(encoding="utf-8")
    assert all(
        part in notice for part in ("cahyadsn/wilayah", "MIT License", "b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7")
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Desa Maindu krisis air bersih", Village("Maindu", "Montong")),
        ("BLT kok sing oleh wong sugih. Ds. Dahor Grabagan", Village("Dahor", "Grabagan")),
        ("ds lajo lor dalane rusak", Village("Lajo Lor", "Singgahan")),
        ("banjir nang Ds. Wanglukulon Senori", Village("Wanglukulon", "Senori")),
        ("banjir nang Ds. Wanglu Kulon", Village("Wanglukulon", "Senori")),
        ("Leran-Kulon peteng", Village("Leran Kulon", "Palang")),
        ("rumah saya di Kel. Perbon kebanjiran", Village("Perbon", "Tuban", kelurahan=True)),
        ("Kelurahan Gedongombo", Village("Gedongombo", "Semanding", kelurahan=True)),
        # distinctive names count without a prefix
        ("Banyu PDAM nang Jegulo keruh", Village("Jegulo", "Soko")),
        ("lampu PJU nang prapatan Saringembat mati", Village("Saringembat", "Singgahan")),
        # a word first, but followed by its kecamatan
        ("laporanku soal dalan Tawaran Kenduruan", Village("Tawaran", "Kenduruan")),
        # the first prefixed name wins over an earlier distinctive one
        ("Jembatan Glagahsari putus, warga Ds. Simo muter", Village("Simo", "Soko")),
        # names several kecamatan share: the prefix, the kecamatan named, the caller's kecamatan, or none
        ("sampah TPS Kel. Sidorejo", Village("Sidorejo", "Tuban", kelurahan=True)),
        ("dalan Ds. Sidorejo Kenduruan", Village("Sidorejo", "Kenduruan")),
        ("lampu mati nang Ds. Sumurgung Kec. Palang", Village("Sumurgung", "Palang")),
        ("lampu mati nang Ds. Sumurgung", Village("Sumurgung", None)),
        ("banyu PDAM nang Latsari mati", Village("Latsari", None)),
    ],
)
def test_find_desa_recognises_a_desa_and_its_kecamatan(text, expected):
    assert find_desa(text) == expected


def test_the_callers_kecamatan_settles_a_shared_name():
    assert find_desa("lampu mati nang Ds. Sumurgung", "Montong") == Village("Sumurgung", "Montong")
    assert find_desa("Ds. Sumurgung", "Tuban").label == "Desa Sumurgung"
    assert find_desa("Kel. Kingking").label == "Kelurahan Kingking"


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "Ada tawaran kerja, jadi sumber dananya dari gaji bulanan",
        "Penambangan pasir liar bikin jalan rusak",
        "kayu jati gede tumbang, sendang e asat, rahayu kabeh",
        "Jalan rusak di Kecamatan Bangilan",
        "Tuban Bumi Wali, desaku adem",
        "kelurahan ora tau mbales",
        "rek ayo jadi relawan",
        "@latsari_ngopi #sugihwaras_bersih",
    ],
)
def test_find_desa_leaves_everyday_words_kecamatan_and_handles_alone(text):
    assert find_desa(text) is None
