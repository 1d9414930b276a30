"""Browsing guidance: the topics of a stage, then a topic's text, paged with MORE over SMS.

Diagram: guidance.mmd. Spec: tests/transcripts/guidance_*.txt.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.effects import TopicShown
from bot.core.interrupts import command_in
from bot.core.messages import Choice, Reply
from bot.core.segments import count, paginate
from bot.core.text import T
from bot.flows.base import Action, Ctx, Flow, Menu, Option, Step
from bot.flows.common import MENU, hotline_line
from bot.flows.main_menu import STAGE_LABELS
from bot.matching.normalize import fold

CHOOSE = T("guidance.choose", "{stage}: choose a topic.")
MORE_HINT = T("guidance.more_hint", "Reply MORE to read on.")
MISSING = T("guidance.missing", "Sorry, this topic is not ready in your language yet.")
CALL = T("guidance.call", "Numbers that can help:")
EMERGENCY = T("trouble.option", "Emergency numbers now")
REPORT = T("trouble.option", "Tell us what happened (private report)")

MAX_TOPICS = 8  # a single-digit menu; 0 is always the main menu


def stage_prompt(ctx: Ctx) -> str:
    stage = ctx.slots.get("stage", "thinking")
    return ctx.t(CHOOSE, stage=ctx.t(STAGE_LABELS[stage]))


def stage_options(ctx: Ctx) -> Sequence[Option]:
    """The stage's topics; the in-trouble door starts with emergency numbers and a report."""
    stage = ctx.slots.get("stage", "thinking")
    options: list[Option] = []
    if stage == "in-trouble":
        options = [Option(EMERGENCY, "emergency.show"), Option(REPORT, "report.start")]
    skip = {"emergency", "report", "hotlines"} if stage == "in-trouble" else set()
    for slug in ctx.content.stage_topics(stage):
        if slug not in skip and len(options) < MAX_TOPICS:
            options.append(Option(_title(slug), "topic", {"topic": slug}))
    return options


def _title(slug: str):  # type: ignore[no-untyped-def]
    return lambda ctx: ctx.content.title(slug, ctx.lang)


def show_topic(ctx: Ctx) -> Step:
    """Sends the topic in the person's language and country, the first page if it is long."""
    slug = ctx.slots.get("topic", "")
    view = ctx.content.topic(slug, ctx.lang, ctx.state.country)
    if view is None:
        return Step([Reply(ctx.t(MISSING))], goto="main.menu")
    ctx.effects.append(TopicShown(slug, ctx.lang, bool(ctx.slots.pop("matched", False))))
    sms = ctx.inbound.caps.channel == "sms"
    body = view.sms if sms else view.long
    numbers = _numbers(ctx, view.hotline_kinds)
    if numbers:
        body = f"{body}\n{ctx.t(CALL)}\n{numbers}"
    related = [s for s in view.related if s != slug][:3]
    ctx.slots["related"] = related
    choices = (
        *(Choice(str(i), ctx.content.title(s, ctx.lang)) for i, s in enumerate(related, 1)),
        Choice("0", ctx.t(MENU)),
    )
    if not sms:
        ctx.slots["pages"] = []
        return Step([Reply(body, choices)])
    pages = paginate(body, ctx.inbound.caps.sms_budget, " " + ctx.t(MORE_HINT))
    ctx.slots["pages"] = pages[1:]
    ctx.slots["choices"] = [[c.key, c.label] for c in choices]
    return Step([_page(ctx, pages[0], last=len(pages) == 1)])


def _page(ctx: Ctx, text: str, last: bool) -> Reply:
    if not last:
        return Reply(text)
    choices = tuple(Choice(k, v) for k, v in ctx.slots.get("choices", []))
    budget = ctx.inbound.caps.sms_budget
    block = "\n".join(f"{c.key} {c.label}" for c in choices)
    if budget and count(f"{text}\n{block}").segments > budget:
        # The choices would cost one more SMS: send them on their own only when asked (MENU works).
        return Reply(text)
    return Reply(text, choices)


def _numbers(ctx: Ctx, kinds: tuple[str, ...]) -> str:
    if not ctx.state.country or not kinds:
        return ""
    lines = ctx.content.hotlines(ctx.state.country, kinds)[:2]
    return "\n".join(hotline_line(ctx, line) for line in lines)


def topic_answer(ctx: Ctx) -> Step | None:
    """MORE sends the next page; a number opens a related topic."""
    pages: list[str] = ctx.slots.get("pages") or []
    if pages and command_in(fold(ctx.text)) == "MORE":
        page = pages.pop(0)
        return Step([_page(ctx, page, last=not pages)])
    digits = ctx.text.strip()
    related: list[str] = ctx.slots.get("related") or []
    if digits.isdigit() and 1 <= int(digits) <= len(related):
        ctx.slots["topic"] = related[int(digits) - 1]
        return Step(goto="topic")
    return None


guidance = Flow(
    "guidance",
    start="stage",
    nodes={
        "stage": Menu(stage_prompt, stage_options),
        "topic": Action(show_topic, topic_answer),
    },
)
