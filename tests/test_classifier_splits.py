"""Grouped splits: copies of one post never sit on both sides."""

import numpy as np

from classifier.splits import final_split, grouped_splits, near_duplicate_groups


def test_retweets_and_copies_with_other_mentions_links_or_numbers_share_a_group():
    texts = [
        "lampu jalan di jl. pemuda mati 3 hari",
        "RT @warga1: lampu jalan di jl. pemuda mati 5 hari https://t.co/x",
        "@laportuban lampu jalan di jl. pemuda mati 3 hari",
        "sampah di pasar baru belum diangkut",
    ]
    groups = near_duplicate_groups(texts)
    assert groups[0] == groups[1] == groups[2] != groups[3]


def test_no_group_straddles_a_split_and_every_row_is_tested_once():
    texts = [f"keluhan nomor {n} tentang {'jalan' if n % 2 else 'air'} {'x' * (n % 7)}" for n in range(60)]
    texts += [f"RT @akun{n}: {texts[n]}" for n in range(10)]
    target = np.array([n % 2 == 0 for n in range(len(texts))])
    groups = near_duplicate_groups(texts)
    splits = grouped_splits(texts, target)
    assert sorted(np.concatenate([test for _, test in splits]).tolist()) == list(range(len(texts)))
    for train, test in splits:
        assert not set(groups[train]) & set(groups[test])


def test_posts_that_open_with_the_same_handles_are_not_copies_of_each_other():
    """Without "@", agency handles open hundreds of unrelated posts; the key looks past words that common."""
    handles = "ridwankamil odedmd diskominfobdg"
    reports = [f"{handles} perbaikan saluran di {street} selesai hari ini" for street in STREETS]
    chatter = [f"{handles} pertanyaan {chr(97 + n % 26)}{chr(97 + n // 26)}x soal layanan" for n in range(60)]
    texts = [*reports, f"RT @dbmpkotabdg: {reports[0]} https://t.co/x", *chatter]
    groups = near_duplicate_groups(texts)
    assert len(set(groups[: len(STREETS)])) == len(STREETS), "different works reports, different groups"
    assert groups[0] == groups[len(STREETS)], "a retweet stays with its source"


def test_the_untouched_part_is_a_grouped_stratified_fifth_that_never_changes():
    texts = [f"laporan {kind} nomor {n} di desa {chr(97 + n % 26)}{n}" for n in range(200) for kind in ["jalan"]]
    texts += [f"RT @warga: {texts[n]}" for n in range(0, 200, 4)]
    labels = np.array(["complaint" if n % 3 else "other" for n in range(len(texts))])
    development, untouched = final_split(texts, labels)
    groups = near_duplicate_groups(texts)
    assert not set(groups[development]) & set(groups[untouched])
    assert sorted([*development, *untouched]) == list(range(len(texts)))
    assert 0.15 <= len(untouched) / len(texts) <= 0.25
    assert abs((labels[untouched] == "other").mean() - (labels == "other").mean()) < 0.05
    again = final_split(list(texts), labels)
    assert np.array_equal(again[1], untouched)
    assert not any(np.array_equal(np.sort(test), np.sort(untouched)) for _, test in grouped_splits(texts, labels))


STREETS = ["jl. merdeka", "jl. asia afrika", "jl. braga", "jl. dago", "jl. riau", "jl. cihampelas", "jl. setiabudi"]
