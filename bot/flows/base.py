"""The small flow language: a flow is a table of named nodes that prompt, then read an answer.

Rules:
- A node never touches storage or the network; it reads `Ctx` and returns a `Step`.
- `goto` names "node" (same flow), "flow.node", or "flow" (its start node).
- A node that returns `None` from `receive` did not understand; the engine then treats the text
  as a free question, so a person can ask something at any step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.content import ContentSource
from bot.core.effects import Effect
from bot.core.interrupts import command_in
from bot.core.messages import Choice, Inbound, Reply
from bot.core.state import Conversation
from bot.core.text import T, Translator
from bot.matching.normalize import fold

if TYPE_CHECKING:
    from bot.core.engine import EngineSettings
    from bot.matching.matcher import Match


class MatcherLike(Protocol):
    """What the flows need from the matcher."""

    def match(self, text: str, lang: str | None = None) -> Match: ...


@dataclass
class Ctx:
    """Everything a node may read while handling one inbound message; state is a working copy."""

    state: Conversation
    inbound: Inbound
    text: str  # normalised: Unicode Burmese, ASCII digits, no zero-width characters
    content: ContentSource
    matcher: MatcherLike
    settings: EngineSettings
    tr: Translator
    effects: list[Effect] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.state.lang or "en"

    @property
    def slots(self) -> dict[str, Any]:
        return self.state.slots

    def t(self, message: T, **values: object) -> str:
        """A prompt in the person's language."""
        return message.render(self.tr, **values)


@dataclass
class Step:
    """What a node did: replies to send and, optionally, where to go next (None: wait here)."""

    replies: list[Reply] = field(default_factory=list)
    goto: str | None = None


Label = T | Callable[[Ctx], str]


def label_text(ctx: Ctx, label: Label) -> str:
    """A label's text, whether a prompt or computed from the context."""
    return ctx.t(label) if isinstance(label, T) else label(ctx)


@dataclass(frozen=True)
class Option:
    """One numbered choice of a Menu: what it says, where it leads, and what it stores."""

    label: Label
    goto: str
    save: dict[str, Any] = field(default_factory=dict)


class Node:
    """A point in a flow: `enter` prompts, `receive` reads one answer."""

    def enter(self, ctx: Ctx) -> Step:
        return Step()

    def receive(self, ctx: Ctx) -> Step | None:
        return None


@dataclass
class Say(Node):
    """Says something and moves on without waiting."""

    text: T
    next: str

    def enter(self, ctx: Ctx) -> Step:
        return Step([Reply(ctx.t(self.text))], goto=self.next)


@dataclass
class Menu(Node):
    """Asks a question with numbered options and follows the one chosen."""

    prompt: Label
    options: Sequence[Option] | Callable[[Ctx], Sequence[Option]]

    def choices(self, ctx: Ctx) -> Sequence[Option]:
        return self.options(ctx) if callable(self.options) else self.options

    def enter(self, ctx: Ctx) -> Step:
        options = self.choices(ctx)
        choices = tuple(
            Choice(str(i), label_text(ctx, opt.label)) for i, opt in enumerate(options, 1)
        )
        return Step([Reply(label_text(ctx, self.prompt), choices)])

    def receive(self, ctx: Ctx) -> Step | None:
        options = self.choices(ctx)
        picked = _pick(ctx.text, len(options))
        if picked is None:
            return None
        option = options[picked - 1]
        save(ctx, option.save)
        return Step(goto=option.goto)


def save(ctx: Ctx, values: dict[str, Any]) -> None:
    """Stores answers: language and country on the conversation itself, the rest in slots."""
    for key, value in values.items():
        if key in ("lang", "country"):
            setattr(ctx.state, key, value)
        else:
            ctx.slots[key] = value


def _pick(text: str, count: int) -> int | None:
    """The option number in an answer such as "2", "2." or " 2 "."""
    digits = text.strip().rstrip(".)")
    if digits.isdigit() and 1 <= int(digits) <= count:
        return int(digits)
    return None


@dataclass
class Ask(Node):
    """Asks for free text and stores it under `save`; SKIP moves on with nothing stored."""

    prompt: T
    save: str
    next: str

    def enter(self, ctx: Ctx) -> Step:
        return Step([Reply(ctx.t(self.prompt))])

    def receive(self, ctx: Ctx) -> Step | None:
        if command_in(fold(ctx.text)) != "SKIP":
            ctx.slots[self.save] = ctx.text
        return Step(goto=self.next)


@dataclass
class Action(Node):
    """A node whose prompt is computed; `on_receive` reads the answer, if it waits for one."""

    run: Callable[[Ctx], Step]
    on_receive: Callable[[Ctx], Step | None] | None = None

    def enter(self, ctx: Ctx) -> Step:
        return self.run(ctx)

    def receive(self, ctx: Ctx) -> Step | None:
        return self.on_receive(ctx) if self.on_receive else None


@dataclass(frozen=True)
class Flow:
    """A named table of nodes with a start node."""

    name: str
    start: str
    nodes: dict[str, Node]

    def targets(self) -> list[str]:
        """Every goto written in the table, for the registry's check."""
        found: list[str] = []
        for node in self.nodes.values():
            if isinstance(node, Say | Ask):
                found.append(node.next)
            if isinstance(node, Menu) and not callable(node.options):
                found.extend(opt.goto for opt in node.options)
        return found
