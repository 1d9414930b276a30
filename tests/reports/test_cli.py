"""The commands for scripted deployments: partners, routing rules, cases and purge."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from bot.cli import cli
from bot.commands.partners import partners as partners_cli
from bot.commands.purge import purge as purge_cli
from bot.storage.db import transaction
from bot.storage.models import AuditEntry, Case, Partner
from tests.reports.conftest import START, file_report


def run(app: Flask, command, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(command, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_partners_are_added_routed_listed_and_deactivated(app: Flask) -> None:
    out = run(
        app,
        partners_cli,
        "add",
        "Labour Rights Foundation",
        "--kind",
        "union",
        "--country",
        "TH",
        "--category",
        "unpaid-wages,dismissal",
        "--language",
        "my",
        "--language",
        "en",
        "--service",
        "legal-aid",
        "--email",
        "lrf@example.org",
        "--webhook-url",
        "https://cases.lrf.example.org/hook",
    )
    assert "added partner 1" in out and "webhook secret (shown once" in out
    run(app, partners_cli, "add", "Desk", "--fallback", "--email", "desk@example.org")
    run(
        app,
        partners_cli,
        "rules",
        "add",
        "Labour Rights Foundation",
        "--country",
        "TH",
        "--province",
        "Mae Sot",
        "--urgent-only",
        "--priority",
        "3",
    )
    rules = run(app, partners_cli, "rules")
    assert (
        "-> Labour Rights Foundation priority=3 country=TH province=Mae Sot urgent-only" in rules
    )
    listed = [json.loads(line) for line in run(app, partners_cli, "list", "--json").splitlines()]
    assert [p["name"] for p in listed] == ["Labour Rights Foundation", "Desk"]
    assert listed[0]["categories"] == ["unpaid-wages", "dismissal"] and listed[0]["rules"] == 1
    assert "webhook_secret" not in json.dumps(listed)
    with transaction(app) as session:
        sealed = session.scalars(select(Partner.webhook_secret_sealed)).first()
        assert sealed and sealed.startswith("gAAAA")

    case, _ = file_report(app, "sms", "+66 81 234 5678", category="1", danger="2")
    assert case.partner_id == 1
    out = run(app, partners_cli, "deactivate", "Labour Rights Foundation")
    assert f"{case.code} -> Desk" in out
    assert "inactive" in run(app, partners_cli, "list")
    run(app, partners_cli, "activate", "1")
    with transaction(app) as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "cli"))
        expected = {"partner.add", "rule.add", "partner.deactivate", "partner.activate"}
        assert expected <= set(actions)


def test_wrong_partner_values_are_refused(app: Flask) -> None:
    result = app.test_cli_runner().invoke(partners_cli, ["add", "X", "--country", "FR"])
    assert result.exit_code != 0 and "unknown country: FR" in result.output
    result = app.test_cli_runner().invoke(
        partners_cli, ["add", "Y", "--kind", "police", "--fallback"]
    )
    assert result.exit_code != 0


def test_case_commands_act_and_show_only_redacted_text(app: Flask) -> None:
    run(app, partners_cli, "add", "Desk", "--fallback", "--email", "desk@example.org")
    case, _ = file_report(app, "sms", "+66 81 234 5678", text="He has my passport AB1234567")
    assert case.code in run(app, cli, "cases", "list")
    run(app, cli, "cases", "ack", case.code)
    run(app, cli, "cases", "note", case.code, "Called the employer")
    out = run(app, cli, "cases", "relay", case.code, "We are coming tomorrow")
    assert "queued for the reporter" in out
    shown = run(app, cli, "cases", "show", case.code)
    assert "He has my passport [id]" in shown and "AB1234567" not in shown
    assert "[to_reporter] cli: We are coming tomorrow" in shown
    run(app, cli, "cases", "close", case.code, "safe")
    result = app.test_cli_runner().invoke(cli, ["cases", "close", case.code, "fine"])
    assert result.exit_code != 0 and "outcome must be one of" in result.output
    with transaction(app) as session:
        closed = session.scalars(select(Case)).one()
        assert (closed.status, closed.outcome) == ("closed", "safe")


def test_purge_command(app: Flask) -> None:
    file_report(app, "sms", "+66 81 234 5678", at=START - timedelta(days=400))
    out = run(app, purge_cli, "--days", "0")
    assert out.startswith("purged: ") and "1 reply addresses" in out
