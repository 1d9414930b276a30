"""The registry of flows; importing it checks that every goto in every table names a real node."""

from __future__ import annotations

from bot.flows.agency import agency
from bot.flows.base import Flow
from bot.flows.country import country
from bot.flows.emergency import emergency
from bot.flows.guidance import guidance
from bot.flows.hotlines import hotlines
from bot.flows.main_menu import main
from bot.flows.question import question
from bot.flows.report import report
from bot.flows.welcome import welcome

FLOWS: dict[str, Flow] = {
    f.name: f
    for f in (welcome, country, main, guidance, question, hotlines, emergency, agency, report)
}


def check(flows: dict[str, Flow]) -> list[str]:
    """Every goto that names no node: an empty list means the tables are sound."""
    broken = []
    for flow in flows.values():
        if flow.start not in flow.nodes:
            broken.append(f"{flow.name}: start {flow.start}")
        for target in flow.targets():
            name, _, node = target.partition(".")
            if node:
                ok = name in flows and node in flows[name].nodes
            else:
                ok = target in flow.nodes or target in flows
            if not ok:
                broken.append(f"{flow.name} -> {target}")
    return broken


_broken = check(FLOWS)
if _broken:
    raise RuntimeError(f"flow tables point nowhere: {_broken}")
