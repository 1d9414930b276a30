"""Verified phone numbers for the country the person is in now, with what each one is for.

Diagram: hotlines.mmd. Spec: tests/transcripts/hotlines_*.txt.
"""

from __future__ import annotations

from bot.core.content import Hotline
from bot.core.effects import TopicShown
from bot.core.messages import Choice, Reply
from bot.core.text import T
from bot.flows.base import Action, Ctx, Flow, Step
from bot.flows.common import COUNTRIES, MENU, hotline_line

HEADER = T("hotlines.header", "Phone numbers in {country}. Calling for help carries no penalty.")
NONE = T("hotlines.none", "We have no checked numbers for {country} yet.")
KINDS = ("emergency", "anti-trafficking", "labour", "women", "child", "ngo", "embassy")
# Over SMS every line costs money: one number a kind; Telegram shows two.
PER_KIND = {"sms": 1, "telegram": 2}
# Kinds only worth showing in the person's own language (a Cambodian embassy is no help to a Lao).
OWN_LANGUAGE_ONLY = ("embassy",)


def show(ctx: Ctx) -> Step:
    """Lists the numbers, a few per kind, the ones in the person's language first."""
    country = ctx.state.country
    if not country:
        ctx.slots["pending_topic"] = "hotlines"
        return Step(goto="country.ask")
    name = ctx.t(COUNTRIES[country])
    ctx.effects.append(TopicShown("hotlines", ctx.lang))
    lines = [hotline_line(ctx, h) for h in chosen(ctx, country)]
    menu = (Choice("0", ctx.t(MENU)),)
    if not lines:
        return Step([Reply(ctx.t(NONE, country=name), menu)])
    text = ctx.t(HEADER, country=name) + "\n" + "\n".join(lines)
    return Step([Reply(text, menu)])


def chosen(ctx: Ctx, country: str) -> list[Hotline]:
    """The numbers to show: per kind, those in the person's language first, few over SMS."""
    per_kind = PER_KIND.get(ctx.inbound.caps.channel, 1)
    picked: list[Hotline] = []
    for kind in KINDS:
        found = [h for h in ctx.content.hotlines(country, (kind,)) if h.kind == kind]
        if kind in OWN_LANGUAGE_ONLY:
            found = [h for h in found if ctx.lang in h.languages]
        found.sort(key=lambda h: ctx.lang not in h.languages)
        picked.extend(found[:per_kind])
    return picked


hotlines = Flow("hotlines", start="show", nodes={"show": Action(show)})
