"""Split a message into words, with ICU's dictionaries for the scripts written without spaces."""

from __future__ import annotations

import re
import unicodedata

import icu

ICU_LANGS = frozenset({"th", "lo", "km", "my", "zh"})

# Any character of these scripts needs the dictionary breaker, whatever language was claimed.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")


def _is_wordlike(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LMN" for ch in token)


def _icu_words(text: str, lang: str) -> list[str]:
    # Break iterators keep the text they walk, so each call gets its own (ICU caches the rules).
    breaker = icu.BreakIterator.createWordInstance(icu.Locale(lang))
    breaker.setText(text)
    tokens: list[str] = []
    start = breaker.first()
    for end in breaker:
        tokens.append(text[start:end])
        start = end
    return tokens


def words(text: str, lang: str | None) -> list[str]:
    """Return the words of the text in order, without spaces or punctuation-only tokens."""
    if (lang in ICU_LANGS) or _UNSPACED.search(text):
        tokens = _icu_words(text, lang or "und")
    else:
        tokens = [_EDGE_PUNCT.sub("", token) for token in text.split()]
    return [token.strip() for token in tokens if _is_wordlike(token)]
