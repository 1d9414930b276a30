"""`helpline match` prints what the matcher answers, for one text or a whole JSONL file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bot.commands.match import match


def test_one_text_gives_one_json_object() -> None:
    result = CliRunner().invoke(match, ["ช่วยด้วย"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert set(answer) == {"topic", "score", "lang", "urgent"}
    assert answer["lang"] == "th" and answer["urgent"] is True


def test_jsonl_gives_one_line_per_input_in_order(tmp_path: Path) -> None:
    questions = tmp_path / "questions.jsonl"
    lines = [{"id": "a", "text": "ok"}, {"id": "b", "text": "ကယ်ပါ"}]
    questions.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(match, ["--jsonl", str(questions)])
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.output.splitlines()]
    assert [a["id"] for a in answers] == ["a", "b"]
    assert set(answers[0]) == {"id", "topic", "score", "lang", "urgent"}
    assert answers[1]["urgent"] is True and answers[1]["lang"] == "my"


def test_output_is_not_ascii_escaped(tmp_path: Path) -> None:
    questions = tmp_path / "questions.jsonl"
    questions.write_text(json.dumps({"id": "คำถาม-1", "text": "ok"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(match, ["--jsonl", str(questions)])
    assert result.exit_code == 0
    assert '"id": "คำถาม-1"' in result.output


def test_text_or_file_is_required() -> None:
    assert CliRunner().invoke(match, []).exit_code != 0
