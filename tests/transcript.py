"""Reading golden conversation files and running them against the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.engine import Engine
from bot.core.messages import SMS, TELEGRAM, Inbound
from bot.core.shape import render_sms
from bot.core.state import Conversation

TRANSCRIPTS = Path(__file__).parent / "transcripts"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass
class Turn:
    said: str
    expected: str


@dataclass
class Transcript:
    path: Path
    channel: str = "sms"
    comments: list[str] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)

    def write(self, actual: list[str]) -> None:
        """Rewrites the file with these replies (for --update-goldens)."""
        lines = [*self.comments, f"@channel {self.channel}"]
        for turn, replies in zip(self.turns, actual, strict=True):
            lines.append(f"> {turn.said}")
            lines.extend(f"< {line}".rstrip() for line in replies.split("\n"))
        self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def parse(path: Path) -> Transcript:
    """A transcript file as turns of (what was said, the expected replies joined)."""
    script = Transcript(path)
    expected: list[str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("#"):
            script.comments.append(raw)
        elif raw.startswith("@channel"):
            script.channel = raw.split()[1]
        elif raw.startswith(">"):
            expected = []
            script.turns.append(Turn(raw[2:], ""))
        elif raw.startswith("<") and expected is not None:
            expected.append(raw[2:])
            script.turns[-1].expected = "\n".join(expected)
    return script


def rendered(replies: list, channel: str) -> str:  # type: ignore[type-arg]
    """Replies as the person reads them, one empty line between replies."""
    if channel == "sms":
        return "\n\n".join(render_sms(r) for r in replies)
    parts = []
    for reply in replies:
        buttons = "  ".join(f"[{c.key} {c.label}]" for c in reply.choices)
        parts.append(reply.text + (f"\n{buttons}" if buttons else ""))
    return "\n\n".join(parts)


def run(engine: Engine, script: Transcript) -> list[str]:
    """The replies of the engine to each line, one minute apart, state carried over."""
    state = Conversation()
    caps = SMS if script.channel == "sms" else TELEGRAM
    out = []
    for i, turn in enumerate(script.turns):
        result = engine.handle(state, Inbound(turn.said, START + timedelta(minutes=i), caps))
        state = result.state
        out.append(rendered(result.replies, script.channel))
    return out
