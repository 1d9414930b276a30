"""Side effects the core asks the caller to carry out in the same transaction as the new state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Effect:
    """Base of every effect; the service dispatches on the concrete type."""


@dataclass(frozen=True)
class OptOut(Effect):
    """STOP: send nothing more to this person, proactive messages included."""


@dataclass(frozen=True)
class OptIn(Effect):
    """START after STOP: the person may be written to again."""


@dataclass(frozen=True)
class Forget(Effect):
    """DELETE: erase state, messages and reply address now; cases keep anonymous fields."""


@dataclass(frozen=True)
class Unanswered(Effect):
    """A question the matcher did not understand: the editors' to-do list (redacted later)."""

    text: str
    lang: str


@dataclass(frozen=True)
class TopicShown(Effect):
    """A guidance topic was sent, for the dashboard's topics-asked figures."""

    slug: str
    lang: str
    matched: bool = False


@dataclass(frozen=True)
class EmergencyShown(Effect):
    """Danger words were seen and emergency numbers sent."""

    lang: str


@dataclass(frozen=True)
class FileReport(Effect):
    """The report flow is complete: file it with these answers (the service redacts free text)."""

    answers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseStatusQuery(Effect):
    """STATUS R-XXXX: the service answers with the case state in plain words."""

    code: str


@dataclass(frozen=True)
class FollowUpAnswer(Effect):
    """The answer to a follow-up check-in: safe, or needs help (reopens or raises the case)."""

    code: str
    safe: bool


@dataclass(frozen=True)
class RelayAnswer(Effect):
    """A message the reporter sent while a partner relay is open on their case."""

    code: str
    text: str
