"""How a text reaches a phone: SMS pages exactly as the bot cuts and shapes them, and Telegram."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from bot.core.segments import SegmentCount, count, paginate, sms_safe, strip_vietnamese_diacritics
from bot.i18n import translator

# The bot's own words for paging (bot/flows/guidance.py MORE_HINT), in the text's language.
MORE_CONTEXT, MORE_ENGLISH = "guidance.more_hint", "Reply MORE to read on."


@dataclass(frozen=True)
class Page:
    """One SMS a person receives, and what it costs."""

    text: str
    cost: SegmentCount


def sms_pages(text: str, lang: str, budget: int) -> list[Page]:
    """The SMS replies the guidance flow would send for this text (without hotline numbers)."""
    if not text:
        return []
    more = " " + translator(lang).pgettext(MORE_CONTEXT, MORE_ENGLISH)
    try:
        pages = paginate(text, budget, more)
    except ValueError:
        pages = [text]
    plain = lang == "vi" and str(current_app.config.get("VI_PLAIN_SMS")).lower() in ("1", "true")
    shaped = []
    for page in pages:
        page = sms_safe(page)
        shaped.append(strip_vietnamese_diacritics(page) if plain else page)
    return [Page(p, count(p)) for p in shaped]


def telegram_text(text: str) -> str:
    """Telegram gets the full text as written."""
    return text
