"""Word and character TF-IDF computed through a table of distinct words, for fast scoring.

Scoring spent two thirds of its time in scikit-learn's ``char_wb`` analyser,
which builds every character n-gram of every word of every post as a Python
string. Those n-grams only ever depend on the word (``char_wb`` pads each
word with spaces and never crosses a word boundary), and a batch of posts
repeats the same few thousand words. ``TextFeatures`` therefore looks up each
distinct word once (and remembers it across batches), builds a words × n-grams
matrix, and gets every post's n-gram counts by one sparse product with the
posts × words counts. Word unigrams and bigrams come from the same word ids
with NumPy. The result equals scikit-learn's ``TfidfVectorizer`` pair (word
1–2-grams and ``char_wb`` 2–5-grams, sublinear TF, smoothed IDF, each block
L2-normalised) column for column, which a test checks; fitting uses those
vectorisers, so the vocabulary and IDF are theirs.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

WORD_PATTERN = r"(?u)\b\w\w+\b"
"""scikit-learn's default tokens: words of two or more characters (one-letter words only count in n-grams)."""
_CACHE_LIMIT = 100_000
"""Distinct words remembered across batches; past that the memory starts again (a few tens of MB at most)."""
_SHORT = -2
"""Word id of a one-letter word: no word feature of its own, and skipped when pairing words into bigrams."""


class TextFeatures(TransformerMixin, BaseEstimator):
    """Word 1–2-gram and ``char_wb`` n-gram TF-IDF of normalised texts (lower-case words separated by spaces).

    On such texts scikit-learn's tokens are the space-separated words, which is
    what makes the word table exact.
    """

    def __init__(self, char_range: tuple[int, int] = (2, 5), char_min_df: int = 2) -> None:
        self.char_range = char_range
        self.char_min_df = char_min_df

    def fit(self, texts, y=None):
        words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=False, token_pattern=WORD_PATTERN)
        chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(self.char_range),
            min_df=self.char_min_df,
            sublinear_tf=True,
            lowercase=False,
        )
        words.fit(texts)
        chars.fit(texts)
        unigrams = sorted(term for term in words.vocabulary_ if " " not in term)
        index = {word: number for number, word in enumerate(unigrams)}
        pairs = [term.split(" ") for term in words.vocabulary_ if " " in term]
        keys = np.array([index[left] * len(unigrams) + index[right] for left, right in pairs], dtype=np.int64)
        order = np.argsort(keys)
        bigrams = [" ".join(pairs[i]) for i in order]
        ngrams = sorted(chars.vocabulary_)
        # Strings are kept joined by newlines (normalised text has none): compact in a skops file.
        self.words_ = "\n".join(unigrams)
        self.bigram_keys_ = keys[order]
        self.ngrams_ = "\n".join(ngrams)
        self.word_idf_ = words.idf_[[words.vocabulary_[term] for term in unigrams + bigrams]]
        self.ngram_idf_ = chars.idf_[[chars.vocabulary_[ngram] for ngram in ngrams]]
        self._words = None
        return self

    def transform(self, texts) -> sp.csr_matrix:
        split = [str(text).split() for text in texts]
        lengths = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
        tokens = list(chain.from_iterable(split))
        distinct = list(dict.fromkeys(tokens))
        local = {word: number for number, word in enumerate(distinct)}
        ids = np.fromiter(map(local.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        rows = np.repeat(np.arange(len(split)), lengths)
        word_ids, ngram_rows = self._lookup(distinct)
        return sp.hstack(
            [self._word_block(rows, word_ids[ids], len(split)), self._char_block(lengths, ids, ngram_rows)],
            format="csr",
        )

    def _word_block(self, rows: np.ndarray, word_ids: np.ndarray, count: int) -> sp.csr_matrix:
        """Unigram and bigram TF-IDF; one-letter words are skipped, unknown words still break a bigram."""
        kept = word_ids != _SHORT
        rows, word_ids = rows[kept], word_ids[kept]
        known = word_ids >= 0
        vocabulary = len(self.word_idf_) - len(self.bigram_keys_)
        pair = (rows[:-1] == rows[1:]) & known[:-1] & known[1:]
        keys = word_ids[:-1][pair] * vocabulary + word_ids[1:][pair]
        found = np.searchsorted(self.bigram_keys_, keys).clip(max=max(len(self.bigram_keys_) - 1, 0))
        hit = self.bigram_keys_[found] == keys if len(self.bigram_keys_) else np.zeros(len(keys), dtype=bool)
        columns = np.concatenate([word_ids[known], vocabulary + found[hit]])
        positions = np.concatenate([rows[known], rows[:-1][pair][hit]])
        counts = sp.csr_matrix(
            (np.ones(len(columns)), (positions, columns)), shape=(count, len(self.word_idf_)), dtype=np.float64
        )
        counts.sum_duplicates()
        return _tfidf(counts, self.word_idf_)

    def _char_block(self, lengths: np.ndarray, ids: np.ndarray, ngram_rows: list[np.ndarray]) -> sp.csr_matrix:
        """Posts × distinct words (counts) times distinct words × n-grams: each post's n-gram counts.

        Both factors may hold a column twice in a row (a word used twice, an
        n-gram twice in a word); the product adds them up, and holds each
        column once per row, so no sorting or de-duplication pass is needed.
        """
        posts = sp.csr_matrix(
            (np.ones(len(ids)), ids, _offsets(lengths)), shape=(len(lengths), len(ngram_rows)), dtype=np.float64
        )
        sizes = np.fromiter(map(len, ngram_rows), dtype=np.int64, count=len(ngram_rows))
        columns = np.concatenate(ngram_rows) if ngram_rows else np.zeros(0, dtype=np.int64)
        ngrams = sp.csr_matrix(
            (np.ones(len(columns)), columns, _offsets(sizes)), shape=(len(ngram_rows), len(self.ngram_idf_))
        )
        return _tfidf(posts @ ngrams, self.ngram_idf_)

    def _lookup(self, distinct: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Per distinct word: its word id (-1 unknown, ``_SHORT`` one letter) and its n-gram columns."""
        if getattr(self, "_words", None) is None:
            self._prepare()
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        cache = self._cache
        found = [cache.get(word) or self._learn(word) for word in distinct]
        ids = np.fromiter((entry[0] for entry in found), dtype=np.int64, count=len(found))
        return ids, [entry[1] for entry in found]

    def _learn(self, word: str) -> tuple[int, np.ndarray]:
        """A word's id and n-gram columns, by ``char_wb``'s rule: a padded word shorter than n counts once."""
        padded = f" {word} "
        columns = []
        low, high = self.char_range
        for size in range(low, high + 1):
            if len(padded) <= size:
                columns.append(self._ngrams.get(padded, -1))
                break
            columns.extend(
                self._ngrams.get(padded[start : start + size], -1) for start in range(len(padded) - size + 1)
            )
        known = np.array([column for column in columns if column >= 0], dtype=np.int64)
        word_id = _SHORT if len(word) < 2 else self._words.get(word, -1)
        self._cache[word] = entry = (word_id, known)
        return entry

    def _prepare(self) -> None:
        self._words = {word: number for number, word in enumerate(self.words_.split("\n"))}
        self._ngrams = {ngram: number for number, ngram in enumerate(self.ngrams_.split("\n"))}
        self._cache: dict[str, tuple[int, np.ndarray]] = {}

    def __getstate__(self) -> dict:
        """The fitted vocabulary and IDF only: the look-up tables are rebuilt on first use."""
        state = super().__getstate__()
        return {key: value for key, value in state.items() if key not in ("_cache", "_words", "_ngrams")}


def _offsets(sizes: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(sizes)])


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF times IDF, L2-normalised rows: what ``TfidfVectorizer`` does to its counts."""
    counts.data = (np.log(counts.data) + 1.0) * idf[counts.indices]
    return normalize(counts, copy=False)
