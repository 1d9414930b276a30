"""A question in the person's own words, matched to a guidance topic; unsure matches are offered.

Diagram: question.mmd. Spec: tests/transcripts/question_*.txt.
"""

from __future__ import annotations

from bot.core.effects import Unanswered
from bot.core.messages import Reply
from bot.core.text import T
from bot.flows.base import Action, Ask, Ctx, Flow, Menu, Option, Step
from bot.flows.common import MENU

ASK = T("question.ask", "Type your question in a few words, in your language.")
NOT_UNDERSTOOD = T(
    "question.not_understood",
    "Sorry, I did not understand. Try other words, or choose from the menu.",
)
DID_YOU_MEAN = T("question.did_you_mean", "Did you mean:")


def answer(ctx: Ctx) -> Step:
    """Shows the matching topic, offers close ones when unsure, or says it did not understand."""
    if not ctx.state.lang:
        return Step(goto="welcome.start")
    found = ctx.matcher.match(ctx.text, ctx.lang)
    if found.topic and found.score >= ctx.settings.match_threshold:
        if found.topic == "hotlines":
            return Step(goto="hotlines.show")
        if found.topic == "report":
            return Step(goto="report.start")
        if found.topic == "emergency":
            return Step(goto="emergency.show")
        ctx.slots["topic"] = found.topic
        ctx.slots["matched"] = True
        return Step(goto="guidance.topic")
    close = [s for s, score in found.alternatives if score >= ctx.settings.suggest_threshold]
    ctx.effects.append(Unanswered(ctx.text, ctx.lang))
    if close:
        ctx.slots["suggested"] = close[:3]
        return Step(goto="question.suggest")
    return Step([Reply(ctx.t(NOT_UNDERSTOOD))], goto="main.menu")


def suggestions(ctx: Ctx) -> list[Option]:
    options = [
        Option(lambda c, s=slug: c.content.title(s, c.lang), "guidance.topic", {"topic": slug})
        for slug in ctx.slots.get("suggested", [])
    ]
    return [*options, Option(MENU, "main.menu")]


question = Flow(
    "question",
    start="ask",
    nodes={
        "ask": Ask(ASK, save="question", next="answer"),
        "answer": Action(answer),
        "suggest": Menu(DID_YOU_MEAN, suggestions),
    },
)
