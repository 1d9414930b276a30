"""The conversation engine: (stored state, inbound message) -> (replies, new state, effects).

Rules:
- Pure: no database, network, clock or environment; the caller passes the time in `Inbound.at`.
- Order of checks for every message: opted out, idle restart, global commands, danger words,
  then the current node; a node that does not understand hands the text to the question flow.
- Emergency numbers come before anything else, at every step, in every language.
- A loop guard stops a flow table that would chain Say nodes forever.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.core.content import ContentSource
from bot.core.effects import (
    CaseStatusQuery,
    Effect,
    Forget,
    OptIn,
    OptOut,
)
from bot.core.interrupts import RESUBSCRIBE, command_in, status_code
from bot.core.messages import Inbound, Reply
from bot.core.shape import shape_for_channel
from bot.core.state import Conversation
from bot.core.text import T, Translator
from bot.flows.base import Ctx, Flow, MatcherLike, Menu, Node, Step
from bot.matching.detect import detect_language
from bot.matching.normalize import fold, normalize
from bot.matching.urgency import is_urgent

MAX_HOPS = 12

STOPPED = T(
    "stop.done",
    "You will get no more messages from us. Send START to come back. If you are in danger, "
    "call your local emergency number.",
)
STARTED = T("start.done", "Welcome back. You will get messages from us again.")
FORGOTTEN = T(
    "delete.done",
    "We have erased what we kept about you: your answers, messages and contact. "
    "Send a message any time to start again.",
)
WELCOME_BACK = T("idle.welcome_back", "Welcome back. Here is the menu again.")
NO_MORE = T("more.none", "There is nothing more on this topic.")
NOT_UNDERSTOOD = T("menu.not_understood", "Please reply with one of the numbers.")
TEXT_ONLY = T(
    "media.text_only",
    "Sorry, we can only read text messages for now. Please write your message in words.",
)

TARGETS = {
    "MENU": "main.menu",
    "LANG": "welcome.language",
    "COUNTRY": "country.ask",
    "HELP": "emergency.show",
}

# Flows that keep going when danger words come in (the report itself), after showing the numbers.
KEEPS_FOCUS = ("report",)
# Nodes that wait for the answer to a message the helpline sent first (a partner's relayed message,
# a follow-up check-in): the answer may come days later, so an idle gap must not restart them
# before the `open_until` time the service put in the slots.
AWAITS_REPLY = ("report.relay", "report.followup")


@dataclass(frozen=True)
class EngineSettings:
    """Tunable behaviour, built from the app's configuration by the composition root."""

    idle_minutes: int = 30
    match_threshold: float = 62.0
    suggest_threshold: float = 45.0
    # A first message is often a greeting ("hello, I want to ask about work"): only a clear
    # question is answered before the menu.
    first_contact_threshold: float = 80.0
    vi_plain_sms: bool = False


@dataclass(frozen=True)
class Turn:
    """The outcome of one inbound message."""

    replies: list[Reply]
    state: Conversation
    effects: list[Effect] = field(default_factory=list)


class Engine:
    """Steps the flows for one person at a time; holds no per-person state of its own."""

    def __init__(
        self,
        flows: Mapping[str, Flow],
        content: ContentSource,
        matcher: MatcherLike,
        translator: Callable[[str], Translator],
        settings: EngineSettings | None = None,
    ) -> None:
        self.flows = flows
        self.content = content
        self.matcher = matcher
        self.translator = translator
        self.settings = settings or EngineSettings()

    def handle(self, state: Conversation, inbound: Inbound) -> Turn:
        """Answer one message; the given state is never modified."""
        work = copy.deepcopy(state)
        ctx = Ctx(
            state=work,
            inbound=inbound,
            text=normalize(inbound.text),
            content=self.content,
            matcher=self.matcher,
            settings=self.settings,
            tr=self.translator(work.lang or "en"),
        )
        replies = self._dispatch(ctx)
        ctx.state.last_seen = inbound.at
        lang = ctx.state.lang
        shaped = shape_for_channel(replies, inbound.caps, lang, self.settings.vi_plain_sms)
        return Turn(shaped, ctx.state, ctx.effects)

    def _dispatch(self, ctx: Ctx) -> list[Reply]:
        state = ctx.state
        folded = fold(ctx.text)
        command = command_in(folded)
        if state.opted_out:
            if command == "START" or folded in RESUBSCRIBE:
                state.opted_out = False
                ctx.effects.append(OptIn())
                return [Reply(ctx.t(STARTED)), *self._go(ctx, "main.menu")]
            return []
        if ctx.inbound.media:
            # A voice note or photo cannot be read yet; a caption with it is read as text.
            notice = [Reply(ctx.t(TEXT_ONLY))]
            if not ctx.text.strip():
                return notice
            ctx.inbound = replace(ctx.inbound, media=False)
            return notice + self._dispatch(ctx)
        if command in ("STOP", "DELETE", "START"):
            return self._lifecycle(ctx, command)
        prefix: list[Reply] = []
        if self._idle(ctx) and state.lang and not self._awaits_reply(ctx):
            self._reset(state, "main", "menu")
            if ctx.text.isdigit() or command == "MENU" or not ctx.text:
                return [Reply(ctx.t(WELCOME_BACK)), *self._go(ctx, "main.menu")]
            prefix = [Reply(ctx.t(WELCOME_BACK))]
        return prefix + self._route(ctx, command)

    def _route(self, ctx: Ctx, command: str | None) -> list[Reply]:
        state = ctx.state
        first = state.flow == "welcome" and state.node == "start"
        if first and is_urgent(ctx.text, detect_language(ctx.text)):
            # Danger in the very first message: numbers before any greeting or question.
            state.lang = detect_language(ctx.text) or "en"
            ctx.tr = self.translator(state.lang)
            return self._go(ctx, "emergency.show", push=False)
        if first:
            return self._go(ctx, "welcome.start", push=False)
        if command in TARGETS:
            return self._go(ctx, TARGETS[command])
        if command == "BACK":
            return self._back(ctx)
        if command == "MORE":
            return self._more(ctx)
        code = status_code(ctx.text)
        if code:
            ctx.effects.append(CaseStatusQuery(code))
            return []
        if is_urgent(ctx.text, state.lang):
            if state.flow in KEEPS_FOCUS:
                state.slots["urgent"] = True
                shown = self._enter(ctx, "emergency.numbers")
                return shown + self._receive(ctx)
            return self._go(ctx, "emergency.show")
        return self._receive(ctx)

    def _receive(self, ctx: Ctx) -> list[Reply]:
        node = self._node(ctx.state.flow, ctx.state.node)
        step = node.receive(ctx)
        if step is None:
            if ctx.text.isdigit() and isinstance(node, Menu):
                return [Reply(ctx.t(NOT_UNDERSTOOD)), *node.enter(ctx).replies]
            if ctx.text.isdigit():
                # A number where no menu is open most likely meant the main menu.
                return [Reply(ctx.t(NOT_UNDERSTOOD)), *self._go(ctx, "main.menu")]
            # Free text at any step is a question.
            return self._go(ctx, "question.answer")
        return step.replies + self._follow(ctx, step.goto)

    def _lifecycle(self, ctx: Ctx, command: str) -> list[Reply]:
        state = ctx.state
        if command == "STOP":
            state.opted_out = True
            ctx.effects.append(OptOut())
            return [Reply(ctx.t(STOPPED))]
        if command == "DELETE":
            lang = state.lang
            ctx.effects.append(Forget())
            ctx.state = replace(Conversation(), lang=None)
            ctx.tr = self.translator(lang or "en")
            reply = Reply(ctx.t(FORGOTTEN))
            return [reply]
        # START while subscribed: a fresh start that keeps language and country.
        self._reset(state, "main", "menu")
        if not state.lang:
            return self._go(ctx, "welcome.start", push=False)
        return self._go(ctx, "main.menu")

    def _more(self, ctx: Ctx) -> list[Reply]:
        pages: list[str] = ctx.state.slots.get("pages") or []
        if not pages:
            return [Reply(ctx.t(NO_MORE))]
        step = self._node(ctx.state.flow, ctx.state.node).receive(ctx)
        return step.replies + self._follow(ctx, step.goto) if step else []

    def _back(self, ctx: Ctx) -> list[Reply]:
        back = ctx.state.back
        if not back:
            return self._go(ctx, "main.menu", push=False)
        flow, node = back.pop().split(".", 1)
        return self._go(ctx, f"{flow}.{node}", push=False)

    def _go(self, ctx: Ctx, target: str, push: bool = True) -> list[Reply]:
        if push and ctx.state.flow != "welcome":
            self._push(ctx.state)
        return self._follow(ctx, target, push=False)

    def _follow(self, ctx: Ctx, goto: str | None, push: bool = True) -> list[Reply]:
        replies: list[Reply] = []
        hops = 0
        while goto is not None:
            hops += 1
            if hops > MAX_HOPS:
                raise RuntimeError(f"flow loop at {ctx.state.at} -> {goto}")
            flow, node = self._resolve(ctx.state.flow, goto)
            if push and hops == 1:
                self._push(ctx.state)
            ctx.state.flow, ctx.state.node = flow, node
            if (flow, node) == ("main", "menu"):
                # The menu is a fresh start: nothing chosen earlier should leak into a new path.
                ctx.state.slots.clear()
                ctx.state.back.clear()
            step = self._node(flow, node).enter(ctx)
            ctx.tr = self.translator(ctx.state.lang or "en")
            replies.extend(step.replies)
            goto = step.goto
        return replies

    def _enter(self, ctx: Ctx, target: str) -> list[Reply]:
        """Replies of a node's prompt without moving there (emergency numbers inside a report)."""
        flow, node = self._resolve(ctx.state.flow, target)
        return self._node(flow, node).enter(ctx).replies

    def _push(self, state: Conversation) -> None:
        here = state.at
        if here.startswith(("welcome.", "question.answer")):
            return
        if not state.back or state.back[-1] != here:
            state.back.append(here)
        del state.back[:-10]

    def _resolve(self, current: str, goto: str) -> tuple[str, str]:
        if "." in goto:
            flow, node = goto.split(".", 1)
            return flow, node
        if goto in self.flows[current].nodes:
            return current, goto
        return goto, self.flows[goto].start

    def _node(self, flow: str, node: str) -> Node:
        try:
            return self.flows[flow].nodes[node]
        except KeyError:
            # A state saved by an older release may point at a node that no longer exists.
            return self.flows["main"].nodes["menu"]

    @staticmethod
    def _awaits_reply(ctx: Ctx) -> bool:
        until = ctx.state.slots.get("open_until")
        if ctx.state.at not in AWAITS_REPLY or not isinstance(until, str):
            return False
        return ctx.inbound.at < datetime.fromisoformat(until)

    def _idle(self, ctx: Ctx) -> bool:
        seen = ctx.state.last_seen
        limit = timedelta(minutes=self.settings.idle_minutes)
        return seen is not None and ctx.inbound.at - seen > limit

    @staticmethod
    def _reset(state: Conversation, flow: str, node: str) -> None:
        state.flow, state.node = flow, node
        state.slots.clear()
        state.back.clear()


def step_of(replies: list[Reply], goto: str | None = None) -> Step:
    """A Step from replies, for flows that build them in a loop."""
    return Step(list(replies), goto)
