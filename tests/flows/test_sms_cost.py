"""What the common replies cost over SMS: at most the configured budget of segments each.

A migrant pays for every SMS part. Burmese, Khmer, Lao, Thai, Chinese and Vietnamese are sent as
UCS-2 (67 UTF-16 units a part once a message is split), so a prompt or a menu label that reads
fine on Telegram can cost an extra SMS. These tests render, with the shipped content and the real
catalogs, every reply a person commonly meets at the menus and prompts and count its parts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.content.store import FileContentStore
from bot.core.engine import WELCOME_BACK, Engine, EngineSettings
from bot.core.messages import SMS, Inbound, Reply
from bot.core.segments import count
from bot.core.shape import render_sms, shape_for_channel
from bot.core.state import Conversation
from bot.core.text import T
from bot.flows import FLOWS
from bot.flows.base import Ctx
from bot.flows.report import NUMBER_PLEASE
from bot.flows.report import TEXT_ONLY as REPORT_TEXT_ONLY
from bot.i18n import LANGS, translator
from bot.matching.matcher import Matcher
from bot.reports import texts as case_texts

BUDGET = SMS.sms_budget  # 3 segments: 201 UTF-16 units in Burmese, Khmer, Lao, Thai...
MENU_BUDGET = 3  # the main menu and the stage menus: the most read replies of all
AT = datetime(2026, 2, 1, 7, 0, tzinfo=UTC)
CASE_CODE = "R-7K3Q"
STAGES = ("thinking", "on-the-way", "at-work", "in-trouble", "back-home")
REPORT_STEPS = (
    "start", "what", "purpose", "danger", "whom", "where", "province", "count", "age",
    "consent", "describe", "relay", "followup", "need_help",
)  # fmt: skip

CONTENT = FileContentStore()
MATCHER = Matcher.from_keywords(CONTENT.keywords())
ENGINE = Engine(FLOWS, CONTENT, MATCHER, translator, EngineSettings(idle_minutes=30))


def ctx_for(lang: str, country: str | None = "TH", **slots: object) -> Ctx:
    state = Conversation(lang=lang, country=country, slots=dict(slots))
    return Ctx(
        state=state,
        inbound=Inbound("", AT, SMS),
        text="",
        content=CONTENT,
        matcher=MATCHER,
        settings=ENGINE.settings,
        tr=translator(lang),
    )


def shaped(replies: list[Reply], lang: str) -> list[Reply]:
    return shape_for_channel(replies, SMS, lang, ENGINE.settings.vi_plain_sms)


def enter(
    target: str, country: str | None = "TH", **slots: object
) -> Callable[[str], list[Reply]]:
    """The replies a node sends as a person arrives at it (the node it goes on to is not run)."""

    def replies(lang: str) -> list[Reply]:
        flow, node = target.split(".", 1)
        return shaped(FLOWS[flow].nodes[node].enter(ctx_for(lang, country, **slots)).replies, lang)

    return replies


def said(
    text: str, at: str = "main.menu", country: str | None = "TH", opted_out: bool = False
) -> Callable[[str], list[Reply]]:
    """The replies to a message sent while standing at `at`, through the whole engine."""

    def replies(lang: str) -> list[Reply]:
        flow, node = at.split(".", 1)
        state = Conversation(
            flow=flow, node=node, lang=lang, country=country, last_seen=AT, opted_out=opted_out
        )
        return ENGINE.handle(state, Inbound(text, AT, SMS)).replies

    return replies


def prompt(message: T, **values: object) -> Callable[[str], list[Reply]]:
    """One prompt on its own, as the service sends it."""
    return lambda lang: shaped([Reply(message.render(translator(lang), **values))], lang)


def filed(contact: bool, urgent: bool) -> Callable[[str], list[Reply]]:
    """The receipt of a filed report, composed as bot/reports/handlers.py does."""

    def replies(lang: str) -> list[Reply]:
        tr = translator(lang)
        parts = [case_texts.FILED.render(tr, code=CASE_CODE)]
        parts.append(
            (case_texts.NEXT_CONTACT if contact else case_texts.NEXT_NO_CONTACT).render(tr)
        )
        if urgent:
            parts.append(case_texts.NEXT_URGENT.render(tr))
        return shaped([Reply(" ".join(parts))], lang)

    return replies


def suggestions(lang: str) -> list[Reply]:
    """The "did you mean" menu with the language's three longest topic titles: the worst case."""
    longest = sorted(CONTENT.slugs(), key=lambda s: -count(CONTENT.title(s, lang)).units)[:3]
    return enter("question.suggest", suggested=longest)(lang)


MENUS: dict[str, Callable[[str], list[Reply]]] = {
    "main.menu": enter("main.menu"),
    **{f"guidance.stage[{stage}]": enter("guidance.stage", stage=stage) for stage in STAGES},
}

COMMON: dict[str, Callable[[str], list[Reply]]] = {
    "welcome.greet": enter("welcome.greet", country=None),
    "welcome.language": enter("welcome.language", country=None),
    "country.ask": enter("country.ask", country=None),
    **{f"country.after[{c}]": enter("country.after", country=c) for c in ("TH", "MY", "CN")},
    "emergency.show[TH]": enter("emergency.show", country="TH"),
    "emergency.show[MY]": enter("emergency.show", country="MY"),
    "emergency.show[no country]": enter("emergency.show", country=None),
    "emergency.offer[TH]": enter("emergency.offer", country="TH"),
    "emergency.offer[no country]": enter("emergency.offer", country=None),
    "hotlines.show[TH]": enter("hotlines.show", country="TH"),
    "hotlines.show[MY]": enter("hotlines.show", country="MY"),
    **{f"report.{node}": enter(f"report.{node}") for node in REPORT_STEPS},
    "report.number_please": prompt(NUMBER_PLEASE),
    "report.text_only": prompt(REPORT_TEXT_ONLY),
    "report.filed[contact]": filed(contact=True, urgent=False),
    "report.filed[no contact, urgent]": filed(contact=False, urgent=True),
    "question.ask": enter("question.ask"),
    "question.not_understood": said("qwerty zxcvb plomk"),
    "question.suggest": suggestions,
    "menu.not_understood": said("9"),
    "more.none": said("MORE"),
    "idle.welcome_back": prompt(WELCOME_BACK),
    "STOP": said("STOP"),
    "START": said("START", opted_out=True),
    "DELETE": said("DELETE"),
}

CASES = [(lang, node) for lang in LANGS for node in COMMON]


def cost(reply: Reply) -> int:
    return count(render_sms(reply)).segments


def over(replies: list[Reply], budget: int) -> list[str]:
    return [
        f"{cost(r)} SMS ({count(render_sms(r)).units} units):\n{render_sms(r)}"
        for r in replies
        if cost(r) > budget
    ]


@pytest.mark.parametrize(("lang", "node"), CASES, ids=[f"{lang}-{node}" for lang, node in CASES])
def test_every_common_reply_fits_the_sms_budget(lang: str, node: str) -> None:
    replies = COMMON[node](lang)
    assert replies, f"{node} sent nothing in {lang}"
    assert not over(replies, BUDGET), "\n\n".join(over(replies, BUDGET))


MENU_CASES = [(lang, node) for lang in LANGS for node in MENUS]


@pytest.mark.parametrize(
    ("lang", "node"), MENU_CASES, ids=[f"{lang}-{node}" for lang, node in MENU_CASES]
)
def test_the_menus_fit_their_budget(lang: str, node: str) -> None:
    replies = MENUS[node](lang)
    assert len(replies) == 1 and replies[0].choices
    assert not over(replies, MENU_BUDGET), "\n\n".join(over(replies, MENU_BUDGET))


@pytest.mark.parametrize("node", ["main.menu", "guidance.stage[in-trouble]", "report.what"])
def test_the_measured_replies_are_in_the_persons_language(node: str) -> None:
    # A missing translation falls back to English and would hide what the reply really costs.
    replies = {**MENUS, **COMMON}[node]
    (english,) = replies("en")
    for lang in LANGS:
        if lang != "en":
            (reply,) = replies(lang)
            assert reply.text != english.text, lang
            for mine, theirs in zip(reply.choices, english.choices, strict=True):
                assert mine.label != theirs.label, (lang, mine.label)
