"""In danger now: emergency numbers for the person's country at once, then an offer to report.

Diagram: emergency.mmd. Spec: tests/transcripts/emergency_*.txt.
"""

from __future__ import annotations

from bot.core.content import Hotline
from bot.core.effects import EmergencyShown
from bot.core.messages import Reply
from bot.core.text import T
from bot.flows.base import Action, Ctx, Flow, Menu, Option, Step
from bot.flows.common import COUNTRIES, MENU, hotline_line

NUMBERS = T(
    "emergency.numbers",
    "If you are in danger now, call: {numbers}. Asking for help carries no penalty.",
)
UNCHECKED = T(
    "emergency.unchecked",
    "We have no checked emergency number for {country} yet. If you can, ask someone you trust "
    "nearby to call for help. Asking for help carries no penalty.",
)
NUMBERS_IN = T("emergency.numbers_in", "{country}: {numbers}")
OFFER = T(
    "emergency.offer", "We can also pass your message, privately, to an organisation that helps."
)
REPORT = T("emergency.option", "Tell us what happened (private report)")
MORE_NUMBERS = T("emergency.option", "More phone numbers")
SET_COUNTRY = T("emergency.option", "Choose your country")

# Where most people writing to us work when they have not said yet.
LIKELY_COUNTRIES = ("TH", "MY")


def numbers_for(ctx: Ctx, country: str) -> list[Hotline]:
    """Two emergency lines, two trafficking lines, and one that speaks the person's language."""
    emergency = ctx.content.hotlines(country, ("emergency",))[:2]
    trafficking = [
        h for h in ctx.content.hotlines(country, ("anti-trafficking",)) if h not in emergency
    ][:2]
    chosen = emergency + trafficking
    helping = ctx.content.hotlines(country, ("anti-trafficking", "ngo", "women", "child"))
    own = [h for h in helping if ctx.lang in h.languages]
    chosen += [h for h in own if h not in chosen][:1]
    return chosen


def numbers(ctx: Ctx) -> Step:
    """Only the numbers, for use inside another flow (a report keeps going after them)."""
    ctx.effects.append(EmergencyShown(ctx.lang))
    country = ctx.state.country
    if country:
        lines = numbers_for(ctx, country)
        if not lines:
            return Step([Reply(ctx.t(UNCHECKED, country=ctx.t(COUNTRIES[country])))])
        found = ", ".join(hotline_line(ctx, h) for h in lines)
        return Step([Reply(ctx.t(NUMBERS, numbers=found))])
    parts = [
        ctx.t(
            NUMBERS_IN,
            country=ctx.t(COUNTRIES[c]),
            numbers=", ".join(hotline_line(ctx, h) for h in numbers_for(ctx, c)[:3]),
        )
        for c in LIKELY_COUNTRIES
    ]
    return Step([Reply(ctx.t(NUMBERS, numbers="; ".join(parts)))])


def show(ctx: Ctx) -> Step:
    """Numbers first, then what we can do next."""
    step = numbers(ctx)
    step.goto = "offer"
    return step


def offer_options(ctx: Ctx) -> list[Option]:
    options = [Option(REPORT, "report.start", {"urgent": True})]
    if ctx.state.country:
        options.append(Option(MORE_NUMBERS, "hotlines.show"))
    else:
        options.append(Option(SET_COUNTRY, "country.ask", {"pending_topic": "emergency"}))
    return [*options, Option(MENU, "main.menu")]


emergency = Flow(
    "emergency",
    start="show",
    nodes={
        "show": Action(show),
        "numbers": Action(numbers),
        "offer": Menu(OFFER, offer_options),
    },
)
