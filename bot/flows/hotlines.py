"""Verified phone numbers for the country the person is in now, with what each one is for.

Diagram: hotlines.mmd. Spec: tests/transcripts/hotlines_*.txt.
"""

from __future__ import annotations

from bot.core.effects import TopicShown
from bot.core.messages import Choice, Reply
from bot.core.text import T
from bot.flows.base import Action, Ctx, Flow, Step
from bot.flows.common import COUNTRIES, MENU, hotline_line

HEADER = T("hotlines.header", "Phone numbers in {country}. Calling for help carries no penalty.")
NONE = T("hotlines.none", "We have no checked numbers for {country} yet.")
KINDS = ("emergency", "anti-trafficking", "labour", "women", "child", "ngo", "embassy")
PER_KIND = 2


def show(ctx: Ctx) -> Step:
    """Lists the numbers, a few per kind, the ones in the person's language first."""
    country = ctx.state.country
    if not country:
        ctx.slots["pending_topic"] = "hotlines"
        return Step(goto="country.ask")
    name = ctx.t(COUNTRIES[country])
    ctx.effects.append(TopicShown("hotlines", ctx.lang))
    lines = []
    for kind in KINDS:
        found = [h for h in ctx.content.hotlines(country, (kind,)) if h.kind == kind]
        found.sort(key=lambda h: ctx.lang not in h.languages)
        lines.extend(hotline_line(ctx, h) for h in found[:PER_KIND])
    if not lines:
        return Step([Reply(ctx.t(NONE, country=name), (Choice("0", ctx.t(MENU)),))])
    text = ctx.t(HEADER, country=name) + "\n" + "\n".join(lines)
    return Step([Reply(text, (Choice("0", ctx.t(MENU)),))])


hotlines = Flow("hotlines", start="show", nodes={"show": Action(show)})
