"""Report a problem: short numbered steps, nothing identifying asked, any step skippable.

Diagram: report.mmd. Spec: tests/transcripts/report_*.txt.

Rules:
- Never asks for a name or a document; says that reporting carries no penalty and that the person
  decides. "I only want information" leads to guidance, never to a report.
- Danger words at any step make the report urgent at once (the engine shows the numbers and sets
  `urgent`, then the step goes on). SKIP, or the Skip option, moves on at every step.
- Free text is redacted as it is kept (and again by the service), so the stored state never holds
  a phone or ID number; the description is the last step and is filed in the same turn.
- Contact by a partner is asked for explicitly and defaults to no.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.effects import FileReport
from bot.core.interrupts import command_in
from bot.core.messages import Reply
from bot.core.text import T
from bot.flows.base import Action, Ask, Ctx, Flow, Menu, Option, Step
from bot.flows.common import COUNTRIES, NO, SKIP, YES
from bot.flows.relay import NODES as AFTER_FILING
from bot.matching.normalize import fold
from bot.privacy.redact import redact

INTRO = T(
    "report.intro",
    "This is private. We never ask your name or documents, and reporting carries no penalty. "
    "You decide what happens next. Reply SKIP to skip any question.",
)
NUMBER_PLEASE = T("report.number_please", "Thank you, noted. Please reply with a number, or SKIP.")
TEXT_ONLY = T(
    "report.text_only", "Please write in words: we cannot pass on voice notes or photos."
)

# Keys are stable: routing rules and the dashboard use them. Each leads to a guidance topic.
CATEGORIES: dict[str, T] = {
    "unpaid-wages": T("report.category", "Not paid, or pay cut"),
    "dismissal": T("report.category", "Fired unfairly or overworked"),
    "document-confiscation": T("report.category", "Passport or ID taken"),
    "forced-labour": T("report.category", "Forced to work, cannot leave"),
    "abuse-violence": T("report.category", "Violence or threats"),
    "sexual-exploitation": T("report.category", "Forced sex work"),
    "child-labour": T("report.category", "A child at risk"),
    "missing-person": T("report.category", "Someone missing"),
    "arrest-detention": T("report.category", "Arrested or detained"),
    "other": T("report.category", "Something else"),
}
# Labour complaints are reports too; routing sends them to union and legal-aid partners.
LABOUR_CATEGORIES = frozenset({"unpaid-wages", "dismissal"})
INFO_TOPIC = {"dismissal": "working-hours", "other": None}
AGES = {
    "child": T("report.age", "Under 18"),
    "adult": T("report.age", "18 or older"),
    "unknown": T("report.age", "Not sure"),
}
COUNTS = {
    "1": T("report.count", "One"),
    "2-5": T("report.count", "2 to 5"),
    "6+": T("report.count", "More than 5"),
    "unknown": T("report.count", "Not sure"),
}
PASS_ON = T("report.purpose", "Pass it privately to an organisation that helps")
INFO_ONLY = T("report.purpose", "I only want information")


@dataclass
class Choose(Menu):
    """A report step: numbered options, SKIP moves on, other words are kept as notes."""

    skip_to: str = ""

    def receive(self, ctx: Ctx) -> Step | None:
        if command_in(fold(ctx.text)) == "SKIP":
            return Step(goto=self.skip_to)
        if not ctx.text:
            return Step([Reply(ctx.t(TEXT_ONLY)), *self.enter(ctx).replies])
        step = super().receive(ctx)
        if step is not None or ctx.text.isdigit():
            return step
        # Words instead of a number are part of the story: keep them (redacted) and ask again.
        notes = ctx.slots.get("report.notes", "")
        ctx.slots["report.notes"] = f"{notes} {redact(ctx.text)}".strip()[-1000:]
        return Step([Reply(ctx.t(NUMBER_PLEASE)), *self.enter(ctx).replies])


@dataclass
class Write(Ask):
    """Asks for free text and keeps it redacted under `save`; SKIP moves on with nothing kept."""

    def receive(self, ctx: Ctx) -> Step | None:
        if not ctx.text:
            return Step([Reply(ctx.t(TEXT_ONLY))])
        if command_in(fold(ctx.text)) != "SKIP":
            ctx.slots[self.save] = redact(ctx.text)[:2000]
        return Step(goto=self.next)


def step(prompt: T, options: Sequence[Option], goto: str, numbered_skip: bool = True) -> Choose:
    skip = [Option(SKIP, goto)] if numbered_skip else []
    return Choose(prompt, [*options, *skip], skip_to=goto)


def pick(prompt: T, values: dict[str, T], field: str, goto: str, **kw: bool) -> Choose:
    options = [Option(label, goto, {f"report.{field}": key}) for key, label in values.items()]
    return step(prompt, options, goto, **kw)


def intro(ctx: Ctx) -> Step:
    """Says what a report is and that it is safe, then asks what is happening."""
    for key in [k for k in ctx.slots if k.startswith("report.")]:
        del ctx.slots[key]
    return Step([Reply(ctx.t(INTRO))], goto="what")


def info(ctx: Ctx) -> Step:
    """Guidance on the chosen problem instead of a report: nothing is filed."""
    category = ctx.slots.get("report.category")
    topic = INFO_TOPIC.get(category, category) if category else None
    for key in [k for k in ctx.slots if k.startswith("report.") or k == "urgent"]:
        del ctx.slots[key]
    if not topic:
        return Step(goto="question.ask")
    ctx.slots["topic"] = topic
    return Step(goto="guidance.topic")


def file(ctx: Ctx) -> Step:
    """Hands the answers to the service, which files the report and replies with its code."""
    answers = {k[7:]: v for k, v in ctx.slots.items() if k.startswith("report.")}
    answers["urgent"] = bool(ctx.slots.get("urgent")) or answers.get("danger") is True
    answers.setdefault("country", ctx.state.country)
    answers.setdefault("contact_ok", False)
    answers["lang"] = ctx.lang
    answers["channel"] = ctx.inbound.caps.channel
    ctx.effects.append(FileReport(answers))
    for key in [k for k in ctx.slots if k.startswith("report.") or k == "urgent"]:
        del ctx.slots[key]
    return Step(goto="main.menu")


report = Flow(
    "report",
    start="start",
    nodes={
        "start": Action(intro),
        # Ten choices cost SMS in every script: no numbered Skip here (the word SKIP works).
        "what": pick(
            T("report.what", "What is happening?"),
            CATEGORIES,
            "category",
            "purpose",
            numbered_skip=False,
        ),
        "purpose": Choose(
            T("report.purpose", "What would you like? You decide."),
            [Option(PASS_ON, "danger"), Option(INFO_ONLY, "info")],
            skip_to="danger",
        ),
        "info": Action(info),
        "danger": step(
            T("report.danger", "Is someone in danger right now?"),
            [
                Option(YES, "whom", {"report.danger": True}),
                Option(NO, "whom", {"report.danger": False}),
            ],
            "whom",
        ),
        "whom": step(
            T(
                "report.whom",
                "Is this about you, or someone else (family, a neighbour, a student)?",
            ),
            [
                Option(T("report.whom", "Me"), "where", {"report.for_self": True}),
                Option(T("report.whom", "Someone else"), "where", {"report.for_self": False}),
            ],
            "where",
        ),
        "where": step(
            T("report.where", "Which country is this happening in?"),
            [
                Option(label, "province", {"report.country": code})
                for code, label in COUNTRIES.items()
            ],
            "province",
        ),
        "province": Write(
            T("report.province", "Which province or city? (or SKIP)"),
            save="report.province",
            next="count",
        ),
        "count": pick(T("report.count", "How many people need help?"), COUNTS, "people", "age"),
        "age": pick(
            T("report.age", "How old is the person (the youngest, if several)?"),
            AGES,
            "age_group",
            "consent",
        ),
        "consent": step(
            T(
                "report.consent",
                "May an organisation that helps write to you in "
                "this chat? They never see your number or name. If you say no, nobody "
                "will contact you.",
            ),
            [
                Option(YES, "describe", {"report.contact_ok": True}),
                Option(NO, "describe", {"report.contact_ok": False}),
            ],
            "describe",
        ),
        "describe": Write(
            T(
                "report.describe",
                "In a few words, what happened? Please do not write names or phone numbers.",
            ),
            save="report.text",
            next="file",
        ),
        "file": Action(file),
        **AFTER_FILING,
    },
)
