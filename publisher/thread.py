"""Split text into an X thread, measuring tweets the way X does.

X weighs characters (a URL counts 23, emoji and CJK count double); the
``twitter-text-parser`` package implements X's own rules. Paragraphs are kept
together where they fit, then split on sentence boundaries, then on words.
"""

from __future__ import annotations

import re
import warnings
from functools import cache
from types import ModuleType

TWEET_LIMIT = 280
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@cache
def load_twitter_text() -> ModuleType:
    """The ``twitter_text`` package, imported on first use: building its tables takes a quarter of a second."""
    with warnings.catch_warnings():
        # twitter-text-parser reads its emoji table through the deprecated pkg_resources,
        # which warns at import time; the warning is about that package, not ours.
        warnings.simplefilter("ignore")
        import twitter_text
    return twitter_text


def tweet_length(text: str) -> int:
    return load_twitter_text().parse_tweet(text).weightedLength


def split_thread(paragraphs: list[str], limit: int = TWEET_LIMIT) -> list[str]:
    """Pack paragraphs into tweets of at most ``limit``, numbered ``1/n`` when there are several."""
    paragraphs = [paragraph.strip() for paragraph in paragraphs if paragraph.strip()]
    if not paragraphs:
        return []
    single = _pack(paragraphs, limit)
    if len(single) == 1:
        return single
    reserve = 2
    while True:
        budget = limit - len(f"\n\n{10**reserve - 1}/{10**reserve - 1}")
        tweets = _pack(paragraphs, budget)
        if len(tweets) < 10**reserve:
            total = len(tweets)
            return [f"{tweet}\n\n{number}/{total}" for number, tweet in enumerate(tweets, start=1)]
        reserve += 1


def _pack(paragraphs: list[str], budget: int) -> list[str]:
    tweets: list[str] = []
    for paragraph in paragraphs:
        for piece in _pieces(paragraph, budget):
            candidate = f"{tweets[-1]}\n\n{piece}" if tweets else piece
            if tweets and tweet_length(candidate) <= budget:
                tweets[-1] = candidate
            else:
                tweets.append(piece)
    return tweets


def _pieces(paragraph: str, budget: int) -> list[str]:
    """The paragraph whole if it fits, else sentence-, word- and character-sized parts."""
    if tweet_length(paragraph) <= budget:
        return [paragraph]
    parts: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph):
        if tweet_length(sentence) <= budget:
            _append(parts, sentence, budget, " ")
            continue
        for word in sentence.split():
            for chunk in _chunks(word, budget):
                _append(parts, chunk, budget, " ")
    return parts


def _append(parts: list[str], piece: str, budget: int, joiner: str) -> None:
    if parts and tweet_length(f"{parts[-1]}{joiner}{piece}") <= budget:
        parts[-1] = f"{parts[-1]}{joiner}{piece}"
    else:
        parts.append(piece)


def _chunks(word: str, budget: int) -> list[str]:
    """A word longer than a tweet (rare: a huge token) is cut by characters."""
    if tweet_length(word) <= budget:
        return [word]
    chunks, current = [], ""
    for char in word:
        if current and tweet_length(current + char) > budget:
            chunks.append(current)
            current = ""
        current += char
    return chunks + ([current] if current else [])
