"""`helpline partners`: add, list, route to and deactivate partner organisations from scripts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from bot.storage.db import transaction

F = TypeVar("F", bound=Callable[..., Any])


def _app() -> Flask:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


def _split(values: tuple[str, ...]) -> list[str]:
    """Repeated options and comma lists alike: --country TH --country MM, or --country TH,MM."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _many(name: str, help_text: str) -> Callable[[F], F]:
    return click.option(name, multiple=True, help=help_text + " (repeat, or comma list)")


@click.group("partners")
def partners() -> None:
    """Partner organisations that take reports, and the rules that route reports to them."""


@partners.command("add")
@click.argument("name")
@click.option(
    "--kind",
    default="ngo",
    show_default=True,
    help="ngo, union, legal-aid, child-protection, shelter, io, government, police",
)
@_many("--country", "Countries served: TH MY MM KH LA VN CN")
@_many("--province", "Provinces or cities served")
@_many("--category", "Report categories taken, e.g. unpaid-wages")
@_many("--language", "Languages spoken: my km lo th vi zh en")
@_many("--target", "Target groups, e.g. children, women, fishers, domestic-workers")
@_many("--service", "Services, e.g. shelter, legal-aid, repatriation, counselling")
@click.option("--criteria", help="Admission criteria, in words")
@click.option("--email", help="Where new-report notices are e-mailed")
@click.option("--webhook-url", help="The partner's case system; notices are signed JSON")
@click.option("--webhook-secret", help="Shared signing secret (made for you if left out)")
@click.option("--on-call", is_flag=True, help="Answers urgent reports day and night")
@click.option("--fallback", is_flag=True, help="Takes the reports no rule matches")
@with_appcontext
def add(
    name: str,
    kind: str,
    country: tuple[str, ...],
    province: tuple[str, ...],
    category: tuple[str, ...],
    language: tuple[str, ...],
    target: tuple[str, ...],
    service: tuple[str, ...],
    criteria: str | None,
    email: str | None,
    webhook_url: str | None,
    webhook_secret: str | None,
    on_call: bool,
    fallback: bool,
) -> None:
    """Add a partner organisation."""
    from bot.reports.partners import PartnerError, add_partner
    from bot.service import get_helpline

    vault = get_helpline(_app()).vault
    try:
        with transaction(_app()) as session:
            partner, secret = add_partner(
                session,
                "cli",
                vault,
                name=name,
                kind=kind,
                countries=_split(country),
                provinces=_split(province),
                categories=_split(category),
                languages=_split(language),
                target_groups=_split(target),
                services=_split(service),
                admission_criteria=criteria,
                email=email,
                webhook_url=webhook_url,
                webhook_secret=webhook_secret,
                on_call=on_call,
                fallback=fallback,
            )
            pid = partner.id
    except PartnerError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"added partner {pid}: {name}")
    if secret and not webhook_secret:
        click.echo(f"webhook secret (shown once; give it to the partner): {secret}")


@partners.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line")
@with_appcontext
def list_partners(as_json: bool) -> None:
    """List partner organisations."""
    from bot.storage.models import Partner

    with transaction(_app()) as session:
        for p in session.scalars(select(Partner).order_by(Partner.id)):
            row = {
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "active": p.active,
                "fallback": p.fallback,
                "on_call": p.on_call,
                "countries": p.countries,
                "provinces": p.provinces,
                "categories": p.categories,
                "languages": p.languages,
                "target_groups": p.target_groups,
                "services": p.services,
                "email": p.email,
                "webhook_url": p.webhook_url,
                "rules": len(p.rules),
            }
            if as_json:
                click.echo(json.dumps(row, ensure_ascii=False))
                continue
            flags = " ".join(
                f
                for f, on in (
                    ("inactive", not p.active),
                    ("fallback", p.fallback),
                    ("on-call", p.on_call),
                )
                if on
            )
            where = ",".join(p.countries) or "any country"
            click.echo(f"{p.id:>3} {p.name} [{p.kind}] {where} {flags}".rstrip())


@partners.group("rules", invoke_without_command=True)
@click.pass_context
def rules(ctx: click.Context) -> None:
    """Routing rules: list them (no subcommand), add or remove one."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_rules)


@rules.command("list")
@with_appcontext
def list_rules() -> None:
    """List the routing rules, most specific first within each partner."""
    from bot.storage.models import RoutingRule

    with transaction(_app()) as session:
        for r in session.scalars(
            select(RoutingRule).order_by(RoutingRule.partner_id, RoutingRule.id)
        ):
            parts = [
                f"{k}={','.join(v)}"
                for k, v in (
                    ("country", r.countries),
                    ("province", r.provinces),
                    ("category", r.categories),
                    ("language", r.languages),
                    ("age", r.age_groups),
                )
                if v
            ]
            if r.urgent_only:
                parts.append("urgent-only")
            status = "" if r.active else " (inactive)"
            click.echo(
                f"{r.id:>3} -> {r.partner.name} priority={r.priority} "
                f"{' '.join(parts) or 'everything'}{status}"
            )


@rules.command("add")
@click.argument("partner")
@_many("--country", "Countries")
@_many("--province", "Provinces or cities")
@_many("--category", "Report categories")
@_many("--language", "Reporter languages")
@_many("--age", "Age groups: child adult unknown")
@click.option("--urgent-only", is_flag=True)
@click.option("--priority", type=int, default=0, show_default=True)
@with_appcontext
def add_rule(
    partner: str,
    country: tuple[str, ...],
    province: tuple[str, ...],
    category: tuple[str, ...],
    language: tuple[str, ...],
    age: tuple[str, ...],
    urgent_only: bool,
    priority: int,
) -> None:
    """Route matching reports to PARTNER (name or id)."""
    from bot.reports.partners import PartnerError, find_partner
    from bot.reports.partners import add_rule as add

    try:
        with transaction(_app()) as session:
            found = find_partner(session, partner)
            if found is None:
                raise PartnerError(f"no partner {partner!r}")
            rule = add(
                session,
                "cli",
                found,
                countries=_split(country),
                provinces=_split(province),
                categories=_split(category),
                languages=_split(language),
                age_groups=_split(age),
                urgent_only=urgent_only,
                priority=priority,
            )
            rid = rule.id
    except PartnerError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"added rule {rid} -> {partner}")


@rules.command("remove")
@click.argument("rule_id", type=int)
@with_appcontext
def remove_rule(rule_id: int) -> None:
    """Remove a routing rule by id."""
    from bot.reports.partners import remove_rule as remove
    from bot.storage.models import RoutingRule

    with transaction(_app()) as session:
        rule = session.get(RoutingRule, rule_id)
        if rule is None:
            raise click.ClickException(f"no rule {rule_id}")
        remove(session, "cli", rule)
    click.echo(f"removed rule {rule_id}")


@partners.command("deactivate")
@click.argument("partner")
@with_appcontext
def deactivate(partner: str) -> None:
    """Stop routing to PARTNER and move its open cases to another partner (the fallback)."""
    from bot.reports.partners import deactivate_partner, find_partner

    with transaction(_app()) as session:
        found = find_partner(session, partner)
        if found is None:
            raise click.ClickException(f"no partner {partner!r}")
        moved = deactivate_partner(session, "cli", found)
        report = [
            f"{c.code} -> {c.partner.name if c.partner else 'nobody (admins told)'}" for c in moved
        ]
    click.echo(f"deactivated {partner}; moved {len(report)} open cases")
    for line in report:
        click.echo(f"  {line}")


@partners.command("activate")
@click.argument("partner")
@with_appcontext
def activate(partner: str) -> None:
    """Route reports to PARTNER again."""
    from bot.reports.partners import activate_partner, find_partner

    with transaction(_app()) as session:
        found = find_partner(session, partner)
        if found is None:
            raise click.ClickException(f"no partner {partner!r}")
        activate_partner(session, "cli", found)
    click.echo(f"activated {partner}")
