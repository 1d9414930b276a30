"""Redaction of free text before it is stored or shown to a partner, in every script we serve."""

from __future__ import annotations

import pytest

from bot.privacy.redact import redact

# (what a person typed, what may be kept)
CASES = [
    # Phone numbers, every way people write them.
    ("Call me on +66 81-234 5678 please", "Call me on [number] please"),
    ("call (081) 234 5678 now", "call [number] now"),
    ("my number 0812345678", "my number [number]"),
    ("+84 (0) 912 345 678", "[number]"),
    ("zalo 0912.345.678", "zalo [number]"),
    # Thai, with Thai digits glued to the words.
    ("โทร๐๘๑๒๓๔๕๖๗๘ด่วน", "โทร[number]ด่วน"),
    ("เบอร์ ๐๘๑-๒๓๔-๕๖๗๘ ค่ะ", "เบอร์ [number] ค่ะ"),
    # Burmese digits, and a Myanmar National Registration Card number in Burmese and in Latin.
    ("ဖုန်း ၀၉၁၂၃၄၅၆၇၈၉ ကိုဆက်ပါ", "ဖုန်း [number] ကိုဆက်ပါ"),
    ("မှတ်ပုံတင် ၁၂/မရက(နိုင်)၁၂၃၄၅၆ ပါ", "မှတ်ပုံတင် [id] ပါ"),
    ("NRC 12/MaYaKa(N)123456", "NRC [id]"),
    # Khmer and Lao digits.
    ("លេខ ០១២ ៣៤៥ ៦៧៨", "លេខ [number]"),
    ("ເບີ ໐໒໐ ໕໕໕໕ ໑໒໓໔ ເດີ", "ເບີ [number] ເດີ"),
    # Chinese: full-width digits and letters, Chinese numerals, an 18-character ID card.
    ("电话１３８００１３８０００，护照Ｅ１２３４５６７８", "电话[number],护照[id]"),
    ("电话一三八〇〇一三八〇〇〇", "电话[number]"),
    ("身份证11010519491231002X", "身份证[number]"),
    # Vietnamese: citizen ID (CCCD) and a phone written with dots.
    ("Số điện thoại 0912.345.678, CCCD 001099012345", "Số điện thoại [number], CCCD [number]"),
    # Passports and ID documents mixing letters and digits.
    ("passport MB123456 and AA 1234567", "passport [id] and [id]"),
    ("พาสปอร์ตAA1234567", "พาสปอร์ต[id]"),
    ("work permit WP-0012345", "work permit [id]"),
    ("Thai ID 1-2345-67890-12-3", "Thai ID [number]"),
    # E-mail addresses, plain and disguised.
    ("email somchai.k@gmail.com", "email [email]"),
    ("write Somchai (at) yahoo (dot) com", "write [email]"),
    ("ติดต่อsomchai@mail.co.th", "ติดต่อ[email]"),
    ("邮箱ｓｏｍｃｈａｉ＠ｑｑ．ｃｏｍ", "邮箱[email]"),
    # Bank accounts.
    ("account 123-4-56789-0 at SCB", "account [number] at SCB"),
    ("IBAN GB29 NWBK 6016 1331 9268 19", "IBAN [number]"),
    ("ເລກບັນຊີ ໐໑໐໑໑໒໓໔໕໖໗໘", "ເລກບັນຊີ [number]"),
    # Links and chat handles.
    ("find me t.me/somchai or https://facebook.com/some.one", "find me [link] or [link]"),
    ("LINE id: somchai_99", "LINE id: [handle]"),
    ("wechat: abc12345", "wechat: [handle]"),
    ("@somchai99 on telegram", "[handle] on telegram"),
]

# What a partner needs and identifies nobody: amounts, dates, counts, short numbers.
KEPT = [
    "owed 150000 baht since 12/05/2024",
    "they pay 9000 not 15000",
    "1.500.000 đồng each month",
    "欠我15000元",
    "฿ 250000 in debt",
    "we are 20 people in 3 rooms",
    "call 1300 or 191",
    "since 2024-05-12",
    "ကျပ် ၁၅၀၀၀၀ ကျပ် ရမယ်",
    "paid RM 1500 to the agent",
    "paid RM 150000 to the agent",
    "paid USD 120000",
    "for 150000 kyat and 30 days",
]


@pytest.mark.parametrize(("typed", "kept"), CASES, ids=[c[0][:24] for c in CASES])
def test_identifying_numbers_and_addresses_go(typed: str, kept: str) -> None:
    assert redact(typed) == kept


@pytest.mark.parametrize("typed", KEPT)
def test_amounts_dates_and_short_numbers_stay(typed: str) -> None:
    assert "[" not in redact(typed)


@pytest.mark.parametrize(("typed", "kept"), CASES[:10])
def test_redaction_is_idempotent(typed: str, kept: str) -> None:
    assert redact(redact(typed)) == redact(typed)


def test_no_digit_run_of_a_phone_survives_in_any_script() -> None:
    zeros = {
        "my": 0x1040,
        "km": 0x17E0,
        "lo": 0x0ED0,
        "th": 0x0E50,
        "full": 0xFF10,
        "shan": 0x1090,
    }
    for script, zero in zeros.items():
        native = "".join(chr(zero + int(d)) for d in "0812345678")
        out = redact(f"x {native} y")
        assert out == "x [number] y", script
