"""Serves the guidance library from memory: topic text with variants, verified hotlines, agencies.

Rules:
- An index is built once from plain documents and never changes; an edit means a new index.
- A language's text is served when published, or when needs-review and serve_unreviewed is on;
  otherwise the English text is served. A draft is never served.
- Variants apply field by field, most specific first: the route "{origin}-{country}", then the
  country, then the base text. The origin is the one the person's language implies.
- Only verified hotlines leave this module, in file order.
- An agency list that nobody has checked (checked_on null, or no agencies) answers checked_on None.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from rapidfuzz import fuzz, process

from bot.content.docs import ContentDocs, load_docs
from bot.content.files import CONTENT_DIR
from bot.core.content import (
    ORIGIN_OF_LANG,
    STAGES,
    AgencyAnswer,
    AgencyMatch,
    Hotline,
    TopicView,
)

SOURCE_LANG = "en"
FIELDS = ("title", "sms", "long")

# Most needed first within each stage; topics tagged with a stage but missing here come last.
STAGE_ORDER: dict[str, tuple[str, ...]] = {
    "thinking": (
        "safe-migration", "legal-channels", "recruitment-fees", "trafficking-signs", "documents",
        "work-permit", "child-labour", "education-training", "remittances", "citizenship",
        "hotlines",
    ),
    "on-the-way": (
        "documents", "safe-migration", "trafficking-signs", "document-confiscation",
        "recruitment-fees", "arrest-detention", "legal-channels", "emergency", "hotlines",
    ),
    "at-work": (
        "unpaid-wages", "working-hours", "work-permit", "document-confiscation", "health-injury",
        "abuse-violence", "forced-labour", "recruitment-fees", "remittances", "child-labour",
        "sexual-exploitation", "education-training", "report", "hotlines",
    ),
    "in-trouble": (
        "emergency", "forced-labour", "abuse-violence", "sexual-exploitation", "trafficking-signs",
        "arrest-detention", "document-confiscation", "health-injury", "missing-person",
        "shelter-support", "unpaid-wages", "child-labour", "report", "hotlines",
    ),
    "back-home": (
        "return-home", "shelter-support", "remittances", "education-training", "citizenship",
        "documents", "missing-person", "health-injury", "report", "hotlines",
    ),
}  # fmt: skip

AGENCY_THRESHOLD = 85.0
AGENCY_LIMIT = 5
# Words every agency name carries ("Agensi Pekerjaan ... Sdn Bhd" is required by Malaysian law);
# matching on them would make every agency look like every other.
GENERIC_WORDS = frozenset(
    {"co", "ltd", "company", "limited", "sdn", "bhd", "agensi", "pekerjaan", "agency", "agencies"}
    | {"recruitment", "employment", "service", "services", "the", "and", "of", "plc", "inc"}
)
GENERIC_THAI = ("บริษัท", "จำกัด", "จัดหางาน", "ห้างหุ้นส่วน")


@dataclass(frozen=True)
class _Topic:
    slug: str
    stages: tuple[str, ...]
    related: tuple[str, ...]
    hotline_kinds: tuple[str, ...]
    texts: Mapping[str, Mapping[str, Any]]
    variants: Mapping[str, Mapping[str, Mapping[str, Any]]]
    keywords: Mapping[str, tuple[str, ...]]  # {lang: phrasings}, for the matcher


@dataclass(frozen=True)
class _AgencyList:
    checked_on: str | None
    source: str
    keys: tuple[str, ...]  # matching keys of names and aliases
    owners: tuple[tuple[str, str], ...]  # (name, licence) for each key


class ContentIndex:
    """The ContentSource the bot reads: immutable lookups built once from plain documents."""

    def __init__(self, docs: ContentDocs, serve_unreviewed: bool = True) -> None:
        self.serve_unreviewed = serve_unreviewed
        self._topics = MappingProxyType(
            {slug: _topic(slug, doc) for slug, doc in docs.topics.items() if doc}
        )
        self._stages = MappingProxyType({s: self._order(s) for s in STAGES})
        hotlines = {cc: _hotlines(cc, doc) for cc, doc in docs.hotlines.items() if doc}
        self._hotlines = MappingProxyType(hotlines)
        self._by_kind = MappingProxyType(
            {
                (cc, kind): tuple(h for h in lines if h.serves(kind))
                for cc, lines in hotlines.items()
                for kind in {k for h in lines for k in (h.kind, *h.also_kinds)}
            }
        )
        self._agencies = MappingProxyType(
            {cc: _agency_list(doc) for cc, doc in docs.agencies.items() if doc}
        )

    def topic(self, slug: str, lang: str, country: str | None) -> TopicView | None:
        """The topic in `lang` (or English), the most specific route or country variant applied."""
        topic = self._topics.get(slug)
        if topic is None:
            return None
        served = self._served_lang(topic, lang)
        if served is None:
            return None
        variants = [topic.variants.get(key, {}) for key in _variant_keys(lang, country)]
        layers = [*(v.get(served, {}) for v in variants), topic.texts[served]]
        text = {f: next((str(layer[f]) for layer in layers if layer.get(f)), "") for f in FIELDS}
        return TopicView(
            slug=slug,
            lang=served,
            title=text["title"],
            sms=text["sms"],
            long=text["long"],
            related=topic.related,
            hotline_kinds=topic.hotline_kinds,
        )

    def stage_topics(self, stage: str) -> list[str]:
        """The slugs tagged with `stage`, most needed first."""
        return list(self._stages.get(stage, ()))

    def title(self, slug: str, lang: str) -> str:
        """The topic's menu label in `lang`, or English; the slug when the topic is unknown."""
        topic = self._topics.get(slug)
        served = self._served_lang(topic, lang) if topic else None
        if topic is None or served is None:
            return slug
        return str(topic.texts[served].get("title") or slug)

    def hotlines(self, country: str, kinds: tuple[str, ...] = ()) -> list[Hotline]:
        """Verified numbers of `country` in file order; those serving one of `kinds`, if given."""
        if len(kinds) == 1:
            return list(self._by_kind.get((country, kinds[0]), ()))
        lines = self._hotlines.get(country, ())
        return [h for h in lines if not kinds or any(h.serves(k) for k in kinds)]

    def check_agency(self, country: str, name: str) -> AgencyAnswer:
        """Licensed agencies whose name or alias is close to `name`, best first."""
        listed = self._agencies.get(country)
        if listed is None or listed.checked_on is None:
            return AgencyAnswer(country, (), None, listed.source if listed else "")
        query = agency_key(name)
        found = (
            process.extract(
                query, listed.keys, scorer=fuzz.WRatio, score_cutoff=AGENCY_THRESHOLD, limit=None
            )
            if query
            else []
        )
        best: dict[tuple[str, str], float] = {}
        for _key, score, i in found:
            owner = listed.owners[i]
            best[owner] = max(score, best.get(owner, 0.0))
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0][0]))[:AGENCY_LIMIT]
        matches = tuple(AgencyMatch(name, licence, score) for (name, licence), score in ranked)
        return AgencyAnswer(country, matches, listed.checked_on, listed.source)

    def slugs(self) -> list[str]:
        """Every topic slug the index holds."""
        return list(self._topics)

    def keywords(self) -> dict[str, dict[str, list[str]]]:
        """{slug: {lang: phrasings}} for the matcher."""
        return {
            slug: {lang: list(words) for lang, words in topic.keywords.items()}
            for slug, topic in self._topics.items()
        }

    def _served_lang(self, topic: _Topic, lang: str) -> str | None:
        text = topic.texts.get(lang)
        status = text.get("status") if text else None
        if status == "published" or (status == "needs-review" and self.serve_unreviewed):
            return lang
        english = topic.texts.get(SOURCE_LANG)
        # English is the team's own text; only a draft of it is held back.
        if english and english.get("status") != "draft" and english.get("sms"):
            return SOURCE_LANG
        return None

    def _order(self, stage: str) -> tuple[str, ...]:
        tagged = {slug for slug, t in self._topics.items() if stage in t.stages}
        ranked = [slug for slug in STAGE_ORDER.get(stage, ()) if slug in tagged]
        return (*ranked, *sorted(tagged - set(ranked)))


class FileContentStore(ContentIndex):
    """The ContentSource read from the YAML files under `root`."""

    def __init__(self, root: Path = CONTENT_DIR, serve_unreviewed: bool = True) -> None:
        super().__init__(load_docs(root), serve_unreviewed)


def _variant_keys(lang: str, country: str | None) -> list[str]:
    if not country:
        return []
    origin = ORIGIN_OF_LANG.get(lang)
    route = [f"{origin}-{country}"] if origin and origin != country else []
    return [*route, country]


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _topic(slug: str, doc: Mapping[str, Any]) -> _Topic:
    return _Topic(
        slug=slug,
        stages=tuple(doc.get("stages") or ()),
        related=tuple(doc.get("related") or ()),
        hotline_kinds=tuple(doc.get("hotline_kinds") or ()),
        texts=_freeze({lang: t for lang, t in (doc.get("text") or {}).items() if t}),
        variants=_freeze(doc.get("variants") or {}),
        keywords=MappingProxyType(
            {
                lang: tuple(str(w) for w in words or ())
                for lang, words in (doc.get("keywords") or {}).items()
            }
        ),
    )


def _hotlines(country: str, doc: Mapping[str, Any]) -> tuple[Hotline, ...]:
    return tuple(
        Hotline(
            country=country,
            number=str(e["number"]),
            kind=str(e["kind"]),
            name=str(e.get("name") or ""),
            purpose=str(e.get("purpose") or ""),
            languages=tuple(e.get("languages") or ()),
            also_kinds=tuple(e.get("also_kinds") or ()),
        )
        for e in doc.get("entries") or ()
        if e.get("verified") is True and e.get("number") and e.get("kind")
    )


def _agency_list(doc: Mapping[str, Any]) -> _AgencyList:
    agencies = [a for a in doc.get("agencies") or () if a and a.get("name")]
    checked = doc.get("checked_on")
    keys: list[str] = []
    owners: list[tuple[str, str]] = []
    for agency in agencies:
        owner = (str(agency["name"]), str(agency.get("licence") or ""))
        for name in (agency["name"], *(agency.get("aliases") or ())):
            keys.append(agency_key(str(name)))
            owners.append(owner)
    return _AgencyList(
        checked_on=str(checked) if checked and agencies else None,
        source=str(doc.get("source") or ""),
        keys=tuple(keys),
        owners=tuple(owners),
    )


def agency_key(name: str) -> str:
    """The distinctive words of an agency name, casefolded, for fuzzy matching."""
    text = unicodedata.normalize("NFKC", name).casefold()
    for word in GENERIC_THAI:
        text = text.replace(word, " ")
    words = re.findall(r"\w+", text)
    distinctive = [w for w in words if w not in GENERIC_WORDS]
    return " ".join(distinctive or words)
