"""SMS cost follows GSM 03.38: encodings, septet and UTF-16 counts, parts and paging."""

from __future__ import annotations

import pytest

from bot.core.segments import (
    SegmentCount,
    count,
    encoding,
    fits,
    paginate,
    sms_safe,
    strip_vietnamese_diacritics,
)


@pytest.mark.parametrize(
    ("length", "segments"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)]
)
def test_gsm7_boundaries(length: int, segments: int) -> None:
    assert count("a" * length) == SegmentCount("GSM-7", length, segments)


@pytest.mark.parametrize(
    ("length", "segments"), [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)]
)
def test_ucs2_boundaries(length: int, segments: int) -> None:
    assert count("ก" * length) == SegmentCount("UCS-2", length, segments)


def test_empty_text_costs_nothing() -> None:
    assert count("") == SegmentCount("GSM-7", 0, 0)


@pytest.mark.parametrize("char", list("^{}\\[~]|€\f"))
def test_extension_characters_count_two(char: str) -> None:
    assert encoding(char) == "GSM-7"
    assert count(char).units == 2
    assert count(char * 80) == SegmentCount("GSM-7", 160, 1)
    assert count(char * 81).segments == 2


def test_an_escape_pair_is_never_split_across_parts() -> None:
    # 152 septets then an escape pair: 154 do not fit one part of 153, so the pair moves on.
    text = "a" * 152 + "€" + "a" * 10
    assert count(text) == SegmentCount("GSM-7", 164, 2)
    tight = "a" * 152 + "€" + "a" * 152  # 306 septets would fill two parts, but the pair moved
    assert count(tight) == SegmentCount("GSM-7", 306, 3)


def test_emoji_take_two_utf16_units_and_are_not_split() -> None:
    assert count("😀") == SegmentCount("UCS-2", 2, 1)
    assert count("😀" * 35) == SegmentCount("UCS-2", 70, 1)
    assert count("a" * 66 + "😀" + "a" * 67) == SegmentCount("UCS-2", 135, 3)
    assert count("a" * 65 + "😀" + "a" * 67) == SegmentCount("UCS-2", 134, 2)


@pytest.mark.parametrize("text", ["လုပ်ခ", "ប្រាក់ខែ", "ຄ່າແຮງ", "ค่าจ้าง", "工资", "Lương", "hello ✓"])
def test_other_scripts_are_always_ucs2(text: str) -> None:
    assert encoding(text) == "UCS-2"


def test_gsm_accents_stay_gsm7() -> None:
    assert encoding("Ça coûte") == "UCS-2"  # û is not in GSM 03.38
    assert encoding("café à 5€, Ñandú? ¿Qué?") == "UCS-2"  # ú is not either
    assert encoding("café à 5€ Ñ Ü ß @ £ ¥ § ¡ ¿ Δ") == "GSM-7"


def test_sms_safe_keeps_english_in_gsm7() -> None:
    fancy = "“Don’t pay” – the agent’s fee… • 3\u00a0months — ok 👍🏽 ❤️"
    safe = sms_safe(fancy)
    assert safe == "\"Don't pay\" - the agent's fee... - 3 months - ok"
    assert encoding(safe) == "GSM-7"


def test_sms_safe_keeps_lines_and_other_scripts() -> None:
    assert sms_safe("Line one\nလုပ်ခ 😀") == "Line one\nလုပ်ခ"


def test_strip_vietnamese_diacritics() -> None:
    plain = strip_vietnamese_diacritics("Đừng trả phí môi giới quá cao")
    assert plain == "Dung tra phi moi gioi qua cao"
    assert encoding(plain) == "GSM-7"


def test_short_text_is_one_page() -> None:
    assert paginate("Keep a copy of your passport.", 1, " (MORE)") == [
        "Keep a copy of your passport."
    ]


def test_long_english_is_cut_at_sentences_with_the_hint() -> None:
    text = " ".join(f"Sentence number {n} says something useful." for n in range(30))
    pages = paginate(text, 2, " (MORE)")
    assert len(pages) > 1
    for page in pages[:-1]:
        assert page.endswith(". (MORE)")
        assert fits(page, 2)
    assert not pages[-1].endswith("(MORE)") and fits(pages[-1], 2)
    assert " ".join(p.removesuffix(" (MORE)") for p in pages) == text


def test_pages_are_cut_at_words_when_there_is_no_sentence_end() -> None:
    text = "word " * 200
    pages = paginate(text, 1, " (MORE)")
    for page in pages[:-1]:
        assert page.endswith("word (MORE)")
        assert fits(page, 1)


def test_unspaced_script_is_cut_between_words_and_counted_as_ucs2() -> None:
    text = "นายจ้างไม่จ่ายค่าจ้างและเก็บหนังสือเดินทางไว้" * 6
    pages = paginate(text, 1, " >>")
    assert len(pages) > 2
    assert all(fits(page, 1) for page in pages)
    assert "".join(p.removesuffix(" >>") for p in pages) == text
    words = {"นายจ้าง", "ไม่", "จ่าย", "ค่า", "จ้าง", "และ", "เก็บ", "หนังสือ", "เดินทาง", "ไว้"}
    assert all(any(page.startswith(word) for word in words) for page in pages)


def test_a_localised_hint_counts_in_the_budget() -> None:
    text = "Call the hotline if you need help. " * 20
    pages = paginate(text, 1, " (ဆက်ရန်)")
    assert all(fits(page, 1) for page in pages)
    assert all(encoding(page) == "UCS-2" for page in pages[:-1])


def test_a_budget_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        paginate("text", 0, " (MORE)")
