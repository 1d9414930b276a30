"""Keyword tables built once from the topic phrasings, so that matching a message is a few lookups.

Rules:
- Phrasings and messages go through the same `terms()`: folded, split into words (ICU for the
  scripts without spaces), apostrophes dropped, a light English suffix strip, numbers as "#"
  (so "under 16" finds "under 15").
- A term weighs its inverse topic frequency: a word found in every topic ("my", "ไม่") says
  little, a word found in one topic says a lot. Function words (stopwords.yaml) weigh a quarter
  of that, and a phrasing never matches on them alone.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from bot.matching.normalize import fold
from bot.matching.segment import words

NUMBER = "#"
# Weight of a word of the message found in no phrasing: it dilutes the match without dominating it.
UNKNOWN_WEIGHT = 0.6
STOPWORD_FACTOR = 0.25

_DIGITS = re.compile(r"\d+")
_APOSTROPHES = re.compile("['’`]")


def is_latin(term: str) -> bool:
    """Whether the term is written in Latin letters (after folding, ASCII in practice)."""
    return term[0] < "\u0250" or "\u1e00" <= term[0] <= "\u1eff"


_SCRIPT_RANGES = (
    ("th", 0x0E00, 0x0E7F),
    ("lo", 0x0E80, 0x0EFF),
    ("my", 0x1000, 0x109F),
    ("km", 0x1780, 0x17FF),
    ("han", 0x3400, 0x9FFF),
)


def script_of(term: str) -> str:
    """A coarse script key, so substring search only walks the scripts present in the message."""
    if is_latin(term):
        return "latin"
    cp = ord(term[0])
    for name, low, high in _SCRIPT_RANGES:
        if low <= cp <= high:
            return name
    return f"{cp >> 7:x}"  # any other script: its 128-code-point block


def _stem(term: str) -> str:
    # Vietnamese syllables never end in -ing, -ed or -s, so this only ever touches English.
    if len(term) > 5 and term.endswith("ing"):
        return term[:-3]
    if len(term) > 4 and term.endswith(("ies", "ied")):
        return term[:-3] + "y"
    if len(term) > 4 and term.endswith("ed"):
        return term[:-2]
    if len(term) > 3 and term.endswith("s") and not term.endswith("ss"):
        return term[:-1]
    return term


def terms(text: str, lang: str | None) -> list[str]:
    """The comparable words of a text, in order."""
    out: list[str] = []
    for word in words(fold(text), lang):
        word = _DIGITS.sub(NUMBER, _APOSTROPHES.sub("", word))
        if not word:
            continue
        out.append(_stem(word) if word.isascii() else word)
    return out


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The function words of every language, as terms."""
    raw = yaml.safe_load(
        resources.files("bot.matching").joinpath("stopwords.yaml").read_text("utf-8")
    )
    return frozenset(
        term for lang, items in raw.items() for item in items for term in terms(str(item), lang)
    )


@dataclass(frozen=True)
class Phrase:
    """One keyword phrasing of a topic, as distinct terms with their summed weight."""

    topic: str
    lang: str
    terms: tuple[str, ...]
    weight: float
    content: frozenset[str]  # the terms that are not function words


@dataclass(frozen=True)
class Index:
    """Terms, their weights, and which phrasings and topics use them."""

    phrases: tuple[Phrase, ...]
    weights: Mapping[str, float]
    postings: Mapping[str, tuple[int, ...]]
    latin_vocab: tuple[str, ...]
    script_vocab: Mapping[str, tuple[str, ...]]
    topics: tuple[str, ...]
    stopwords: frozenset[str]


def _phrasings(
    keywords: Mapping[str, Mapping[str, Iterable[str]]],
) -> list[tuple[str, str, list[str]]]:
    found = [
        (topic, lang, terms(str(phrasing), lang))
        for topic, by_lang in keywords.items()
        for lang, phrasings in by_lang.items()
        for phrasing in phrasings
    ]
    return [(topic, lang, ts) for topic, lang, ts in found if ts]


def build_index(keywords: Mapping[str, Mapping[str, Iterable[str]]]) -> Index:
    """Build the tables from {topic: {lang: [phrasings]}}."""
    raw = _phrasings(keywords)
    topics_of: dict[str, set[str]] = defaultdict(set)
    for topic, _lang, ts in raw:
        for term in ts:
            topics_of[term].add(topic)
    n_topics = len(keywords) or 1
    stop = stopwords()
    weights = {
        term: (math.log((n_topics + 1) / (len(topics) + 0.5)) + 0.1)
        * (STOPWORD_FACTOR if term in stop else 1.0)
        for term, topics in topics_of.items()
    }
    phrases: list[Phrase] = []
    postings: dict[str, list[int]] = defaultdict(list)
    for topic, lang, ts in raw:
        unique = tuple(dict.fromkeys(ts))
        for term in unique:
            postings[term].append(len(phrases))
        weight = sum(weights[t] for t in unique)
        phrases.append(Phrase(topic, lang, unique, weight, frozenset(unique) - stop))
    by_script: dict[str, list[str]] = defaultdict(list)
    for term in weights:
        if not is_latin(term):
            by_script[script_of(term)].append(term)
    return Index(
        phrases=tuple(phrases),
        weights=weights,
        postings={term: tuple(ids) for term, ids in postings.items()},
        latin_vocab=tuple(t for t in weights if is_latin(t) and len(t) >= 4),
        script_vocab={script: tuple(ts) for script, ts in by_script.items()},
        topics=tuple(keywords),
        stopwords=stop,
    )
