"""The fast TF-IDF: the same numbers as scikit-learn's vectorisers, however often and wherever it is used."""

import numpy as np
import pytest
import skops.io as sio
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.features import TextFeatures
from classifier.normalize import normalize_texts
from classifier.storage import TRUSTED_TYPES

TRAINING = normalize_texts(
    [
        "lampu jalan di jl. pemuda mati 3 hari",
        "air pdam tidak mengalir sudah seminggu, tolong min",
        "terima kasih jalan di desa kami sudah diperbaiki",
        "jalan berlubang di depan sekolah belum diperbaiki",
        "sampah menumpuk di pasar baru, bau sekali",
        "selamat hari jadi tuban, semoga makin maju",
        "a b c jalan x jalan",
    ]
)
UNSEEN = normalize_texts(
    ["jalan jalan rusak parah di desa", "", "x", "zzzq qqq lampu mati", "anana ananas", "jalan berlubang lagi"]
)


def reference():
    """scikit-learn's word 1–2-gram and char_wb 2–5-gram TF-IDF, settings as in ``TextFeatures``."""
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=False).fit(TRAINING)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, lowercase=False)
    chars.fit(TRAINING)
    return words, chars


def by_name(features: TextFeatures, matrix) -> dict[tuple[int, str], float]:
    """Each non-zero value keyed by (row, feature name)."""
    words = features.words_.split("\n")
    count = len(words)
    bigrams = [f"{words[key // count]} {words[key % count]}" for key in features.bigram_keys_.tolist()]
    names = [*words, *bigrams, *(f"char:{ngram}" for ngram in features.ngrams_.split("\n"))]
    rows, columns = matrix.nonzero()
    return {(row, names[column]): matrix[row, column] for row, column in zip(rows, columns, strict=True)}


def reference_by_name(texts: list[str]) -> dict[tuple[int, str], float]:
    """The reference vectorisers' values, keyed like ``by_name`` (their column order differs)."""
    words, chars = reference()
    result = {}
    for vectorizer, prefix in ((words, ""), (chars, "char:")):
        matrix = vectorizer.transform(texts)
        names = vectorizer.get_feature_names_out()
        rows, columns = matrix.nonzero()
        pairs = zip(rows, columns, strict=True)
        result.update({(row, prefix + names[column]): matrix[row, column] for row, column in pairs})
    return result


def test_the_features_equal_scikit_learns_tfidf_vectorisers_column_for_column():
    features = TextFeatures().fit(TRAINING)
    for texts in (TRAINING, UNSEEN):
        mine, theirs = by_name(features, features.transform(texts)), reference_by_name(texts)
        assert mine.keys() == theirs.keys()
        assert all(mine[key] == pytest.approx(theirs[key], abs=1e-12) for key in theirs)


def test_remembered_words_give_the_same_matrix_and_a_stored_model_forgets_them():
    features = TextFeatures().fit(TRAINING)
    first = features.transform(UNSEEN).toarray()
    assert np.array_equal(features.transform(UNSEEN).toarray(), first)
    restored = sio.loads(sio.dumps(features), trusted=list(TRUSTED_TYPES))
    assert "_cache" not in restored.__dict__
    assert np.array_equal(restored.transform(UNSEEN).toarray(), first)


def test_every_row_is_unit_length_per_block_and_empty_text_is_all_zero():
    features = TextFeatures().fit(TRAINING)
    matrix = features.transform(UNSEEN).toarray()
    words = len(features.word_idf_)
    assert np.allclose(np.linalg.norm(matrix[0, :words]), 1) and np.allclose(np.linalg.norm(matrix[0, words:]), 1)
    assert not matrix[1].any()
