"""Words come from ICU for unspaced scripts and from spaces otherwise, never as punctuation."""

from __future__ import annotations

from bot.matching.segment import words


def test_thai_is_split_into_dictionary_words() -> None:
    assert words("นายจ้างไม่จ่ายเงิน", "th") == ["นายจ้าง", "ไม่", "จ่าย", "เงิน"]


def test_chinese_is_split_into_words() -> None:
    assert words("我想回家。", "zh")[-1] == "回家"
    assert "".join(words("我想回家。", "zh")) == "我想回家"


def test_khmer_lao_and_burmese_are_split() -> None:
    khmer = words("ខ្ញុំចង់ទៅផ្ទះ", "km")
    lao = words("ຂ້ອຍຢາກກັບບ້ານ", "lo")
    burmese = words("အိမ်ပြန်ချင်တယ်။", "my")
    assert len(khmer) >= 3 and "".join(khmer) == "ខ្ញុំចង់ទៅផ្ទះ"
    assert len(lao) >= 3 and "".join(lao) == "ຂ້ອຍຢາກກັບບ້ານ"
    assert len(burmese) >= 3 and "".join(burmese) == "အိမ်ပြန်ချင်တယ်"


def test_spaced_languages_split_on_spaces_without_punctuation() -> None:
    assert words("Hello, my boss -- he took it!", "en") == [
        "Hello",
        "my",
        "boss",
        "he",
        "took",
        "it",
    ]
    assert words("Tôi cần giúp đỡ.", "vi") == ["Tôi", "cần", "giúp", "đỡ"]


def test_apostrophes_inside_words_stay() -> None:
    assert words("I can't go", "en") == ["I", "can't", "go"]


def test_unspaced_script_is_split_even_without_a_language() -> None:
    assert words("ไม่มีเงิน", None) == words("ไม่มีเงิน", "th") == ["ไม่มี", "เงิน"]


def test_latin_loanwords_inside_burmese_stay_whole() -> None:
    assert words("MOU နဲ့ သွားမယ်", "my")[0] == "MOU"


def test_nothing_but_punctuation_gives_no_words() -> None:
    assert words("?!… 。", "zh") == []
    assert words(" - ... ", "en") == []
