"""Make inbound text comparable: Unicode Burmese, no invisible characters, ASCII digits, folding.

Rules:
- `normalize` keeps case and diacritics: the conversation engine uses it for menu answers and the
  text it stores, where only the encoding noise should go.
- `fold` is for matching only: it lowercases and drops Latin diacritics (Vietnamese typed without
  accents is the common case), never the vowel signs of Burmese, Khmer, Lao or Thai.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

# The detector says about 0.5-0.85 for one or two ambiguous syllables in either encoding, and above
# 0.98 once a Zawgyi-only spelling shows up: 0.9 converts real Zawgyi and leaves short words alone.
ZAWGYI_THRESHOLD = 0.9
ZAWGYI_UNSURE = 0.05  # Unicode sentences score far below this; a few syllables may not

_ZERO_WIDTH = dict.fromkeys([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF])

_DIGIT_ZEROS = (
    0x1040,  # Myanmar
    0x1090,  # Myanmar Shan
    0x17E0,  # Khmer
    0x0ED0,  # Lao
    0x0E50,  # Thai
    0xFF10,  # fullwidth
)
_DIGITS = {zero + n: str(n) for zero in _DIGIT_ZEROS for n in range(10)}
_ZERO_WIDTH_TABLE = str.maketrans(_ZERO_WIDTH)
_DIGIT_TABLE = str.maketrans(_DIGITS)

# Letters without a canonical decomposition still need the plain-Latin spelling people type.
_LATIN_EXTRA = str.maketrans(
    {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe"}
)


def _is_latin_mark(ch: str) -> bool:
    """Combining marks that only ever sit on Latin (and Greek/Cyrillic) letters."""
    cp = ord(ch)
    return (
        0x0300 <= cp <= 0x036F
        or 0x1AB0 <= cp <= 0x1AFF
        or 0x1DC0 <= cp <= 0x1DFF
        or 0x20D0 <= cp <= 0x20FF
    )


@lru_cache(maxsize=1)
def _zawgyi_detector() -> Any:
    """The detector loads a model, so it is built on first use and then kept."""
    from myanmartools import ZawgyiDetector

    return ZawgyiDetector()


@lru_cache(maxsize=1)
def _zawgyi_converter() -> Any:
    """ICU compiles the transliteration rules once; building it per message would dominate."""
    import icu

    return icu.Transliterator.createInstance("Zawgyi-my")


def _has_myanmar(text: str) -> bool:
    return any(0x1000 <= ord(ch) <= 0x109F for ch in text)


def to_unicode_burmese(text: str) -> str:
    """Return the text in Unicode Burmese, converting it only when it is confidently Zawgyi."""
    if not _has_myanmar(text):
        return text
    probability = float(_zawgyi_detector().get_zawgyi_probability(text))
    if probability <= ZAWGYI_THRESHOLD:
        return text
    return str(_zawgyi_converter().transliterate(text))


def zawgyi_reading(text: str) -> str | None:
    """The text converted from Zawgyi when it might be Zawgyi but too short to be sure, else None.

    A few syllables score anywhere between 0.05 and 0.9 in either encoding, so `normalize` leaves
    them alone; the matcher and the danger check also try this reading and keep what it finds.
    """
    if not _has_myanmar(text):
        return None
    probability = float(_zawgyi_detector().get_zawgyi_probability(text))
    if not ZAWGYI_UNSURE < probability <= ZAWGYI_THRESHOLD:
        return None
    converted = str(_zawgyi_converter().transliterate(text))
    return converted if converted != text else None


def normalize(text: str) -> str:
    """Return NFC text in Unicode Burmese with invisible characters removed and digits in ASCII."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH_TABLE)
    # Zawgyi draws glyph variants (such as ႔) on U+1090-1099, the Shan digits of Unicode, so the
    # digits are mapped only once the text is known to be Unicode.
    text = unicodedata.normalize("NFC", to_unicode_burmese(text)).translate(_DIGIT_TABLE)
    return " ".join(text.split())


def strip_latin_diacritics(text: str) -> str:
    """Drop accents from Latin letters (đ becomes d) and leave every other script untouched."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LATIN_EXTRA))
    kept = "".join(ch for ch in decomposed if not _is_latin_mark(ch))
    return unicodedata.normalize("NFC", kept).translate(_LATIN_EXTRA)


def fold(text: str) -> str:
    """Return the matching key of a text: normalized, case-folded and without Latin diacritics."""
    return strip_latin_diacritics(normalize(text).casefold())
