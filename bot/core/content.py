"""What the core needs from the guidance library, as a protocol the stores fulfil."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

STAGES = ("thinking", "on-the-way", "at-work", "in-trouble", "back-home")

# The origin country a language most likely means, for route variants such as MM-TH.
ORIGIN_OF_LANG = {"my": "MM", "km": "KH", "lo": "LA", "vi": "VN", "zh": "CN", "th": "TH"}


@dataclass(frozen=True)
class TopicView:
    """A topic's text in one language, the country or route variant already applied."""

    slug: str
    lang: str
    title: str
    sms: str
    long: str
    related: tuple[str, ...] = ()
    hotline_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hotline:
    """One verified number to call, with what it is for."""

    country: str
    number: str
    kind: str
    name: str
    purpose: str = ""
    languages: tuple[str, ...] = ()
    also_kinds: tuple[str, ...] = field(default=())

    def serves(self, kind: str) -> bool:
        """True when this number is for `kind` (its own kind or one it also covers)."""
        return kind == self.kind or kind in self.also_kinds


@dataclass(frozen=True)
class AgencyMatch:
    """A licensed recruitment agency close to a name someone asked about."""

    name: str
    licence: str
    score: float


@dataclass(frozen=True)
class AgencyAnswer:
    """What the list says about a recruiter's name: matches, and how fresh the list is."""

    country: str
    matches: tuple[AgencyMatch, ...]
    checked_on: str | None  # None when no list is kept for that country
    source: str = ""


class ContentSource(Protocol):
    """Published guidance and verified hotlines, looked up by the flows."""

    def topic(self, slug: str, lang: str, country: str | None) -> TopicView | None: ...

    def stage_topics(self, stage: str) -> list[str]: ...

    def title(self, slug: str, lang: str) -> str: ...

    def hotlines(self, country: str, kinds: tuple[str, ...] = ()) -> list[Hotline]: ...

    def check_agency(self, country: str, name: str) -> AgencyAnswer: ...

    def keywords(self) -> dict[str, dict[str, list[str]]]: ...
