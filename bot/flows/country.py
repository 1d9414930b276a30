"""Where the person is now, so hotlines and guidance fit that country; asked once, changeable.

Diagram: country.mmd. Spec: tests/transcripts/*.txt.
"""

from __future__ import annotations

from bot.core.messages import Reply
from bot.core.text import T
from bot.flows.base import Action, Ctx, Flow, Menu, Step
from bot.flows.common import COUNTRIES, country_options

ASK = T(
    "country.ask", "Which country are you in now? We use it to give you the right phone numbers."
)
SAVED = T("country.saved", "Saved: {country}. Send COUNTRY to change it.")


def after(ctx: Ctx) -> Step:
    """Confirms the country, then answers the question that was waiting, or shows the menu."""
    replies = []
    if ctx.state.country in COUNTRIES and ctx.slots.pop("country_asked", True):
        replies.append(Reply(ctx.t(SAVED, country=ctx.t(COUNTRIES[ctx.state.country]))))
    pending = ctx.slots.pop("pending_topic", None)
    if pending in ("hotlines", "emergency"):
        return Step(replies, goto=f"{pending}.show")
    if pending:
        ctx.slots["topic"] = pending
        ctx.slots["matched"] = True
        return Step(replies, goto="guidance.topic")
    return Step(replies, goto="main.menu")


country = Flow(
    "country",
    start="ask",
    nodes={
        "ask": Menu(ASK, country_options("after")),
        "after": Action(after),
    },
)
