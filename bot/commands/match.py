"""`helpline match`: what the matcher answers for a text, or for every line of a JSONL file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from bot.matching.matcher import Match, Matcher


def _answer(found: Match) -> dict[str, Any]:
    return {"topic": found.topic, "score": found.score, "lang": found.lang, "urgent": found.urgent}


@click.command("match")
@click.argument("text", required=False)
@click.option(
    "--jsonl",
    "jsonl",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Match every line ({id, text}) and write one JSON line each.",
)
@click.option("--lang", default=None, help="The conversation's language, used as a hint.")
def match(text: str | None, jsonl: Path | None, lang: str | None) -> None:
    """Print the topic, score, language and urgency the matcher finds for TEXT or each line."""
    if (text is None) == (jsonl is None):
        raise click.UsageError("give either TEXT or --jsonl FILE")
    matcher = Matcher.from_content_dir()
    if text is not None:
        click.echo(json.dumps(_answer(matcher.match(text, lang)), ensure_ascii=False))
        return
    assert jsonl is not None
    with jsonl.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            item = json.loads(line)
            found = matcher.match(str(item["text"]), lang)
            click.echo(json.dumps({"id": item.get("id"), **_answer(found)}, ensure_ascii=False))
