"""`helpline content ...`: check fails only on errors; export, import and po use the database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from flask import Flask

from bot.commands.content import content
from bot.content.docs import load_docs, write_docs
from bot.storage.content_db import load_docs_from_db, sync_from_files
from bot.storage.db import new_session

from .conftest import sample_docs


def test_check_passes_with_warnings_only(content_root: Path) -> None:
    result = CliRunner().invoke(
        content, ["check", "--root", str(content_root), "--today", "2026-12-01"]
    )
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output
    assert "agencies/MY.yaml\n  warning no agencies listed" in result.output


def test_check_fails_on_errors_grouped_by_file(content_root: Path) -> None:
    docs = sample_docs()
    docs.topics["report"]["text"]["en"]["sms"] = "Call 1234 now."
    write_docs(docs, content_root)
    args = ["check", "--root", str(content_root), "--today", "2026-12-01", "-q"]
    result = CliRunner().invoke(content, args)
    assert result.exit_code == 1
    assert "topics/report.yaml\n  error   text.en.sms: phone number '1234'" in result.output
    assert "  warning" not in result.output  # --quiet lists errors only
    assert "1 errors," in result.output


def test_shipped_content_has_no_errors() -> None:
    result = CliRunner().invoke(content, ["check", "--quiet"])
    assert result.exit_code == 0, result.output


def test_db_commands(content_app: Flask, content_root: Path, tmp_path: Path) -> None:
    runner = content_app.test_cli_runner()
    result = runner.invoke(content, ["import", "--from", str(content_root)], input="n\n")
    assert result.exit_code == 1  # not confirmed
    result = runner.invoke(content, ["import", "--from", str(content_root), "--yes"])
    assert result.exit_code == 0, result.output
    with content_app.app_context(), new_session() as session:
        assert load_docs_from_db(session) == load_docs(content_root)

    out = tmp_path / "exported"
    assert runner.invoke(content, ["export", "--to", str(out)]).exit_code == 0
    assert load_docs(out) == load_docs(content_root)

    result = runner.invoke(content, ["check", "--db", "--today", "2026-12-01"])
    assert result.exit_code == 0, result.output


def test_po_commands(content_app: Flask, content_root: Path, tmp_path: Path) -> None:
    with content_app.app_context(), new_session() as session:
        sync_from_files(session, content_root)
        session.commit()
    runner = content_app.test_cli_runner()
    po = tmp_path / "km.po"
    assert runner.invoke(content, ["po-export", "km", "-o", str(po)]).exit_code == 0
    text = po.read_text(encoding="utf-8")
    assert 'msgctxt "report:sms"' in text and "SMS budget" in text
    po.write_text(text.replace('msgstr "Short advice about report in km.', 'msgstr "Changed.'))
    result = runner.invoke(content, ["po-import", str(po)])
    assert result.exit_code == 0, result.output
    assert "updated 1 topics: report" in result.output
    with content_app.app_context(), new_session() as session:
        report = load_docs_from_db(session).topics["report"]["text"]["km"]
    assert report["status"] == "needs-review"
    assert report["sms"].startswith("Changed.")
    assert runner.invoke(content, ["po-export", "en"]).exit_code != 0
