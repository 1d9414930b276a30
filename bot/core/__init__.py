"""The pure conversation core: messages, state, effects and the engine, with no I/O."""

from bot.core.effects import Effect
from bot.core.engine import Engine, EngineSettings, Turn
from bot.core.messages import SMS, TELEGRAM, Caps, Choice, Inbound, Reply
from bot.core.state import Conversation

__all__ = [
    "SMS",
    "TELEGRAM",
    "Caps",
    "Choice",
    "Conversation",
    "Effect",
    "Engine",
    "EngineSettings",
    "Inbound",
    "Reply",
    "Turn",
]
