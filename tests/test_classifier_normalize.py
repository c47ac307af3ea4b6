import pytest

from classifier import normalize_text
from classifier.normalize import normalize_texts


def test_placeholders_for_urls_mentions_numbers_and_emoji():
    text = "Min @pdamtuban banyu gak mili wes 3 dino!!! https://t.co/abc 😡😡 #LaporTuban"
    assert normalize_text(text) == "admin xmention air tidak mengalir sudah xnum dino xurl xemoji xemoji laportuban"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("tolonggg parahhh", "tolong parah"),
        ("yg blm udh tdk knp tp dll", "yang belum sudah tidak kenapa tapi dan lain lain"),
        ("dalane bolong, lampune mati", "jalan berlubang lampu mati"),
        ("got mampet, suwun", "got tersumbat terima kasih"),
        ("min banyu ga mili, dalan rusak, lampu gak urip", "admin air tidak mengalir jalan rusak lampu tidak urip"),
        ("Rp 150.000 tgl 12/11/2026 jam 08:30", "rp xnum tgl xnum jam xnum"),
        ("ＦＵＬＬＷＩＤＴＨ Ｔｅｘｔ", "fullwidth text"),
        ("", ""),
    ],
)
def test_slang_javanese_and_spelling_variants_map_to_one_form(text, expected):
    assert normalize_text(text) == expected


def test_hostile_text_is_reduced_to_words():
    assert normalize_text("<script>alert('x')</script>") == "script alert x script"
    assert normalize_text("a\u200b\u202eb") == "a b"


def test_a_batch_is_normalised_like_single_texts_even_when_huge():
    huge = "jalan rusak " * 2_000 + "🙏" * 500
    texts = ["Tolonggg dibenerin", huge, ""]
    assert normalize_texts(texts) == [normalize_text(text) for text in texts]
    assert normalize_texts([huge])[0].split().count("xemoji") == 500


def test_the_lead_is_the_opening_words_of_the_first_line():
    from classifier.normalize import LEAD_WORDS, lead_texts

    title_and_body = "Jalan Rusak di Desa Kedungrejo\nSudah tiga bulan jalan ini berlubang"
    long_line = " ".join(f"kata{n}" for n in range(20))
    assert lead_texts([title_and_body, long_line, ""]) == [
        "Jalan Rusak di Desa Kedungrejo",
        " ".join(f"kata{n}" for n in range(LEAD_WORDS)),
        "",
    ]


def test_a_batch_is_one_pass_yet_each_post_stays_whole():
    """Posts are joined by newlines for one pass over the batch: a post's own line breaks must not split it."""
    texts = ["Jalan Rusak\nsudah 3 bulan", None, "lampu\r\nmati\u2028lagi", "https://t.co/a\n@pdam\n#banjir"]
    assert normalize_texts(texts) == [
        "jalan rusak sudah xnum bulan",
        "",
        "lampu mati lagi",
        "xurl xmention banjir",
    ]
    assert [normalize_text(text) for text in texts] == normalize_texts(texts)


def test_symbols_are_emoji_tokens_and_other_characters_only_separate_words():
    assert normalize_text("^_^ mantap`") == "xemoji xemoji mantap xemoji"
    assert normalize_text("jalanérusak ✓ ok") == "jalan rusak xemoji ok"
    assert normalize_text("№5 ¼") == "no xnum xnum xnum"


def test_a_remembered_spelling_gives_the_same_text_the_second_time():
    first = normalize_texts(["gakkk mili, tolonggg", "aaa bbbb dll"])
    assert first == ["tidak mengalir tolong", "aa bb dan lain lain"]
    assert normalize_texts(["gakkk mili, tolonggg", "aaa bbbb dll"]) == first
