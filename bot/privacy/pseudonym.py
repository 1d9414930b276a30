"""Pseudonyms: a keyed hash of channel and address; the raw address stops here."""

from __future__ import annotations

import hashlib
import hmac
import re

_NOT_DIGIT = re.compile(r"[^\d]")


def canonical(channel: str, address: str) -> str:
    """One person's address written two ways ("+66 81-234 5678", "+66812345678") is one key."""
    address = address.strip()
    if channel == "sms":
        plus = "+" if address.startswith("+") else ""
        return plus + _NOT_DIGIT.sub("", address)
    return address


def pseudonym(key: str, channel: str, address: str) -> str:
    """HMAC-SHA256 of "channel:address" under the deployment's secret key, as hex."""
    message = f"{channel}:{canonical(channel, address)}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
