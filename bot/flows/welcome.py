"""First contact: answer in the language the first message was written in, else ask for one.

Diagram: welcome.mmd. Spec: tests/transcripts/welcome_*.txt.
"""

from __future__ import annotations

from bot.core.messages import Reply
from bot.core.text import T
from bot.flows.base import Action, Ctx, Flow, Menu, Option, Step
from bot.flows.common import LANGUAGES
from bot.matching.detect import detect_language

GREETING = T(
    "welcome.greeting",
    "Hello. This is the migrant workers' helpline. It is free and private: we never ask your "
    "name or documents. Send HELP at any time for emergency numbers, 0 for the menu.",
)

# Written once in every script; it is shown before we know which one the person reads.
LANGUAGE_MENU = "Language? ဘာသာစကား? ភាសា? ພາສາ? ภาษา? Ngôn ngữ? 语言?"


def first_contact(ctx: Ctx) -> Step:
    """Keeps the language the first message is written in (or a deep link names) and greets."""
    lang = _deep_link_lang(ctx.inbound.payload) or detect_language(ctx.text)
    if lang is None:
        return Step(goto="language")
    ctx.state.lang = lang
    found = ctx.matcher.match(ctx.text, lang)
    if found.topic and found.score >= ctx.settings.first_contact_threshold:
        ctx.slots["pending_topic"] = found.topic
    return Step(goto="greet")


def _deep_link_lang(payload: str) -> str | None:
    """A Telegram /start payload such as "lang-my" or "poster-my-bkk" names a language."""
    for part in payload.replace("_", "-").split("-"):
        if part in LANGUAGES:
            return part
    return None


def greet(ctx: Ctx) -> Step:
    """Greets in the chosen language, then asks the country unless it is known."""
    if ctx.state.country:
        ctx.slots["country_asked"] = False
        return Step([Reply(ctx.t(GREETING))], goto="country.after")
    return Step([Reply(ctx.t(GREETING))], goto="country.ask")


welcome = Flow(
    "welcome",
    start="start",
    nodes={
        "start": Action(first_contact),
        "language": Menu(
            lambda _ctx: LANGUAGE_MENU,
            [
                Option(lambda _c, n=name: n, "greet", {"lang": code})
                for code, name in LANGUAGES.items()
            ],
        ),
        "greet": Action(greet),
    },
)
