"""Removes what could identify someone from free text before it is stored or shown to partners.

Rules:
- Runs on the text as people type it in every script of the helpline: native digits (၀-၉ ០-៩
  ໐-໙ ๐-๙), full-width letters and digits, and numbers glued to Thai, Burmese or Chinese words
  with no space between them.
- What goes: e-mail addresses, links and chat handles, phone numbers, passport, ID-card and
  Myanmar NRC numbers, bank accounts (also IBAN), long runs of Chinese numerals. Each becomes
  a marker such as `[number]`, so a partner still sees that something was there.
- What stays: amounts of money ("150000 baht", "฿ 9,000") and dates, which a partner needs for a
  wage claim and which identify no one alone. Names cannot be found reliably; the report flow
  asks people not to write them.
- Idempotent: redacting redacted text changes nothing.
"""

from __future__ import annotations

import re

from bot.matching.normalize import normalize

# Full-width ASCII (ＡＢＣ１２３＠) typed on Chinese and Japanese keyboards, as plain ASCII.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20

_NOT_ALNUM_BEFORE = r"(?<![A-Za-z0-9])"
_NOT_ALNUM_AFTER = r"(?![A-Za-z0-9])"

LINK = re.compile(
    r"(?i)(?:https?://|www\.)\S+"
    r"|" + _NOT_ALNUM_BEFORE + r"(?:facebook\.com|fb\.com|fb\.me|m\.me|t\.me|line\.me|"
    r"wa\.me|zalo\.me|instagram\.com|tiktok\.com|vk\.com)/\S+"
)
_AT = r"(?:@|\s*[(\[]\s*at\s*[)\]]\s*)"
_DOT = r"(?:\.|\s*[(\[]\s*dot\s*[)\]]\s*)"
EMAIL = re.compile(
    r"(?i)[A-Za-z0-9._%+-]+" + _AT + r"[A-Za-z0-9-]+(?:" + _DOT + r"[A-Za-z0-9-]+)+"
)
# A handle after a chat app's name and "id" or a colon: "LINE id: somchai_99", "wechat: abc123".
HANDLE = re.compile(
    r"(?i)(?P<app>\b(?:line|viber|wechat|weixin|whatsapp|telegram|facebook|fb|zalo|imo|"
    r"messenger|signal|ไลน์|ไลน|微信)(?:\s*(?:id|ไอดี|号)\s*[:：=]?|\s*[:：=])\s*)"
    r"(?P<handle>@?[A-Za-z0-9_.\-]{3,})"
)
AT_HANDLE = re.compile(_NOT_ALNUM_BEFORE + r"@[A-Za-z0-9_]{4,32}" + _NOT_ALNUM_AFTER)
# Myanmar National Registration Card: 12/MaYaKa(N)123456, ၁၂/မရက(နိုင်)၁၂၃၄၅၆.
NRC = re.compile(r"\d{1,2}\s*/\s*[^\s/()\d]{2,18}\s*[(\[]\s*[^\s()\d]{1,8}\s*[)\]]\s*\d{5,6}")
IBAN = re.compile(
    _NOT_ALNUM_BEFORE
    + r"[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?"
    + _NOT_ALNUM_AFTER
)
# Passport and ID numbers mix letters and digits: "MB123456", "AA 1234567", "WP-0012345".
# A space or dash is allowed only after capitals, so "pay 15000" stays a sum of money.
DOCUMENT = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(?P<letters>[A-Z]{1,3}[\s\-]?|[A-Za-z]{1,3})\d{5,9}[A-Za-z]?"
    + _NOT_ALNUM_AFTER
)
CURRENCY_CODES = frozenset(
    {"RM", "USD", "THB", "MMK", "KHR", "LAK", "VND", "CNY", "RMB", "MYR", "KS", "US"}
)
# Runs of 6+ digits with spaces, dots, dashes, slashes or brackets between them: phone, ID and
# account numbers ("+66 81-234 5678", "(081) 234 5678", "1-2345-67890-12-3", "11010519491231002X").
LONG_NUMBER = re.compile(r"\(?\+?\d(?:[ .\-/()]{0,3}\d){5,}(?:[Xx]" + _NOT_ALNUM_AFTER + r")?")
CHINESE_NUMERALS = re.compile(r"[〇零一二三四五六七八九幺]{7,}")

_DATE = re.compile(
    r"(?:0?[1-9]|[12]\d|3[01])[/.\-](?:0?[1-9]|1[0-2])[/.\-](?:\d{2}|\d{4})"
    r"|\d{4}[/.\-](?:0?[1-9]|1[0-2])[/.\-](?:0?[1-9]|[12]\d|3[01])"
)
_MONEY_BEFORE = re.compile(r"(?i)(?:[฿$¥₫₭៛€£]|\b(?:rm|usd|thb|mmk|khr|lak|vnd|cny|rmb|myr))\s*$")
_MONEY_AFTER = re.compile(
    r"(?i)^\s*(?:[฿$¥₫₭៛€£]|baht|bath|kyats?|ks\b|riels?|kip\b|dong|đồng|đ\b|vnd|yuan|rmb|"
    r"ringgit|rm\b|usd|dollars?|thb|mmk|khr|lak|บาท|ကျပ်|သိန်း|រៀល|ກີບ|元|块|万|萬)"
)

MARK_EMAIL = "[email]"
MARK_LINK = "[link]"
MARK_HANDLE = "[handle]"
MARK_ID = "[id]"
MARK_NUMBER = "[number]"


def _document(match: re.Match[str]) -> str:
    """A passport or ID number becomes a marker; "RM 150000" is money, left for `_number`."""
    letters = match.group("letters").strip(" -").upper()
    return match.group(0) if letters in CURRENCY_CODES else MARK_ID


def _number(match: re.Match[str]) -> str:
    """A long number becomes a marker unless it is plainly a date or an amount of money."""
    found = match.group(0)
    if _DATE.fullmatch(found.strip("()")):
        return found
    text = match.string
    if _MONEY_BEFORE.search(text[: match.start()]) or _MONEY_AFTER.match(text[match.end() :]):
        return found
    return MARK_NUMBER


def redact(text: str) -> str:
    """The text with e-mail addresses, links, handles, phone, passport, ID and bank numbers
    replaced by markers; native and full-width digits are read as digits."""
    text = normalize(text.translate(_FULL_WIDTH))
    text = LINK.sub(MARK_LINK, text)
    text = EMAIL.sub(MARK_EMAIL, text)
    text = HANDLE.sub(lambda m: m.group("app") + MARK_HANDLE, text)
    text = AT_HANDLE.sub(MARK_HANDLE, text)
    text = NRC.sub(MARK_ID, text)
    text = IBAN.sub(MARK_NUMBER, text)
    text = DOCUMENT.sub(_document, text)
    text = LONG_NUMBER.sub(_number, text)
    return CHINESE_NUMERALS.sub(MARK_NUMBER, text)


def redact_optional(text: str | None) -> str | None:
    """`redact` for a value that may be missing."""
    return redact(text) if text else text
