"""What crosses into and out of the conversation core: plain frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Channel = Literal["sms", "telegram"]


@dataclass(frozen=True)
class Caps:
    """What the channel can show; the core shapes replies to fit it."""

    channel: Channel = "sms"
    buttons: bool = False
    sms_budget: int = 3  # segments one SMS reply may cost before it is paged with MORE
    vi_plain: bool = False  # send Vietnamese without diacritics over SMS (about half the cost)


SMS = Caps()
TELEGRAM = Caps(channel="telegram", buttons=True, sms_budget=0)


@dataclass(frozen=True)
class Inbound:
    """One message from a person: its text as typed and when it arrived."""

    text: str
    at: datetime
    caps: Caps = SMS
    payload: str = ""  # a deep-link start code (Telegram /start XYZ), never an address
    media: bool = False  # a voice note or photo came instead of text


@dataclass(frozen=True)
class Choice:
    """One numbered option: `key` is what the person sends back, `label` what they read."""

    key: str
    label: str


@dataclass(frozen=True)
class Reply:
    """One message to send back; choices become numbered lines in SMS and buttons in Telegram."""

    text: str
    choices: tuple[Choice, ...] = field(default=())
