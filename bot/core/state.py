"""The stored state of one conversation, as versioned JSON so old states migrate forward."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

VERSION = 1


@dataclass
class Conversation:
    """Where a person is in the flows, what they chose, and the language and country they use.

    Holds no address and no name: the storage layer keys it by pseudonym.
    """

    flow: str = "welcome"
    node: str = "start"
    lang: str | None = None
    country: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    back: list[str] = field(default_factory=list)  # "flow.node" of earlier waits, for BACK
    last_seen: datetime | None = None
    opted_out: bool = False
    v: int = VERSION

    @property
    def at(self) -> str:
        """The current position as "flow.node"."""
        return f"{self.flow}.{self.node}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        data = asdict(self)
        data["last_seen"] = self.last_seen.isoformat() if self.last_seen else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Conversation:
        """Rebuild a state stored by any earlier version; unknown keys are dropped."""
        if not data:
            return cls()
        data = dict(data)
        seen = data.get("last_seen")
        data["last_seen"] = datetime.fromisoformat(seen) if seen else None
        data["v"] = VERSION
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})
