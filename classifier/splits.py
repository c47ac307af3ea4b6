"""Cross-validation splits that keep near-duplicate posts together.

Retweets and copied reports repeat one text with a different mention, link or
number in front. If copies sat on both sides of a split, a model would be
measured on posts it has in effect already seen; grouping them first keeps the
figures honest.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from classifier.normalize import MENTION_TOKEN, NUMBER_TOKEN, URL_TOKEN, normalize_text

FOLDS = 5
_GROUP_KEY_CHARS = 60
_GROUP_KEY_SKIP = frozenset({"rt", MENTION_TOKEN, URL_TOKEN, NUMBER_TOKEN})


def near_duplicate_groups(texts: Sequence[str]) -> np.ndarray:
    """One group id per text; texts that read the same once mentions, URLs and numbers are gone share it."""
    ids: dict[str, int] = {}
    groups = []
    for text in texts:
        words = [word for word in normalize_text(text).split() if word not in _GROUP_KEY_SKIP]
        key = " ".join(words)[:_GROUP_KEY_CHARS]
        groups.append(ids.setdefault(key, len(ids)))
    return np.array(groups)


def grouped_splits(texts: Sequence[str], target: np.ndarray, folds: int = FOLDS) -> list[tuple[np.ndarray, np.ndarray]]:
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=13)
    return list(splitter.split(np.zeros(len(texts)), target, near_duplicate_groups(texts)))
