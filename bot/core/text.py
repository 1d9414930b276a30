"""Prompts as lazy gettext messages: `T(context, english)`, rendered in the reader's language.

Extracted by Babel with the keyword spec `T:1c,2`; translated in bot/i18n/<lang>/.../bot.po.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Translator(Protocol):
    """Anything with gettext's pgettext, bound to one language."""

    def pgettext(self, context: str, message: str) -> str: ...


class English:
    """The source language: every message is already English."""

    def pgettext(self, context: str, message: str) -> str:
        return message


@dataclass(frozen=True)
class T:
    """A prompt: stable context plus English source text, with optional {placeholders}."""

    context: str
    english: str

    def render(self, tr: Translator, **values: object) -> str:
        """This message in the translator's language, with placeholders filled in."""
        text = tr.pgettext(self.context, self.english) or self.english
        if not values:
            return text
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            # A broken translation must never break the conversation: fall back to English.
            return self.english.format(**values)
