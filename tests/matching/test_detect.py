"""The language of a message is read from its script, and Vietnamese from its accents or words."""

from __future__ import annotations

import pytest

from bot.matching.detect import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("အလုပ်ရှင်က လစာ ဖြတ်တယ်", "my"),
        ("အလုပ္ရွင္က လစာ ျဖတ္တယ္", "my"),  # Zawgyi
        ("ខ្ញុំចង់ផ្ញើលុយទៅផ្ទះ", "km"),
        ("ຂ້ອຍເຈັບປ່ວຍ", "lo"),
        ("นายจ้างไม่ให้วันหยุด", "th"),
        ("我的孩子想上学", "zh"),
        ("Tôi bị ốm, cần đi bệnh viện", "vi"),
        ("toi can tim viec lam", "vi"),
        ("cong ty khong tra luong", "vi"),
        ("my boss took my phone", "en"),
        ("where is the nearest clinic", "en"),
    ],
)
def test_script_and_words_tell_the_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("MOU visa ဘယ်လို လျှောက်ရမလဲ", "my"),
        ("passport หาย", "th"),
        ("visa 过期", "zh"),
        ("agency ប្រាក់ច្រើន", "km"),
    ],
)
def test_majority_script_wins_over_latin_loanwords(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "text", ["", "   ", "12345", "၁၂", "!!! ???", "😀👍", "ok", "OK!", "visa", "hi"]
)
def test_nothing_to_tell(text: str) -> None:
    assert detect_language(text) is None


def test_a_single_english_word_is_english() -> None:
    assert detect_language("salary") == "en"
