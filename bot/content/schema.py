"""Checks the content documents against the library's rules and lists every problem found.

Rules:
- An error means the bot would say something wrong or broken: unknown slugs, missing languages,
  empty text, an SMS over budget, a phone number inside guidance, references to nothing.
- A warning is work for editors: unpublished translations, overdue reviews, unverified hotlines,
  agency lists nobody has checked yet.
- Checks never raise on malformed documents; they report them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from bot.content.docs import ContentDocs
from bot.content.taxonomy import (
    AGENCY_COUNTRIES,
    COUNTRIES,
    HOTLINE_KINDS,
    LANGUAGES,
    SHORT_TITLE_LANGS,
    STATUSES,
    TOPIC_SLUGS,
)
from bot.core.content import ORIGIN_OF_LANG, STAGES
from bot.core.segments import count

Level = Literal["error", "warning"]

SMS_BUDGET = 3
TITLE_MAX = 30
TITLE_MAX_SHORT = 20
TEXT_FIELDS = ("title", "sms", "long")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Seven or more digits, maybe spaced or hyphenated: a phone number in any script's digits.
LONG_NUMBER = re.compile(r"\+?\d(?:[ \-]?\d){6,}")
SHORT_NUMBER = re.compile(r"(?<![A-Za-z\d])(?<!\d[.,])\d{3,5}(?![\d.,]\d|\d)")
# "ILO Convention No. 190" or "section 191" is a reference, not a phone number.
NOT_A_CODE = re.compile(r"(?:no|convention|article|section|act|c|b\.e)\.?\s*$", re.IGNORECASE)
NOT_A_PHONE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}-\d{4}")  # dates and year ranges
HOTLINE_FIELDS = (
    "id", "number", "kind", "also_kinds", "name", "purpose", "languages", "languages_inferred",
    "hours", "source", "source_title", "source_date", "also_reported_by", "notes", "verified",
    "checked_on",
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    """One finding: how bad it is, where ("file: path.in.doc") and what is wrong."""

    level: Level
    where: str
    message: str

    @property
    def file(self) -> str:
        """The content file the problem is in."""
        return self.where.split(":", 1)[0]


class _Found(list[Problem]):
    def error(self, where: str, message: str) -> None:
        self.append(Problem("error", where, message))

    def warn(self, where: str, message: str) -> None:
        self.append(Problem("warning", where, message))


def check_all(docs: ContentDocs, today: date, sms_budget: int = SMS_BUDGET) -> list[Problem]:
    """Every problem in the library: topics, hotline directories and agency lists."""
    found = _Found()
    for slug in TOPIC_SLUGS:
        if slug not in docs.topics:
            found.error(f"topics/{slug}.yaml", "no topic file for this taxonomy slug")
    for country in COUNTRIES:
        if country not in docs.hotlines:
            found.warn(f"hotlines/{country}.yaml", "no hotline directory for this country")
    for country in AGENCY_COUNTRIES:
        if country not in docs.agencies:
            found.warn(f"agencies/{country}.yaml", "no agency list for this destination")
    kinds_in_files = {
        k for doc in docs.hotlines.values() for e in _entries(doc) for k in _kinds_of(e)
    }
    numbers = {
        _ascii_digits(str(e.get("number") or ""))
        for doc in docs.hotlines.values()
        for e in _entries(doc)
    }
    context = _TopicContext(today, sms_budget, kinds_in_files, {n for n in numbers if n})
    for stem, doc in docs.topics.items():
        found.extend(check_topic(stem, doc, context))
    for stem, doc in docs.hotlines.items():
        found.extend(check_hotlines(stem, doc))
    for stem, doc in docs.agencies.items():
        found.extend(check_agencies(stem, doc))
    return found


@dataclass(frozen=True)
class _TopicContext:
    today: date
    sms_budget: int
    kinds_in_files: set[str]
    hotline_numbers: set[str]


def check_topic(stem: str, doc: Any, ctx: _TopicContext) -> list[Problem]:
    """Problems of one topic document (file `topics/<stem>.yaml`)."""
    found, where = _Found(), f"topics/{stem}.yaml"
    if not isinstance(doc, Mapping):
        found.error(where, "not a YAML mapping")
        return found
    slug = doc.get("slug")
    if not slug:
        found.error(where, "missing slug")
    elif slug != stem:
        found.error(where, f"slug {slug!r} differs from the file name")
    if (slug or stem) not in TOPIC_SLUGS:
        found.error(where, f"unknown slug {slug or stem!r}: not in the taxonomy")
    _check_meta(found, where, stem, doc, ctx)
    texts = doc.get("text")
    if not isinstance(texts, Mapping):
        found.error(f"{where}: text", "missing text")
        texts = {}
    for lang in LANGUAGES:
        if lang not in texts:
            found.error(f"{where}: text", f"missing language {lang}")
    for lang, text in texts.items():
        _check_text(found, f"{where}: text.{lang}", lang, text, ctx, base=True)
    variants = doc.get("variants") or {}
    for key, by_lang in variants.items() if isinstance(variants, Mapping) else ():
        _check_variant_key(found, f"{where}: variants.{key}", key)
        for lang, text in (by_lang or {}).items():
            _check_text(found, f"{where}: variants.{key}.{lang}", lang, text, ctx, base=False)
    keywords = doc.get("keywords") or {}
    for lang in keywords:
        if lang not in LANGUAGES:
            found.error(f"{where}: keywords.{lang}", f"unknown language {lang!r}")
    for lang in LANGUAGES:
        if not keywords.get(lang):
            found.warn(f"{where}: keywords", f"no keywords in {lang}: the matcher cannot find it")
    return found


def _check_meta(
    found: _Found, where: str, stem: str, doc: Mapping[str, Any], ctx: _TopicContext
) -> None:
    stages = doc.get("stages") or []
    if not stages:
        found.error(f"{where}: stages", "no stage: the topic is in no menu")
    for stage in _unknown(stages, STAGES):
        found.error(f"{where}: stages", f"unknown stage {stage!r}")
    for slug in _unknown(doc.get("related") or [], TOPIC_SLUGS):
        found.error(f"{where}: related", f"unknown slug {slug!r}")
    if stem in (doc.get("related") or []):
        found.warn(f"{where}: related", "the topic names itself as related")
    for kind in doc.get("hotline_kinds") or []:
        if kind not in ctx.kinds_in_files and kind not in HOTLINE_KINDS:
            found.error(f"{where}: hotline_kinds", f"kind {kind!r}: no hotline file has it")
        elif kind not in ctx.kinds_in_files:
            found.warn(f"{where}: hotline_kinds", f"no hotline of kind {kind!r} yet")
    sources = doc.get("sources") or []
    if not sources or not all(isinstance(s, Mapping) and s.get("title") for s in sources):
        found.error(f"{where}: sources", "needs at least one source, each with a title")
    _check_review(found, where, doc, ctx.today)


def _check_review(found: _Found, where: str, doc: Mapping[str, Any], today: date) -> None:
    reviewed, every = doc.get("reviewed_on"), doc.get("review_every_days")
    if reviewed is None:
        found.warn(f"{where}: reviewed_on", "never reviewed")
        return
    if not isinstance(reviewed, date):
        found.error(f"{where}: reviewed_on", "must be a date written YYYY-MM-DD, unquoted")
        return
    if not isinstance(every, int) or isinstance(every, bool) or every <= 0:
        found.error(f"{where}: review_every_days", "must be a positive number of days")
        return
    overdue = (today - reviewed).days - every
    if overdue > 0:
        found.warn(f"{where}: reviewed_on", f"review overdue by {overdue} days")


def _check_text(
    found: _Found, where: str, lang: str, text: Any, ctx: _TopicContext, base: bool
) -> None:
    if lang not in LANGUAGES:
        found.error(where, f"unknown language {lang!r}")
    if not isinstance(text, Mapping):
        found.error(where, "not a mapping of title/sms/long")
        return
    if base:
        status = text.get("status")
        if status not in STATUSES:
            found.error(f"{where}.status", f"bad status {status!r}: one of {', '.join(STATUSES)}")
        elif status != "published":
            found.warn(f"{where}.status", f"{status}: listed for review")
        for field in ("title", "sms"):
            if not str(text.get(field) or "").strip():
                found.error(f"{where}.{field}", f"empty {field}")
        if not str(text.get("long") or "").strip():
            found.warn(f"{where}.long", "empty long text: Telegram gets the SMS text")
    else:
        for field in set(text) - set(TEXT_FIELDS):
            found.error(f"{where}.{field}", "a variant replaces only title, sms or long")
        for field in set(text) & set(TEXT_FIELDS):
            if not str(text.get(field) or "").strip():
                found.error(f"{where}.{field}", f"empty {field}")
    _check_title(found, where, lang, text.get("title"))
    _check_sms(found, where, lang, text.get("sms"), ctx.sms_budget)
    for field in TEXT_FIELDS:
        for number in phone_numbers(str(text.get(field) or ""), ctx.hotline_numbers):
            found.error(f"{where}.{field}", f"phone number {number!r} in text: use hotline_kinds")


def _check_title(found: _Found, where: str, lang: str, title: Any) -> None:
    limit = TITLE_MAX_SHORT if lang in SHORT_TITLE_LANGS else TITLE_MAX
    if title and len(str(title)) > limit:
        found.warn(f"{where}.title", f"title longer than {limit} characters")


def _check_sms(found: _Found, where: str, lang: str, sms: Any, budget: int) -> None:
    if not sms:
        return
    cost = count(str(sms))
    if cost.segments > budget:
        found.error(
            f"{where}.sms",
            f"{cost.segments} SMS segments ({cost.units} {cost.encoding} units): "
            f"over the budget of {budget}",
        )
    if lang == "en" and cost.encoding != "GSM-7":
        odd = sorted({ch for ch in str(sms) if count(ch).encoding != "GSM-7"})
        found.error(f"{where}.sms", f"English SMS must be GSM-7; remove {''.join(odd)!r}")


def _check_variant_key(found: _Found, where: str, key: str) -> None:
    parts = str(key).split("-")
    if len(parts) > 2 or any(p not in COUNTRIES for p in parts):
        found.error(where, f"bad variant {key!r}: a country (TH) or origin-country (MM-TH)")
    elif len(parts) == 2 and parts[0] not in ORIGIN_OF_LANG.values():
        found.warn(where, f"no language implies origin {parts[0]}: this route is never served")


def phone_numbers(text: str, known_short: set[str]) -> list[str]:
    """Phone numbers written in `text`: long digit runs, or short codes of known hotlines."""
    found = [m.group() for m in LONG_NUMBER.finditer(text) if not NOT_A_PHONE.fullmatch(m.group())]
    found += [
        m.group()
        for m in SHORT_NUMBER.finditer(text)
        if _ascii_digits(m.group()) in known_short and not NOT_A_CODE.search(text[: m.start()])
    ]
    return found


def check_hotlines(stem: str, doc: Any) -> list[Problem]:
    """Problems of one country's hotline directory (file `hotlines/<stem>.yaml`)."""
    found, where = _Found(), f"hotlines/{stem}.yaml"
    if not isinstance(doc, Mapping):
        found.error(where, "not a YAML mapping")
        return found
    _check_country(found, where, stem, doc)
    ids = Counter(str(e.get("id")) for e in _entries(doc))
    numbers = Counter(str(e.get("number")) for e in _entries(doc))
    inferred = 0
    for i, entry in enumerate(_entries(doc)):
        at = f"{where}: entries[{i}] {entry.get('id') or ''}".rstrip()
        _check_entry(found, at, entry)
        if ids[str(entry.get("id"))] > 1:
            found.error(at, f"duplicate id {entry.get('id')!r}")
        if numbers[str(entry.get("number"))] > 1:
            found.warn(at, f"number {entry.get('number')!r} listed twice in this country")
        inferred += bool(entry.get("verified") is True and entry.get("languages_inferred"))
    if inferred:
        found.warn(where, f"{inferred} verified entries have inferred languages: check them")
    return found


def _check_entry(found: _Found, at: str, entry: Mapping[str, Any]) -> None:
    if not SLUG.match(str(entry.get("id") or "")):
        found.error(at, "id must be a lowercase slug")
    if not re.search(r"\d", str(entry.get("number") or "")):
        found.error(at, "no number")
    for kind in _unknown(_kinds_of(entry), HOTLINE_KINDS):
        found.error(at, f"unknown kind {kind!r}")
    missing = [f for f in HOTLINE_FIELDS if f not in entry]
    if missing:
        found.warn(at, f"missing fields: {', '.join(missing)}")
    verified = entry.get("verified")
    if not isinstance(verified, bool):
        found.error(at, "verified must be true or false")
    elif not verified:
        found.warn(at, "not verified: never sent to migrants until an editor checks it")
    elif not isinstance(entry.get("checked_on"), date):
        found.error(at, "verified without a checked_on date")
    elif not entry.get("source"):
        found.error(at, "verified without a source")


def check_agencies(stem: str, doc: Any) -> list[Problem]:
    """Problems of one destination's licensed-agency list (file `agencies/<stem>.yaml`)."""
    found, where = _Found(), f"agencies/{stem}.yaml"
    if not isinstance(doc, Mapping):
        found.error(where, "not a YAML mapping")
        return found
    _check_country(found, where, stem, doc)
    if not doc.get("source"):
        found.error(f"{where}: source", "name the official register the list is copied from")
    checked, agencies = doc.get("checked_on"), doc.get("agencies") or []
    if checked is not None and not isinstance(checked, date):
        found.error(f"{where}: checked_on", "must be a date YYYY-MM-DD or null")
    if not agencies:
        found.warn(where, "no agencies listed: the bot says it keeps no checked list yet")
    elif checked is None:
        found.warn(where, "checked_on is null: the bot treats the list as not kept yet")
    names = Counter(str(a.get("name", "")).casefold() for a in agencies if isinstance(a, Mapping))
    for i, agency in enumerate(agencies):
        at = f"{where}: agencies[{i}]"
        if not isinstance(agency, Mapping) or not agency.get("name") or not agency.get("licence"):
            found.error(at, "each agency needs a name and a licence number")
        elif names[str(agency["name"]).casefold()] > 1:
            found.warn(at, f"{agency['name']!r} listed twice")
    return found


def _check_country(found: _Found, where: str, stem: str, doc: Mapping[str, Any]) -> None:
    if stem not in COUNTRIES:
        found.error(where, f"file name {stem!r} is not a country code")
    if doc.get("country") != stem:
        found.error(f"{where}: country", f"country {doc.get('country')!r} differs from file name")


def _entries(doc: Any) -> list[Mapping[str, Any]]:
    entries = doc.get("entries") if isinstance(doc, Mapping) else None
    return [e for e in entries or [] if isinstance(e, Mapping)]


def _kinds_of(entry: Mapping[str, Any]) -> list[str]:
    return [str(entry.get("kind")), *(str(k) for k in entry.get("also_kinds") or [])]


def _unknown(values: Iterable[Any], known: Iterable[str]) -> list[Any]:
    allowed = set(known)
    return [v for v in values if v not in allowed]


def _ascii_digits(text: str) -> str:
    # Thai, Burmese, Khmer and Lao digits count as digits too.
    return "".join(str(unicodedata.digit(ch)) for ch in text if ch.isdigit())
