"""Fits replies to the channel: SMS gets GSM-safe text and, if configured, plain Vietnamese."""

from __future__ import annotations

from dataclasses import replace

from bot.core.messages import Caps, Choice, Reply
from bot.core.segments import sms_safe, strip_vietnamese_diacritics


def shape_for_channel(
    replies: list[Reply], caps: Caps, lang: str | None, vi_plain: bool = False
) -> list[Reply]:
    """Replies as the channel should send them; Telegram always gets the full text."""
    if caps.channel != "sms":
        return replies
    plain = (vi_plain or caps.vi_plain) and lang == "vi"

    def fix(text: str) -> str:
        text = sms_safe(text)
        return strip_vietnamese_diacritics(text) if plain else text

    return [
        replace(
            r,
            text=fix(r.text),
            choices=tuple(Choice(c.key, fix(c.label)) for c in r.choices),
        )
        for r in replies
    ]


def render_sms(reply: Reply) -> str:
    """One reply as the SMS text a person reads: the text, then one numbered line per choice."""
    lines = [reply.text] if reply.text else []
    lines.extend(f"{c.key} {c.label}" for c in reply.choices)
    return "\n".join(lines)
