"""The flow registry is sound: every goto lands, every flow has a diagram and a transcript."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.flows import FLOWS, check
from bot.flows.diagram import mermaid

FLOWS_DIR = Path(__file__).parents[2] / "bot" / "flows"
TRANSCRIPTS = Path(__file__).parents[1] / "transcripts"


def test_every_goto_names_a_node() -> None:
    assert check(FLOWS) == []


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_every_flow_has_an_up_to_date_diagram(name: str, request: pytest.FixtureRequest) -> None:
    path = FLOWS_DIR / f"{name}.mmd"
    drawn = mermaid(FLOWS[name])
    if request.config.getoption("--update-goldens") or not path.exists():
        path.write_text(drawn, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == drawn


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_every_flow_is_specified_by_a_transcript(name: str) -> None:
    assert any(p.name.startswith(f"{name}_") for p in TRANSCRIPTS.glob("*.txt"))
