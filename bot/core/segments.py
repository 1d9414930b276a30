"""SMS cost: GSM 03.38 segment counting, SMS-safe text, and paging long text with MORE.

Rules:
- GSM-7 when every character is in the GSM 03.38 basic set or its extension table; an
  extension character is sent as ESC + char and costs two septets. Any other character makes
  the whole message UCS-2.
- One segment holds 160 septets (GSM-7) or 70 UTF-16 units (UCS-2). A concatenated message spends
  room on its header: 153 septets or 67 units per part, and phones never split an escape pair or a
  surrogate pair across two parts, so a part may end one unit short.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import icu

Encoding = Literal["GSM-7", "UCS-2"]

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")
_GSM = GSM_BASIC | GSM_EXTENSION

SINGLE = {"GSM-7": 160, "UCS-2": 70}
PART = {"GSM-7": 153, "UCS-2": 67}


@dataclass(frozen=True)
class SegmentCount:
    """What a text costs: its encoding, its length in septets or UTF-16 units, its SMS parts."""

    encoding: Encoding
    units: int
    segments: int


def encoding(text: str) -> Encoding:
    """Return GSM-7 when every character fits the GSM 03.38 alphabet, else UCS-2."""
    return "GSM-7" if _GSM.issuperset(text) else "UCS-2"


def _unit_cost(ch: str, enc: Encoding) -> int:
    if enc == "GSM-7":
        return 2 if ch in GSM_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def count(text: str) -> SegmentCount:
    """Return the encoding, length and number of SMS parts the text is sent as."""
    enc = encoding(text)
    # Units that cost two: escaped extension characters (GSM-7) or surrogate pairs (UCS-2).
    if enc == "GSM-7":
        doubles = sum(text.count(ch) for ch in GSM_EXTENSION)
    else:
        doubles = len(text.encode("utf-16-le", "surrogatepass")) // 2 - len(text)
    units = len(text) + doubles
    if units <= SINGLE[enc]:
        return SegmentCount(enc, units, 1 if units else 0)
    if not doubles:
        return SegmentCount(enc, units, -(-units // PART[enc]))  # every part full but the last
    parts, used = 1, 0
    for ch in text:
        cost = _unit_cost(ch, enc)
        # An escape or surrogate pair that would straddle the edge moves whole to the next part.
        if used + cost > PART[enc]:
            parts, used = parts + 1, 0
        used += cost
    return SegmentCount(enc, units, parts)


_SMS_SAFE = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′´`‹›", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("•·●▪◦‣∙", "-"),
        **dict.fromkeys(
            "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
            "\u200a\u202f\u205f\u3000\t",
            " ",
        ),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f\u20e3", ""),
        "…": "...",
        "×": "x",
    }
)
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U0001fc00-\U0001ffff\u2600-\u27bf\u2b00-\u2bff\u2190-\u21ff"
    "\u2300-\u23ff\u25a0-\u25ff\u3030\u303d\u3297\u3299\U000e0020-\U000e007f]"
)
_SPACES = re.compile(r"[ ]{2,}")


def sms_safe(text: str) -> str:
    """Replace typographic punctuation with GSM-7 look-alikes and drop emoji, keeping the words."""
    text = _EMOJI.sub("", text.translate(_SMS_SAFE))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def strip_vietnamese_diacritics(text: str) -> str:
    """Write Vietnamese without tone marks or accents (đ as d), which halves the SMS cost."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not 0x0300 <= ord(ch) <= 0x036F)
    return unicodedata.normalize("NFC", kept)


def fits(text: str, budget_segments: int) -> bool:
    """Whether the text is sent in at most `budget_segments` SMS parts."""
    return count(text).segments <= budget_segments


_SENTENCE_END = re.compile(r"[.!?。！？။។៕][\"')\]]*\s+|\n")


def _break_points(text: str) -> tuple[list[int], list[int]]:
    """Positions after a sentence or line end, and every place a line may wrap (ICU)."""
    sentences = [m.end() for m in _SENTENCE_END.finditer(text)]
    breaker = icu.BreakIterator.createLineInstance(icu.Locale.getRoot())
    breaker.setText(text)
    return sentences, [int(pos) for pos in breaker]


def _longest_fitting(text: str, suffix: str, budget: int) -> int:
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if fits(text[:mid].rstrip() + suffix, budget):
            low = mid
        else:
            high = mid - 1
    return low


def _cut(text: str, limit: int) -> int:
    sentences, wraps = _break_points(text)
    # A sentence end is worth a shorter page, but not one under half the room.
    for candidates in (sentences, wraps):
        usable = [pos for pos in candidates if limit // 2 <= pos <= limit]
        if usable:
            return max(usable)
    usable = [pos for pos in wraps if 0 < pos <= limit]
    if usable:
        return max(usable)
    while 0 < limit < len(text) and unicodedata.category(text[limit]).startswith("M"):
        limit -= 1  # never separate a vowel sign or tone mark from its letter
    return max(limit, 1)


def paginate(text: str, budget_segments: int, more_hint: str) -> list[str]:
    """Cut text at sentence, line or word ends into pages of at most `budget_segments` SMS each.

    Every page but the last ends with `more_hint` (such as " (MORE)"), counted in its budget.
    """
    return list(_paginate(text, budget_segments, more_hint))


@lru_cache(maxsize=2048)
def _paginate(text: str, budget_segments: int, more_hint: str) -> tuple[str, ...]:
    # The same topic text is paged for many people: it is cut once (a pure function of its input).
    if budget_segments < 1:
        raise ValueError("budget_segments must be at least 1")
    pages: list[str] = []
    rest = text.strip()
    while rest and not fits(rest, budget_segments):
        limit = _longest_fitting(rest, more_hint, budget_segments)
        if limit == 0:
            raise ValueError("more_hint alone does not fit the budget")
        cut = _cut(rest, limit)
        pages.append(rest[:cut].rstrip() + more_hint)
        rest = rest[cut:].lstrip()
    if rest or not pages:
        pages.append(rest)
    return tuple(pages)
