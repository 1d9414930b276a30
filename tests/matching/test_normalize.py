"""Normalising keeps what people wrote and removes encoding noise; folding is for matching."""

from __future__ import annotations

import pytest

from bot.matching.normalize import fold, normalize, to_unicode_burmese, zawgyi_reading

# "I want to go home" typed on a Zawgyi keyboard, and the same sentence in Unicode.
ZAWGYI_HOME = "အိမ္ျပန္ခ်င္တယ္"
UNICODE_HOME = "အိမ်ပြန်ချင်တယ်"


def test_zawgyi_is_converted_to_unicode() -> None:
    assert to_unicode_burmese(ZAWGYI_HOME) == UNICODE_HOME


def test_unicode_burmese_is_left_alone() -> None:
    assert to_unicode_burmese(UNICODE_HOME) == UNICODE_HOME


@pytest.mark.parametrize("text", ["ကို", "မ", "hello", "", "ok ok"])
def test_short_or_foreign_text_is_not_converted(text: str) -> None:
    assert to_unicode_burmese(text) == text


def test_zawgyi_dot_below_is_not_mistaken_for_a_shan_digit() -> None:
    assert normalize("ပို႔ပါ") == "ပို့ပါ"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("၁", "1"),
        ("၂၅", "25"),
        ("១២", "12"),
        ("໓", "3"),
        ("๔๐", "40"),
        ("႑", "1"),
        ("７", "7"),
    ],
)
def test_native_digits_become_ascii(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


def test_invisible_characters_and_extra_spaces_go() -> None:
    assert normalize("\ufeff  menu\u200b \u2060 ၁\u200d\n") == "menu 1"


def test_normalize_keeps_case_and_diacritics() -> None:
    assert normalize("Tôi muốn Về NHÀ") == "Tôi muốn Về NHÀ"


def test_normalize_composes_decomposed_vietnamese() -> None:
    assert normalize("Vie\u0302\u0323t") == "Việt"


def test_fold_drops_case_and_latin_diacritics() -> None:
    assert fold("Đường DÂY nóng") == "duong day nong"


@pytest.mark.parametrize("text", ["ค่าจ้างไม่ครบ", "ປະກັນສັງຄົມ", "សុខភាព", "အလုပ်ရှင်", "工资"])
def test_fold_keeps_vowels_and_tone_marks_of_other_scripts(text: str) -> None:
    assert fold(text) == text


def test_fold_converts_zawgyi_too() -> None:
    assert fold(ZAWGYI_HOME) == UNICODE_HOME


def test_short_zawgyi_gets_a_second_reading_without_being_changed() -> None:
    # "closed in" in Zawgyi: too short for the detector to be sure, so normalize keeps it.
    assert normalize("ပိတ္ထား") == "ပိတ္ထား"
    assert zawgyi_reading("ပိတ္ထား") == "ပိတ်ထား"


@pytest.mark.parametrize("text", [UNICODE_HOME, ZAWGYI_HOME, "ကို", "hello", ""])
def test_no_second_reading_when_the_encoding_is_clear(text: str) -> None:
    assert zawgyi_reading(text) is None
