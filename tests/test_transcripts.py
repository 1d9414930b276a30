"""Every golden conversation, through the engine and through `helpline chat`."""

from __future__ import annotations

import re
import zlib

import pytest
from flask import Flask
from flask.cli import ScriptInfo

from bot.cli import cli
from bot.content.store import FileContentStore
from bot.core.engine import Engine
from bot.flows import FLOWS
from bot.i18n import translator
from bot.matching.matcher import Matcher
from tests.transcript import TRANSCRIPTS, parse, run

FILES = sorted(TRANSCRIPTS.glob("*.txt"))
COST = re.compile(r"^  \((GSM-7|UCS-2), \d+ SMS\)$")


@pytest.fixture(scope="module")
def engine() -> Engine:
    content = FileContentStore()
    return Engine(FLOWS, content, Matcher.from_keywords(content.keywords()), translator)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_engine_follows_transcript(engine: Engine, path, request) -> None:  # type: ignore[no-untyped-def]
    script = parse(path)
    actual = run(engine, script)
    if request.config.getoption("--update-goldens"):
        script.write(actual)
        return
    for turn, got in zip(script.turns, actual, strict=True):
        assert got == turn.expected, f"after '> {turn.said}' in {path.name}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_chat_follows_transcript(app: Flask, path) -> None:  # type: ignore[no-untyped-def]
    script = parse(path)
    if script.channel != "sms":
        pytest.skip("the console renders Telegram buttons differently from the transcript")
    said = "\n".join(t.said for t in script.turns) + "\n"
    result = app.test_cli_runner().invoke(
        cli,
        args=["chat", "--from", f"+6681{zlib.crc32(path.name.encode()) % 10**7:07d}"],
        input=said,
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 0, result.output
    blocks = result.output.split("---\n")[: len(script.turns)]
    for turn, block in zip(script.turns, blocks, strict=True):
        got = "\n\n".join(_replies(block.rstrip("\n").split("\n")))
        assert got == turn.expected, f"after '> {turn.said}' in {path.name}"


def _replies(lines: list[str]) -> list[str]:
    """The console prints each SMS followed by its cost line: the cost lines delimit replies."""
    replies, current = [], []
    for line in lines:
        if COST.match(line):
            replies.append("\n".join(current))
            current = []
        elif line or current:
            current.append(line)
    return replies
