"""The translators' round trip: one language of every topic as a gettext catalog, and back.

Rules:
- msgctxt is "<slug>:<field>" for the base text and "<slug>:<variant>:<field>" for a variant;
  msgid is the English text, msgstr the language's text.
- A text whose language status is needs-review or draft is marked fuzzy.
- Translator comments give the SMS budget in the language's script and what the English costs.
- An import changes only what the catalog changes. A language whose text changed becomes
  needs-review, or published when the translator cleared every fuzzy flag and the importer asks
  to publish; an unchanged language keeps its status unless the same publish rule promotes it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import IO, Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from bot.content.docs import Doc
from bot.content.taxonomy import SHORT_TITLE_LANGS
from bot.core.segments import PART, SINGLE, count

SOURCE_LANG = "en"
FIELDS = ("title", "sms", "long")
SMS_BUDGET = 3
UNREVIEWED = ("needs-review", "draft")
HEADER = (
    "# Guidance texts of the Mekong migrant helpline, language {lang}.\n"
    "# msgctxt is slug:field or slug:variant:field. Clear `fuzzy` only after a native speaker\n"
    "# has checked the text; `helpline content po-import` reads this file back."
)


def export_catalog(topics: Mapping[str, Doc], lang: str, sms_budget: int = SMS_BUDGET) -> Catalog:
    """A catalog of every topic's text in `lang`, with English as the source."""
    if lang == SOURCE_LANG:
        raise ValueError("English is the source language; export a translation")
    catalog = Catalog(
        locale=lang,
        project="mekong-helpline guidance",
        header_comment=HEADER.format(lang=lang),
        fuzzy=False,
    )
    for slug in sorted(topics):
        doc = topics[slug] or {}
        english = (doc.get("text") or {}).get(SOURCE_LANG) or {}
        own = (doc.get("text") or {}).get(lang) or {}
        fuzzy = own.get("status") in UNREVIEWED
        for field in FIELDS:
            _add(catalog, f"{slug}:{field}", english.get(field), own.get(field), fuzzy,
                 _budget_note(field, lang, english.get(field), sms_budget))  # fmt: skip
        for variant, by_lang in (doc.get("variants") or {}).items():
            english_v = (by_lang or {}).get(SOURCE_LANG) or {}
            own_v = (by_lang or {}).get(lang) or {}
            for field in FIELDS:
                if field not in english_v and field not in own_v:
                    continue
                source = english_v.get(field) or english.get(field)
                notes = _budget_note(field, lang, source, sms_budget)
                if field not in english_v:
                    notes.append(
                        "No English for this variant: the English shown is the base text."
                    )
                _add(catalog, f"{slug}:{variant}:{field}", source, own_v.get(field), fuzzy, notes)
    return catalog


def _add(
    catalog: Catalog, context: str, source: Any, text: Any, fuzzy: bool, notes: list[str]
) -> None:
    if not source:
        return  # gettext has no message without source text
    flags = ["fuzzy"] if fuzzy and text else []
    catalog.add(str(source), str(text or ""), flags=flags, user_comments=notes, context=context)


def _budget_note(field: str, lang: str, english: Any, budget: int) -> list[str]:
    if field == "title":
        limit = 20 if lang in SHORT_TITLE_LANGS else 30
        return [f"Menu label: at most {limit} characters."]
    if field == "long":
        return ["Telegram text: no SMS limit; keep the line breaks."]
    enc = "GSM-7" if lang == SOURCE_LANG else "UCS-2"
    room = SINGLE[enc] if budget == 1 else PART[enc] * budget
    cost = count(str(english or "")).segments
    return [
        f"SMS budget: {budget} segments = {room} characters in this script ({enc}).",
        f"The English uses {cost} segment(s).",
    ]


def write_catalog(catalog: Catalog, fileobj: IO[bytes]) -> None:
    """Write the catalog as a .po file."""
    write_po(fileobj, catalog, no_location=True, width=76)


def read_catalog(fileobj: IO[bytes]) -> Catalog:
    """Read a .po file written by `write_catalog` (and edited by a translator)."""
    return read_po(fileobj)


def import_catalog(
    topics: Mapping[str, Doc], catalog: Catalog, lang: str | None = None, publish: bool = False
) -> tuple[dict[str, Doc], list[str]]:
    """The topics with the catalog's translations applied, and the slugs that changed."""
    lang = lang or str(catalog.locale_identifier or "")
    if not lang or lang == SOURCE_LANG:
        raise ValueError(f"cannot import a catalog for language {lang!r}")
    result = copy.deepcopy(dict(topics))
    changed: set[str] = set()
    fuzzy: set[str] = set()
    for message in catalog:
        target = _target(message)
        if target is None or target[0] not in result:
            continue
        slug, variant, field = target
        if message.fuzzy:
            fuzzy.add(slug)
        if not message.string:
            continue
        text = _text_entry(result[slug], variant, lang)
        if text.get(field) != message.string:
            text[field] = str(message.string)
            changed.add(slug)
    restated = set()
    for slug in result:
        own = (result[slug].get("text") or {}).get(lang)
        if not own:
            continue
        cleared = publish and slug not in fuzzy
        if slug in changed:
            status = "published" if cleared else "needs-review"
        elif cleared and own.get("status") in UNREVIEWED:
            status = "published"
        else:
            continue
        if own.get("status") != status:
            own["status"] = status
            restated.add(slug)
    return result, sorted(changed | restated)


def _target(message: Message) -> tuple[str, str, str] | None:
    parts = str(message.context or "").split(":")
    if not message.id or len(parts) not in (2, 3) or parts[-1] not in FIELDS:
        return None
    return (parts[0], parts[1] if len(parts) == 3 else "", parts[-1])


def _text_entry(doc: Doc, variant: str, lang: str) -> dict[str, Any]:
    layer = doc.setdefault("text", {}) if not variant else doc.setdefault("variants", {})
    by_lang: dict[str, dict[str, Any]] = layer if not variant else layer.setdefault(variant, {})
    entry: dict[str, Any] = by_lang.setdefault(lang, {})
    return entry
