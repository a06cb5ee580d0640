"""Keyword overlap in Chinese without a word segmenter: character bigrams.

jieba is not available, and a product name and a need's item are short
("制动器总成", "制动器"), so two texts match on the character pairs they
share. Deterministic, and the same test can be run in the database
(``name__contains`` on each bigram) to pre-filter candidates.
"""

import re

# Whitespace and punctuation carry no meaning in a product name.
_NOISE = re.compile(r"[\s\-_/\\,，、。;；:：()（）\[\]【】“”\"'‘’·.]+")


def normalise(text: str) -> str:
    return _NOISE.sub("", (text or "").lower())


def bigrams(text: str) -> set[str]:
    """The character pairs of ``text``; a one-character text is its own pair."""
    text = normalise(text)
    if len(text) < 2:
        return {text} if text else set()
    return {text[index : index + 2] for index in range(len(text) - 1)}


def overlap(wanted: str, offered: str) -> float:
    """How much of ``wanted`` the ``offered`` text covers: shared bigrams ÷ bigrams of ``wanted`` (0–1)."""
    want = bigrams(wanted)
    if not want:
        return 0.0
    return len(want & bigrams(offered)) / len(want)
