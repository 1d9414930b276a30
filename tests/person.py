"""A person on a phone talking to the pure engine, for flow tests (no database, no clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.content.store import FileContentStore
from bot.core.engine import Engine, EngineSettings, Turn
from bot.core.messages import SMS, Caps, Inbound
from bot.core.shape import render_sms
from bot.core.state import Conversation
from bot.flows import FLOWS
from bot.i18n import translator
from bot.matching.matcher import Matcher

T0 = datetime(2026, 2, 1, 7, 0, tzinfo=UTC)


def shipped_engine() -> Engine:
    """The engine over the shipped content and catalogs, as the bot runs it."""
    content = FileContentStore()
    return Engine(
        FLOWS,
        content,
        Matcher.from_keywords(content.keywords()),
        translator,
        EngineSettings(idle_minutes=30),
    )


class Person:
    """One phone: its state is carried between messages as the database does."""

    def __init__(self, engine: Engine, caps: Caps = SMS) -> None:
        self.engine = engine
        self.caps = caps
        self.state = Conversation()
        self.clock = T0
        self.last: Turn | None = None

    def says(self, text: str, after: timedelta = timedelta(minutes=1), media: bool = False) -> str:
        """Sends one message and returns the replies as the person reads them over SMS."""
        self.clock += after
        inbound = Inbound(text, self.clock, self.caps, media=media)
        self.last = self.engine.handle(self.state, inbound)
        self.state = self.last.state
        return "\n\n".join(render_sms(r) for r in self.last.replies)
