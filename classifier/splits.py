"""Cross-validation splits that keep near-duplicate posts together.

Retweets and copied reports repeat one text with a different mention, link or
number in front. If copies sat on both sides of a split, a model would be
measured on posts it has in effect already seen; grouping them first keeps the
figures honest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from classifier.normalize import MENTION_TOKEN, NUMBER_TOKEN, URL_TOKEN, normalize_texts

FOLDS = 5
CV_SEED = 13
FINAL_PARTS = 5
"""The untouched part is one fifth of the rows."""
FINAL_SEED = 2026
"""Differs from ``CV_SEED`` so the untouched part is not simply one of the CV folds."""
_GROUP_KEY_CHARS = 60
_GROUP_KEY_MIN_CHARS = 10
_GROUP_KEY_SKIP = frozenset({"rt", MENTION_TOKEN, URL_TOKEN, NUMBER_TOKEN})
_COMMON_SHARE = 0.1
_COMMON_MIN_TEXTS = 50


def near_duplicate_groups(texts: Sequence[str]) -> np.ndarray:
    """One group id per text; texts that read the same once mentions, URLs and numbers are gone share it.

    The key is the opening of what a text says, so that a retweet cut short
    still matches its source. Words found in more than a tenth of the texts
    (and in more than ``_COMMON_MIN_TEXTS``) are left out of it: on Twitter
    the "@" is often lost, so the agencies' handles open hundreds of unrelated
    posts: a key made of them put 275 different works reports in one group
    (259 of the 459 agency responses in mentions-labelled.csv), so whichever
    side of a split held it held most responses. A text with little else
    keeps its full key, so short posts are not merged.
    """
    words = [[word for word in text.split() if word not in _GROUP_KEY_SKIP] for text in normalize_texts(texts)]
    counts = Counter(word for text in words for word in set(text))
    limit = max(_COMMON_SHARE * len(words), _COMMON_MIN_TEXTS)
    common = {word for word, count in counts.items() if count > limit}
    ids: dict[str, int] = {}
    groups = []
    for text in words:
        key = " ".join(word for word in text if word not in common)[:_GROUP_KEY_CHARS]
        if len(key) < _GROUP_KEY_MIN_CHARS:
            key = " ".join(text)[:_GROUP_KEY_CHARS]
        groups.append(ids.setdefault(key, len(ids)))
    return np.array(groups)


def grouped_splits(texts: Sequence[str], target: np.ndarray, folds: int = FOLDS) -> list[tuple[np.ndarray, np.ndarray]]:
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=CV_SEED)
    return list(splitter.split(np.zeros(len(texts)), target, near_duplicate_groups(texts)))


def final_split(texts: Sequence[str], target: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """(development, untouched) row indices: the untouched fifth is for the last measurement only.

    Choosing features, regularisation or candidates by grouped CV and then
    quoting the same CV figures over-promises, because the choice itself was
    fitted to those folds. Every choice is
    therefore made by CV on the development part alone, and the untouched part
    is read once per family of candidates, by ``bench/classifier.py``. It is
    grouped like the CV folds (no near-duplicate on both sides) and stratified.
    """
    splitter = StratifiedGroupKFold(n_splits=FINAL_PARTS, shuffle=True, random_state=FINAL_SEED)
    development, untouched = next(
        splitter.split(np.zeros(len(texts)), np.asarray(target), near_duplicate_groups(texts))
    )
    return development, untouched
