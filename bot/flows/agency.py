"""Is this recruiter licensed? A name is checked against the editors' list for the job's country.

Diagram: agency.mmd. Spec: tests/transcripts/agency_*.txt.
"""

from __future__ import annotations

from bot.core.messages import Choice, Reply
from bot.core.text import T
from bot.flows.base import Action, Ask, Ctx, Flow, Menu, Option, Step
from bot.flows.common import COUNTRIES, MENU

WHERE = T("agency.where", "Which country is the job in?")
ASK = T("agency.ask", "Type the name of the recruitment agency.")
FOUND = T(
    "agency.found",
    "On the licensed list of {country} (checked {checked}): {names}. Check the name is exactly "
    "the same and ask to see the licence.",
)
NOT_FOUND = T(
    "agency.not_found",
    '"{name}" is not on the licensed list of {country} (checked {checked}). Before you pay or '
    "sign: ask for the licence number, never hand over your passport, keep a copy of the "
    "contract.",
)
NO_LIST = T(
    "agency.no_list",
    "We do not keep a checked list for {country} yet. Ask the agency for its licence number and "
    "check it with the labour office before you pay anything.",
)
DESTINATIONS = ("TH", "MY")


def start(ctx: Ctx) -> Step:
    """Uses the current country when it is a destination, else asks which one."""
    if ctx.state.country in DESTINATIONS:
        ctx.slots["job_country"] = ctx.state.country
        return Step(goto="name")
    return Step(goto="where")


def check(ctx: Ctx) -> Step:
    """Answers with the closest licensed names, or says plainly the name is not on the list."""
    country = ctx.slots.get("job_country", "TH")
    name = ctx.slots.get("agency", "")
    answer = ctx.content.check_agency(country, name)
    place = ctx.t(COUNTRIES[country])
    menu = (Choice("0", ctx.t(MENU)),)
    if answer.checked_on is None:
        return Step([Reply(ctx.t(NO_LIST, country=place), menu)])
    if answer.matches:
        names = "; ".join(f"{m.name} ({m.licence})" for m in answer.matches[:3])
        text = ctx.t(FOUND, country=place, checked=answer.checked_on, names=names)
    else:
        text = ctx.t(NOT_FOUND, name=name[:40], country=place, checked=answer.checked_on)
    return Step([Reply(text, menu)])


agency = Flow(
    "agency",
    start="ask",
    nodes={
        "ask": Action(start),
        "where": Menu(
            WHERE, [Option(COUNTRIES[c], "name", {"job_country": c}) for c in DESTINATIONS]
        ),
        "name": Ask(ASK, save="agency", next="check"),
        "check": Action(check),
    },
)
