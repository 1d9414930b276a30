"""Tell the language of a message from its script, and Vietnamese from English by accents, words.

Rules:
- Letters are counted per script and the largest weighted count wins. Latin letters count a quarter
  when another script is present, because loanwords (MOU, visa, passport) are typed in Latin inside
  Burmese or Thai text; a Han character counts three, as it carries a whole syllable.
- Latin text is Vietnamese when it has a Vietnamese-only letter (ă â đ ê ô ơ ư or a stacked tone
  mark), two accented letters, or more common Vietnamese words than English ones.
- None means "cannot tell": no letters at all (digits, punctuation, emoji), fewer than three Latin
  letters, or one token that every language uses (ok, visa, MOU, sms). The caller then keeps the
  conversation language or asks.
"""

from __future__ import annotations

import re
import unicodedata

from bot.matching.normalize import fold, normalize

_SCRIPTS: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    ("my", ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F))),
    ("km", ((0x1780, 0x17FF), (0x19E0, 0x19FF))),
    ("lo", ((0x0E80, 0x0EFF),)),
    ("th", ((0x0E00, 0x0E7F),)),
    ("zh", ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))),
    ("latin", ((0x0041, 0x005A), (0x0061, 0x007A), (0x00C0, 0x024F), (0x1E00, 0x1EFF))),
)
_WEIGHT = {"zh": 3.0}
_LATIN_SHARE_WITH_OTHER_SCRIPT = 0.25

# Letters that exist in Vietnamese and not in English or the Western European alphabets.
_VI_ONLY = frozenset("ăâđêôơưĩũỳỹ") | frozenset(chr(cp) for cp in range(0x1EA0, 0x1EFA))
_LATIN1_ACCENTED = frozenset("àáãèéìíòóõùúý")

# Frequent Vietnamese words as typed without accents, minus spellings that are English words too.
_VI_WORDS_TEXT = """
    khong duoc toi luong giup lam viec chieu nguoi cua nhung nhieu minh tien phep giay xuat khau
    lao dong cong ty thi thoi gian ngay thang nuoc ngoai benh vien nhan truong hoc muon can biet
    dinh chong lai giu danh tra chua roi voi dau cach thue moi gioi buon xin chao khan cap cuu sao
    nao gi bao duong nong dien thoai chu ve nha di cho ho em anh chi va la co mot ban bi o tai
    dang phai giam tro ve que huong nhap canh tre dia chi lua dao quan giup do ai day kia tot xau
    duoc tieng hop dong tau xe may lam sao the nao vay nhe a oi ha
"""
_VI_STRONG_TEXT = """
    khong duoc toi luong giup lam viec chieu nguoi cua nhung nhieu minh tien phep giay xuat khau
    thoi gian ngay thang nuoc ngoai benh vien truong muon biet chong giu tra chua roi voi dau cach
    thue gioi buon xin chao khan cuu nao duong nong dien thoai nhap canh lua dao tieng vay
"""
_EN_WORDS_TEXT = """
    the a an i my me you he she they we is am are was were be been to of in on at for with from
    not no do does did have has had can cannot cant will would how what where when why who help
    work job boss employer pay paid money please want need get go home passport salary police
    this that it and or but my our your their here there
"""
_VI_WORDS = frozenset(_VI_WORDS_TEXT.split())
_VI_STRONG = frozenset(_VI_STRONG_TEXT.split())
_EN_WORDS = frozenset(_EN_WORDS_TEXT.split())
# Words every language types the same way: alone they say nothing about the language.
_AMBIGUOUS_TEXT = (
    "ok okay oke hi hello helo bye yes no stop start menu back sms mou visa thanks thank sos lang"
)
_AMBIGUOUS = frozenset(_AMBIGUOUS_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+")


def _script_of(ch: str) -> str | None:
    cp = ord(ch)
    for name, ranges in _SCRIPTS:
        if any(lo <= cp <= hi for lo, hi in ranges):
            return name
    return None


def _script_counts(text: str) -> dict[str, float]:
    counts: dict[str, float] = {}
    for ch in text:
        # Digits and punctuation of a script (၁, ๑, ។) say nothing once they are mapped or ignored.
        if not unicodedata.category(ch).startswith(("L", "M")):
            continue
        script = _script_of(ch)
        if script is not None:
            counts[script] = counts.get(script, 0.0) + _WEIGHT.get(script, 1.0)
    return counts


def _latin_language(text: str) -> str | None:
    lowered = text.lower()
    if any(ch in _VI_ONLY for ch in lowered):
        return "vi"
    if sum(ch in _LATIN1_ACCENTED for ch in lowered) >= 2:
        return "vi"
    tokens = _WORD.findall(fold(text))
    letters = sum(len(token) for token in tokens)
    if letters < 3:
        return None
    vi_strong = sum(token in _VI_STRONG for token in tokens)
    vi_any = sum(token in _VI_WORDS for token in tokens)
    en = sum(token in _EN_WORDS for token in tokens)
    if vi_strong >= 1 and vi_any > en:
        return "vi"
    if len(tokens) == 1 and tokens[0] in _AMBIGUOUS:
        return None
    return "en"


def detect_language(text: str) -> str | None:
    """Return the language code the script of the text points to, or None when it cannot tell."""
    text = normalize(text)
    counts = _script_counts(text)
    if not counts:
        return None
    if len(counts) > 1 and "latin" in counts:
        counts["latin"] *= _LATIN_SHARE_WITH_OTHER_SCRIPT
    best = max(counts, key=lambda script: counts[script])
    if best != "latin":
        return best
    return _latin_language(text)
