"""Prompt catalogs: one gettext .po per language, read once at start-up into memory.

Extract and update with `helpline i18n extract` / `helpline i18n update` (Babel, keyword T:1c,2).
Fuzzy entries are served too: a prompt marked for review still reads better than English.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

I18N_DIR = Path(__file__).parent
LANGS = ("my", "km", "lo", "th", "vi", "zh", "en")
DOMAIN = "bot"


class Catalog:
    """The translations of one language: (context, English) -> translated text."""

    def __init__(self, lang: str, entries: dict[tuple[str, str], str]) -> None:
        self.lang = lang
        self.entries = entries

    def pgettext(self, context: str, message: str) -> str:
        return self.entries.get((context, message)) or message


def po_path(lang: str, domain: str = DOMAIN) -> Path:
    return I18N_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


@cache
def translator(lang: str) -> Catalog:
    """The catalog of a language; English (and an unknown language) reads the source text."""
    path = po_path(lang)
    if lang == "en" or not path.exists():
        return Catalog(lang, {})
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=None)
    entries: dict[tuple[str, str], str] = {}
    for message in catalog:
        if isinstance(message.id, str) and message.id and isinstance(message.string, str):
            entries[(message.context or "", message.id)] = message.string
    return Catalog(lang, entries)
