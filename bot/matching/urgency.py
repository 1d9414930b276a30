"""Spot a message that says the writer is in danger now, in any of the helpline's languages.

Rules:
- Word lists live in danger.yaml (see its header for what each list means); this module only
  matches them. Every language's list is checked whatever `lang` says, because a wrong guess of
  the language must never hide an emergency; `lang` is accepted for callers that know it.
- Latin-script text is matched word by word, so "hit me" does not fire inside "white mesh".
  Other scripts are matched as substrings of the text with spaces and punctuation removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extractOne

from bot.matching.normalize import fold, zawgyi_reading

LATIN_LANGS = frozenset({"en", "vi"})
# A one-letter typo is forgiven only in long words: short ones are too close to harmless words.
_TYPO_MIN_LEN = 7
_APOSTROPHES = re.compile("['’`]")
_LATIN_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class _Lists:
    phrases: tuple[str, ...]
    alone: frozenset[str]
    fillers: tuple[str, ...]
    benign: tuple[str, ...]
    accented: tuple[str, ...] = ()


def _latin_key(text: str) -> str:
    """Space-padded word sequence, so a phrase matches whole words with a plain substring test."""
    return " " + " ".join(_LATIN_WORD.findall(_APOSTROPHES.sub("", fold(text)))) + " "


def _accented_key(text: str) -> str:
    """Like _latin_key but keeping the accents, for phrases that are harmless without them."""
    lowered = unicodedata.normalize("NFC", _APOSTROPHES.sub("", text.casefold()))
    return " " + " ".join(re.findall(r"[^\W_]+", lowered)) + " "


def _compact_key(text: str) -> str:
    """Letters, marks and digits only, as spacing is optional in the scripts without spaces."""
    return "".join(ch for ch in fold(text) if unicodedata.category(ch)[0] in "LMN")


def _load(raw: dict[str, Any], latin: bool) -> _Lists:
    key = _latin_key if latin else _compact_key

    def items(name: str) -> tuple[str, ...]:
        keys = (key(str(item)) for item in raw.get(name) or [])
        return tuple(sorted({k for k in keys if k.strip()}, key=len, reverse=True))

    accented = tuple(_accented_key(str(item)) for item in raw.get("accented") or [])
    return _Lists(
        items("phrases"), frozenset(items("alone")), items("fillers"), items("benign"), accented
    )


@lru_cache(maxsize=1)
def danger_lists() -> dict[str, _Lists]:
    """The lists of danger.yaml keyed by language, loaded once."""
    raw = yaml.safe_load(
        resources.files("bot.matching").joinpath("danger.yaml").read_text("utf-8")
    )
    return {lang: _load(entry, lang in LATIN_LANGS) for lang, entry in raw.items()}


@lru_cache(maxsize=1)
def _long_danger_words() -> tuple[str, ...]:
    words = {
        word
        for lang, lists in danger_lists().items()
        if lang in LATIN_LANGS
        for phrase in lists.phrases
        for word in phrase.split()
        if len(word) >= _TYPO_MIN_LEN
    }
    return tuple(sorted(words))


def _fix_typos(key: str) -> str:
    words = key.split()
    fixed = []
    for word in words:
        if len(word) >= _TYPO_MIN_LEN:
            hit = extractOne(
                word, _long_danger_words(), scorer=Levenshtein.distance, score_cutoff=1
            )
            word = hit[0] if hit else word
        fixed.append(word)
    return " " + " ".join(fixed) + " "


def _mask(key: str, benign: tuple[str, ...], latin: bool) -> str:
    for phrase in benign:
        key = key.replace(phrase, " | " if latin else "|")
    return key


def _alone(key: str, lists: _Lists, latin: bool) -> bool:
    if latin:
        fillers = {f.strip() for f in lists.fillers}
        rest = " " + " ".join(w for w in key.split() if w not in fillers) + " "
        return rest in lists.alone or key in lists.alone
    rest = key
    for filler in lists.fillers:
        rest = rest.replace(filler, "")
    return bool(rest) and (rest in lists.alone or key in lists.alone)


def _hits(key: str, lists: _Lists, latin: bool) -> bool:
    if _alone(key, lists, latin):
        return True
    masked = _mask(key, lists.benign, latin)
    return any(phrase in masked for phrase in lists.phrases)


def is_urgent(text: str, lang: str | None = None) -> bool:
    """Whether the message says someone is in danger now (beaten, locked in, a cry for help)."""
    del lang  # every list is checked: see the module rules
    zawgyi = zawgyi_reading(text)
    return _is_urgent(text) or (zawgyi is not None and _is_urgent(zawgyi))


def _is_urgent(text: str) -> bool:
    latin = _fix_typos(_latin_key(text))
    compact = _compact_key(text)
    accented = _accented_key(text)
    for code, lists in danger_lists().items():
        is_latin = code in LATIN_LANGS
        if _hits(latin if is_latin else compact, lists, is_latin):
            return True
        if any(phrase in accented for phrase in lists.accented):
            return True
    return False
