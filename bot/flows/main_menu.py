"""The main menu: five doors by where the person is on the road, plus a question and the numbers.

Diagram: main.mmd. Spec: tests/transcripts/*.txt.
"""

from __future__ import annotations

from bot.core.text import T
from bot.flows.base import Flow, Menu, Option

PROMPT = T("main.prompt", "Menu. Where are you now? Reply with a number.")

STAGE_LABELS = {
    "thinking": T("stage", "Thinking of going abroad"),
    "on-the-way": T("stage", "On the way"),
    "at-work": T("stage", "At work"),
    "in-trouble": T("stage", "In trouble now: help and report"),
    "back-home": T("stage", "Back home"),
}

main = Flow(
    "main",
    start="menu",
    nodes={
        "menu": Menu(
            PROMPT,
            [
                Option(STAGE_LABELS["thinking"], "guidance.stage", {"stage": "thinking"}),
                Option(STAGE_LABELS["on-the-way"], "guidance.stage", {"stage": "on-the-way"}),
                Option(STAGE_LABELS["at-work"], "guidance.stage", {"stage": "at-work"}),
                Option(STAGE_LABELS["in-trouble"], "guidance.stage", {"stage": "in-trouble"}),
                Option(STAGE_LABELS["back-home"], "guidance.stage", {"stage": "back-home"}),
                Option(T("main.option", "Ask a question"), "question.ask"),
                Option(T("main.option", "Phone numbers for help"), "hotlines.show"),
                Option(T("main.option", "Is this recruiter licensed?"), "agency.ask"),
            ],
        ),
    },
)
