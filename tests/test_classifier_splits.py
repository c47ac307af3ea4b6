"""Grouped splits: copies of one post never sit on both sides."""

import numpy as np

from classifier.splits import grouped_splits, near_duplicate_groups


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
