"""`helpline cases`: the case operations of the admin panel, for scripts and for the terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from bot.storage.db import transaction

ACTOR = "cli"


def _with_case(code: str, action: Callable[[Any, Any], str]) -> None:
    """Runs `action(session, case)` in one transaction and prints what it returns."""
    from bot.reports.cases import CaseError, find_case
    from bot.reports.partners import PartnerError

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        with transaction(app) as session:
            case = find_case(session, code)
            if case is None:
                raise click.ClickException(f"no case {code}")
            click.echo(action(session, case))
    except (CaseError, PartnerError) as error:
        raise click.ClickException(str(error)) from error


def _partner(session: Any, name: str) -> Any:
    from bot.reports.partners import PartnerError, find_partner

    found = find_partner(session, name)
    if found is None:
        raise PartnerError(f"no partner {name!r}")
    return found


@click.group("cases")
def cases() -> None:
    """Reports filed by migrants: list, read and act on them (each action is audited)."""


@cases.command("list")
@click.option("--all", "show_all", is_flag=True, help="Closed cases too")
@with_appcontext
def list_cases(show_all: bool) -> None:
    """List cases, newest first: code, status, urgency, category, country, partner."""
    from bot.storage.models import OPEN_STATUSES, Case

    query = select(Case).order_by(Case.id.desc())
    if not show_all:
        query = query.where(Case.status.in_(OPEN_STATUSES))
    with transaction(current_app._get_current_object()) as session:  # type: ignore[attr-defined]
        for c in session.scalars(query):
            urgent = "URGENT" if c.urgent else "-"
            partner = c.partner.name if c.partner else "(no partner)"
            click.echo(
                f"{c.code} {c.status:<12} {urgent:<6} {c.category or '-':<22} "
                f"{c.country or '--'} {partner}"
            )


@cases.command("show")
@click.argument("code")
@with_appcontext
def show(code: str) -> None:
    """Show a case: its fields, redacted description, timeline and messages."""

    def render(_session: Any, c: Any) -> str:
        lines = [
            f"{c.code} status={c.status} outcome={c.outcome or '-'} urgent={c.urgent}",
            f"category={c.category} country={c.country} province={c.province or '-'} "
            f"age={c.age_group or '-'} people={c.people or '-'} for_self={c.for_self}",
            f"lang={c.lang} channel={c.channel} consent={c.consent} "
            f"partner={c.partner.name if c.partner else '-'}",
            f"description: {c.description or '-'}",
            "timeline:",
        ]
        lines += [
            f"  {e.at:%Y-%m-%d %H:%M} {e.kind} {e.status or ''} by {e.actor} {e.detail or ''}"
            for e in c.events
        ]
        lines += [
            f"  {m.at:%Y-%m-%d %H:%M} [{m.kind}] {m.author}: {m.body or '(purged)'}"
            for m in c.messages
        ]
        return "\n".join(lines)

    _with_case(code, render)


@cases.command("ack")
@click.argument("code")
@with_appcontext
def ack(code: str) -> None:
    """Acknowledge a case (stops its escalation)."""
    from bot.reports.cases import acknowledge

    _with_case(code, lambda s, c: f"{acknowledge(s, c, ACTOR).code} acknowledged")


@cases.command("assign")
@click.argument("code")
@click.argument("partner")
@click.option("--reason")
@with_appcontext
def assign(code: str, partner: str, reason: str | None) -> None:
    """Give a case to another PARTNER (name or id)."""
    from bot.reports.cases import reassign

    def run(s: Any, c: Any) -> str:
        reassign(s, c, _partner(s, partner), ACTOR, reason=reason)
        return f"{c.code} assigned to {partner}"

    _with_case(code, run)


@cases.command("refer")
@click.argument("code")
@click.option("--partner", help="Another partner here, which then owns the case")
@click.option("--organisation", help="An outside organisation, by name")
@with_appcontext
def refer_case(code: str, partner: str | None, organisation: str | None) -> None:
    """Refer a case to another partner or an outside organisation."""
    from bot.reports.cases import refer

    def run(s: Any, c: Any) -> str:
        to = _partner(s, partner) if partner else None
        refer(s, c, ACTOR, to_partner=to, to_organisation=organisation)
        return f"{c.code} referred"

    _with_case(code, run)


@cases.command("status")
@click.argument("code")
@click.argument("status", type=click.Choice(["acknowledged", "in_progress"]))
@with_appcontext
def status(code: str, status: str) -> None:
    """Mark a case acknowledged or in progress (reopens a closed case)."""
    from bot.reports.cases import change_status

    _with_case(code, lambda s, c: f"{change_status(s, c, status, ACTOR).code} {status}")


@cases.command("close")
@click.argument("code")
@click.argument("outcome")
@with_appcontext
def close(code: str, outcome: str) -> None:
    """Close a case with its OUTCOME (safe, in_shelter, lost_contact, declined_help, ...)."""
    from bot.reports.cases import close_case

    _with_case(code, lambda s, c: f"{close_case(s, c, outcome, ACTOR).code} closed: {outcome}")


@cases.command("relay")
@click.argument("code")
@click.argument("text")
@with_appcontext
def relay(code: str, text: str) -> None:
    """Write TEXT to the reporter over their own channel (only if they agreed)."""
    from bot.reports.cases import relay_to_reporter

    def run(s: Any, c: Any) -> str:
        relay_to_reporter(s, c, ACTOR, text)
        return f"{c.code}: queued for the reporter"

    _with_case(code, run)


@cases.command("note")
@click.argument("code")
@click.argument("text")
@with_appcontext
def note(code: str, text: str) -> None:
    """Add an internal note (never sent to the reporter)."""
    from bot.reports.cases import add_note

    def run(s: Any, c: Any) -> str:
        add_note(s, c, ACTOR, text)
        return f"{c.code}: note added"

    _with_case(code, run)
