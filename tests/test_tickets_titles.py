"""Default ticket titles (``satukanal.tickets.titles``): what a complaint is about and where, never the greeting it
opens with, and always a sensible title within the limit, whatever the text holds."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from publisher import redact
from satukanal.tickets.service import TITLE_LIMIT
from satukanal.tickets.titles import GENERIC_SUBJECT, propose_title, title_subject
from tests.hostile_imports import HOSTILE_STRINGS
from tests.title_checks import assert_sensible


def title(text: str, category: str | None = None, kecamatan: str | None = None) -> str:
    """The title ``open_ticket`` gives a post with ``text``: built from the redacted text."""
    return propose_title(redact(text), category, kecamatan, TITLE_LIMIT)


@pytest.mark.parametrize(
    ("text", "category", "expected"),
    [
        (
            "Assalamualaikum. Saya warga Widang mau mengurus akta kematian almarhum bapak untuk keperluan klaim, "
            "sudah 3 kali ke kantor disuruh melengkapi terus",
            "adminduk",
            "Administrasi kependudukan di Kec. Widang: sudah 3 kali ke kantor disuruh melengkapi terus",
        ),
        (
            "Permisi min. Saya daftar sambungan baru PDAM di Ds. Temaji Jenu sudah bayar sejak Agustus, sampai "
            "sekarang belum dipasang.",
            "air_minum",
            "Air bersih PDAM di Desa Temaji, Kec. Jenu: saya daftar sambungan baru PDAM sudah bayar sejak…",
        ),
        (
            "Selamat siang min. Air PDAM di rumah sudah 10 hari mati, tapi tagihan November tetap Rp134.000. "
            "Kel. Mondokan.",
            "air_minum",
            "Air bersih PDAM di Kelurahan Mondokan, Kec. Tuban: air PDAM di rumah sudah 10 hari mati",
        ),
        (
            "Mohon maaf Kak. Lampu jalan nang Ds. Panyuran mati kabeh sak dalan, wes sewulan 😔 @laportuban",
            "penerangan_jalan",
            "Lampu penerangan jalan di Kelurahan Panyuran, Kec. Palang: lampu jalan mati kabeh sak dalan",
        ),
        (
            "Wong Tuban ki sabar tenan. Dalan bolong disabari, banyu mati disabari 🥲☕",
            "jalan_jembatan",
            "Jalan dan jembatan: dalan bolong disabari, banyu mati disabari",
        ),
        (
            "Min sampah di TPS pinggir jalan Kel. Sidorejo belum diangkut 4 hari 🤢🤢",
            "sampah",
            "Sampah dan lingkungan di Kelurahan Sidorejo, Kec. Tuban: sampah di TPS pinggir jalan Sidorejo…",
        ),
        (
            "Sugeng enjang lur, nuwun sewu badhe matur: jembatan bambu nang Ds. Sidomukti Kenduruan wes lapuk",
            "jalan_jembatan",
            "Jalan dan jembatan di Desa Sidomukti, Kec. Kenduruan: jembatan bambu wes lapuk",
        ),
        (
            "Penelepon dari Ds. Kedungharjo, Kec. Bangilan menyampaikan bantuan BPNT istrinya tidak masuk ke KKS.",
            "bansos",
            "Bantuan sosial di Desa Kedungharjo, Kec. Bangilan: bantuan BPNT istrinya tidak masuk ke KKS",
        ),
    ],
)
def test_a_title_names_the_category_the_place_and_the_complaint_not_the_greeting(text, category, expected):
    result = title(text, category)
    assert result == expected
    assert_sensible(result, category)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "🙏🙏🔥💯😭",
        "Assalamualaikum.",
        "Permisi min.",
        "Selamat siang min.",
        "Mohon maaf Kak.",
        "Kel.",
        "Halo min, tolong dicek ya. Terima kasih 🙏",
        "Punten, nyuwun sewu. Matur nuwun sanget lur.",
        "Selamat Hari Jadi Kabupaten Tuban ke-733 🎉 semoga makin maju!",
        "@laportuban @pemkabtuban #tuban https://x.com/laportuban/status/1",
        "<script>alert(1)</script><b>halo</b><img src=x onerror=alert(1)>",
        "\x00\x00\x00",
        "?!?!...,,,((((",
        "a" * 5000,
        "[nama] [nomor telepon]",
    ],
)
@pytest.mark.parametrize("category", [None, "jalan_jembatan", "lainnya"])
def test_a_text_without_content_still_gets_a_sensible_title(text, category):
    result = title(text, category)
    assert_sensible(result, category)
    assert result == f"{title_subject(category)} di Kabupaten Tuban"


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        (
            "<script>alert(1)</script> jalan rusak di depan balai desa Tasikharjo Jenu, min. <b>tolong</b> &amp; "
            "segera ditambal",
            "jalan rusak di depan balai desa Tasikharjo",
            ("script", "alert", "<b>", "&amp;"),
        ),
        ("\x00jalan\x00 rusak\u200b di Kec. Jenu\u202e\x1b[31m", "jalan rusak", ("\x00", "\u202e", "\x1b")),
        ("𝗝𝗔𝗟𝗔𝗡 𝗥𝗨𝗦𝗔𝗞 nang Ds. Maindu 🚧🚧", "JALAN RUSAK", ("𝗝", "🚧")),
        ("jalan rusak " * 10_000, "jalan rusak jalan rusak", ()),
        ("Lampu jalan mati.\n" + "x" * 100_000, "lampu jalan mati", ()),
    ],
)
def test_markup_controls_and_oddities_never_reach_the_title(text, kept, dropped):
    result = title(text, "jalan_jembatan")
    assert_sensible(result, "jalan_jembatan")
    assert kept in result
    assert not any(junk in result for junk in dropped), result


def test_personal_data_stays_masked_even_written_in_look_alike_digits():
    result = title(
        "Jalan rusak di Ds. Maindu, hubungi 0812-3456-7890 atau NIK ３５２３０１２３４５６７８９０１ a.n. Budi Santoso",
        "jalan_jembatan",
    )
    assert_sensible(result, "jalan_jembatan")
    assert not re.search(r"\d{4}", result) and "Budi" not in result
    assert result == "Jalan dan jembatan di Desa Maindu, Kec. Montong: jalan rusak"


def test_the_proposed_title_is_stable_under_redaction_so_sending_it_back_keeps_it():
    for text in ("Min PJU depan rumah Pak Bupati mati", "Ds. Karang banjir, Kec. Semanding", "Kel. Kingking macet"):
        result = title(text, "penerangan_jalan")
        assert redact(result) == result


def test_the_moderators_kecamatan_wins_over_a_desa_of_another_kecamatan():
    text = "Jalan rusak parah di Ds. Maindu"
    assert title(text, "jalan_jembatan").startswith("Jalan dan jembatan di Desa Maindu, Kec. Montong: ")
    assert title(text, "jalan_jembatan", "Jenu").startswith("Jalan dan jembatan di Kec. Jenu: ")
    assert title("Lampu mati di Ds. Sumurgung", "penerangan_jalan", "Palang").startswith(
        "Lampu penerangan jalan di Desa Sumurgung, Kec. Palang: "
    )


def test_a_hashtag_may_name_the_place_but_is_no_part_of_the_phrase():
    result = title("Sampah kiriman numpuk di Pantai Cemara Sugihwaras #pantaicemara #jenu", "sampah")
    assert result == "Sampah dan lingkungan di Desa Sugihwaras, Kec. Jenu: sampah kiriman numpuk di Pantai Cemara…"


@pytest.mark.parametrize(
    "text",
    [
        "Penelepon " + "Ds." * 3000,
        "saya warga " + "Kel. " * 2000,
        "jalan rusak" + " ya" * 3000 + " x",
        "(" + "[ " * 5000,
    ],
)
def test_pathological_text_stays_cheap(text):
    """Patterns that once backtracked for minutes: every regex stays linear or works on a bounded piece."""
    started = time.perf_counter()
    assert_sensible(title(text))
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("limit", [30, 45, 60, 100])
def test_a_title_never_passes_its_limit(limit):
    text = "Selamat pagi. Jembatan penghubung Ds. Simo–Glagahsari ambrol separo, anak sekolah harus muter 5 km."
    result = propose_title(redact(text), "jalan_jembatan", None, limit)
    assert len(result) <= limit and result.startswith("Jalan dan jembatan")


def test_the_subject_is_the_category_label_or_the_generic_one():
    assert title_subject("air_minum") == "Air bersih PDAM"
    assert title_subject(None) == title_subject("lainnya") == GENERIC_SUBJECT == "Aduan warga"
    assert title_subject("kategori_baru") == "Kategori baru"


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(HOSTILE_STRINGS)
        | st.text(max_size=40)
        | st.sampled_from(["min", "Ds.", "Kel.", "Assalamualaikum", "🙏", "jalan rusak", ".", ", ", "\n", "<b>"]),
        max_size=12,
    ).map("".join),
    st.sampled_from([None, "jalan_jembatan", "bencana", "lainnya"]),
)
def test_any_text_gets_a_sensible_title(text, category):
    assert_sensible(propose_title(text, category, None, TITLE_LIMIT), category)
