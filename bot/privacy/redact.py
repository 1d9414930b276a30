"""Removes what could identify someone from free text before it is stored or shown to partners."""

from __future__ import annotations

import re

from bot.matching.normalize import normalize

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Runs of 6+ digits, allowing spaces, dots, dashes and a leading +, after native digits became ASCII.
LONG_NUMBER = re.compile(r"\+?\d(?:[\s.\-/]*\d){5,}")
# Passport and ID numbers mix letters and digits: "MB123456", "A1234567".
DOCUMENT = re.compile(r"\b[A-Za-z]{1,3}\s?\d{5,9}\b")


def redact(text: str) -> str:
    """The text with e-mail addresses, phone, passport, ID and bank numbers replaced by markers."""
    text = normalize(text)
    text = EMAIL.sub("[email]", text)
    text = DOCUMENT.sub("[id]", text)
    return LONG_NUMBER.sub("[number]", text)
