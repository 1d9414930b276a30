"""Report a problem: short numbered steps, nothing identifying asked, any step skippable.

Diagram: report.mmd. Spec: tests/transcripts/report_*.txt.
Danger words at any step make the report urgent at once (the engine shows the numbers and
sets `urgent`, then the step goes on).
"""

from __future__ import annotations

from bot.core.effects import FileReport
from bot.core.messages import Reply
from bot.core.text import T
from bot.flows.base import Action, Ask, Ctx, Flow, Menu, Option, Step
from bot.flows.common import COUNTRIES, NO, SKIP, YES

INTRO = T(
    "report.intro",
    "This is private. We never ask your name or documents, and reporting carries no penalty. "
    "You decide what happens next. Reply SKIP to skip any question.",
)
CATEGORIES = {
    "unpaid-wages": T("report.category", "Unpaid wages or unfair dismissal"),
    "document-confiscation": T("report.category", "Passport or ID kept by someone"),
    "forced-labour": T("report.category", "Not allowed to leave, forced to work or debt"),
    "abuse-violence": T("report.category", "Violence, threats or harassment"),
    "sexual-exploitation": T("report.category", "Forced into sex work"),
    "child-labour": T("report.category", "A child is working or at risk"),
    "missing-person": T("report.category", "Someone is missing"),
    "arrest-detention": T("report.category", "Arrested or detained"),
    "other": T("report.category", "Something else"),
}
AGES = {"child": T("report.age", "Under 18"), "adult": T("report.age", "18 or older"),
        "unknown": T("report.age", "Not sure")}
COUNTS = {"1": T("report.count", "One"), "2-5": T("report.count", "2 to 5"),
          "6+": T("report.count", "More than 5"), "unknown": T("report.count", "Not sure")}


def skip(goto: str) -> Option:
    return Option(SKIP, goto)


def intro(ctx: Ctx) -> Step:
    """Says what a report is and that it is safe, then asks what happened."""
    ctx.slots.setdefault("report", {})
    return Step([Reply(ctx.t(INTRO))], goto="what")


def file(ctx: Ctx) -> Step:
    """Hands the answers to the service, which files the report and replies with its code."""
    answers = {k.removeprefix("report."): v for k, v in ctx.slots.items() if k.startswith("report.")}
    answers["urgent"] = bool(ctx.slots.get("urgent")) or answers.get("danger") is True
    answers.setdefault("country", ctx.state.country)
    answers["lang"] = ctx.lang
    answers["channel"] = ctx.inbound.caps.channel
    ctx.effects.append(FileReport(answers))
    for key in [k for k in ctx.slots if k.startswith("report.") or k == "urgent"]:
        del ctx.slots[key]
    return Step(goto="main.menu")


def _menu(prompt: T, values: dict[str, T], field: str, goto: str) -> Menu:
    options = [Option(label, goto, {f"report.{field}": key}) for key, label in values.items()]
    return Menu(prompt, [*options, skip(goto)])


report = Flow(
    "report",
    start="start",
    nodes={
        "start": Action(intro),
        "what": _menu(T("report.what", "What is happening?"), CATEGORIES, "category", "danger"),
        "danger": Menu(
            T("report.danger", "Is someone in danger right now?"),
            [Option(YES, "whom", {"report.danger": True}),
             Option(NO, "whom", {"report.danger": False}), skip("whom")],
        ),
        "whom": Menu(
            T("report.whom", "Is this about you, or someone else?"),
            [Option(T("report.whom", "Me"), "age", {"report.for_self": True}),
             Option(T("report.whom", "Someone else"), "age", {"report.for_self": False}),
             skip("age")],
        ),
        "age": _menu(T("report.age", "How old is the person (the youngest, if several)?"),
                     AGES, "age_group", "where"),
        "where": Menu(
            T("report.where", "Which country is this happening in?"),
            [*(Option(label, "province", {"report.country": code})
               for code, label in COUNTRIES.items()), skip("province")],
        ),
        "province": Ask(T("report.province", "Which province or city? (or SKIP)"),
                        save="report.province", next="count"),
        "count": _menu(T("report.count", "How many people need help?"), COUNTS, "people", "consent"),
        "consent": Menu(
            T("report.consent", "May a helping organisation write to you here? They never see "
              "your number."),
            [Option(YES, "describe", {"report.contact_ok": True}),
             Option(NO, "describe", {"report.contact_ok": False})],
        ),
        "describe": Ask(T("report.describe", "In a few words, what happened? Please do not "
                          "write names or phone numbers."), save="report.text", next="file"),
        "file": Action(file),
    },
)
