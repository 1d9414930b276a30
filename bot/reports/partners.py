"""Managing partner organisations and routing rules, shared by the admin panel and the CLI.

Rules:
- A police, immigration or other government body may be listed (for referrals a person chooses)
  but never as the fallback and never in a routing rule: reports reach them only by a person.
- Deactivating a partner moves its open cases to the fallback partner, which triages them (or,
  with no fallback, to the best other partner); a case nobody can take is left for the admins.
- The webhook secret is sealed by the vault; it is shown once, when it is made.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.flows.common import COUNTRIES
from bot.flows.report import AGES, CATEGORIES
from bot.i18n import LANGS
from bot.privacy.vault import Vault
from bot.reports import notify, routing
from bot.reports.audit import audit, event
from bot.reports.cases import assign
from bot.reports.policy import Policy, policy
from bot.storage.models import OPEN_STATUSES, Case, Partner, RoutingRule, utcnow

KINDS = (
    "ngo",
    "union",
    "legal-aid",
    "child-protection",
    "shelter",
    "io",
    "government",
    "police",
    "immigration",
)
TARGET_GROUPS = (
    "children",
    "women",
    "men",
    "fishers",
    "domestic-workers",
    "construction",
    "factory",
    "agriculture",
    "sex-workers",
    "lgbtq",
    "stateless",
)
SERVICES = (
    "shelter",
    "legal-aid",
    "repatriation",
    "counselling",
    "health",
    "rescue",
    "family-tracing",
    "reintegration",
    "wage-claims",
)


class PartnerError(ValueError):
    """A partner or rule cannot be saved as asked (the message says why)."""


def _check(values: Iterable[str], allowed: Iterable[str], what: str) -> list[str]:
    values, allowed = list(values), set(allowed)
    wrong = [v for v in values if v not in allowed]
    if wrong:
        known = ", ".join(sorted(allowed))
        raise PartnerError(f"unknown {what}: {', '.join(wrong)} (known: {known})")
    return values


def find_partner(session: Session, name_or_id: str | int) -> Partner | None:
    """A partner by id or exact name."""
    if isinstance(name_or_id, int) or str(name_or_id).isdigit():
        return session.get(Partner, int(name_or_id))
    return session.scalar(select(Partner).where(Partner.name == name_or_id))


def add_partner(
    session: Session,
    actor: object,
    vault: Vault,
    *,
    name: str,
    kind: str = "ngo",
    countries: Iterable[str] = (),
    provinces: Iterable[str] = (),
    categories: Iterable[str] = (),
    languages: Iterable[str] = (),
    target_groups: Iterable[str] = (),
    services: Iterable[str] = (),
    admission_criteria: str | None = None,
    email: str | None = None,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    on_call: bool = False,
    fallback: bool = False,
) -> tuple[Partner, str | None]:
    """Adds a partner; returns it with its webhook secret (made here if a webhook was given)."""
    if kind not in KINDS:
        raise PartnerError(f"kind must be one of: {', '.join(KINDS)}")
    if fallback and kind in routing.NEVER_AUTOMATIC:
        raise PartnerError("a government body cannot be the fallback: no report goes there alone")
    if find_partner(session, name) is not None:
        raise PartnerError(f"a partner named {name!r} exists already")
    if webhook_url and not webhook_url.startswith(("https://", "http://")):
        raise PartnerError("the webhook URL must start with https://")
    if webhook_url and not webhook_secret:
        webhook_secret = secrets.token_urlsafe(32)
    partner = Partner(
        name=name.strip(),
        kind=kind,
        countries=_check(countries, COUNTRIES, "country"),
        provinces=[p.strip() for p in provinces if p.strip()],
        categories=_check(categories, CATEGORIES, "category"),
        languages=_check(languages, LANGS, "language"),
        target_groups=_check(target_groups, TARGET_GROUPS, "target group"),
        services=_check(services, SERVICES, "service"),
        admission_criteria=admission_criteria,
        email=email,
        webhook_url=webhook_url,
        webhook_secret_sealed=vault.seal(webhook_secret) if webhook_secret else None,
        on_call=on_call,
        fallback=fallback,
        active=True,
        created_at=utcnow(),
    )
    session.add(partner)
    session.flush()
    audit(session, actor, "partner.add", "partner", partner.id, {"name": partner.name})
    return partner, webhook_secret


def add_rule(
    session: Session,
    actor: object,
    partner: Partner,
    *,
    countries: Iterable[str] = (),
    provinces: Iterable[str] = (),
    categories: Iterable[str] = (),
    languages: Iterable[str] = (),
    age_groups: Iterable[str] = (),
    urgent_only: bool = False,
    priority: int = 0,
) -> RoutingRule:
    """Adds a routing rule sending matching reports to `partner`."""
    if partner.kind in routing.NEVER_AUTOMATIC:
        raise PartnerError("no report is routed to police or government bodies automatically")
    rule = RoutingRule(
        partner=partner,
        countries=_check(countries, COUNTRIES, "country"),
        provinces=[p.strip() for p in provinces if p.strip()],
        categories=_check(categories, CATEGORIES, "category"),
        languages=_check(languages, LANGS, "language"),
        age_groups=_check(age_groups, AGES, "age group"),
        urgent_only=urgent_only,
        priority=priority,
        active=True,
        created_at=utcnow(),
    )
    session.add(rule)
    session.flush()
    audit(session, actor, "rule.add", "partner", partner.id, {"rule": rule.id})
    return rule


def remove_rule(session: Session, actor: object, rule: RoutingRule) -> None:
    """Deletes a routing rule."""
    audit(session, actor, "rule.remove", "partner", rule.partner_id, {"rule": rule.id})
    session.delete(rule)


def deactivate_partner(
    session: Session,
    actor: object,
    partner: Partner,
    *,
    at: datetime | None = None,
    pol: Policy | None = None,
) -> list[Case]:
    """Stops routing to the partner and moves its open cases on; returns the cases moved."""
    at, pol = at or utcnow(), pol or policy()
    partner.active = False
    session.flush()
    cases = session.scalars(
        select(Case).where(Case.partner_id == partner.id, Case.status.in_(OPEN_STATUSES))
    ).all()
    fallbacks = list(
        session.scalars(
            select(Partner)
            .where(
                Partner.active.is_(True),
                Partner.fallback.is_(True),
                Partner.kind.not_in(routing.NEVER_AUTOMATIC),
            )
            .order_by(Partner.id)
        )
    )
    for case in cases:
        successor = _fallback_for(case, fallbacks) or routing.choose(session, case)
        if successor is None:
            case.partner_id, case.partner, case.status = None, None, "new"
            event(case, "unassigned", actor, at, previous=partner.id)
            notify.queue_admins(session, case, "case.unassigned", pol.admin_emails, at)
        else:
            assign(session, case, successor, actor, at, pol)
    audit(
        session,
        actor,
        "partner.deactivate",
        "partner",
        partner.id,
        {"moved": [c.code for c in cases]},
        at=at,
    )
    return list(cases)


def _fallback_for(case: Case, fallbacks: list[Partner]) -> Partner | None:
    """The fallback partner serving the case's country, else any fallback partner."""
    serving = [p for p in fallbacks if not p.countries or case.country in p.countries]
    return next(iter(serving or fallbacks), None)


def activate_partner(session: Session, actor: object, partner: Partner) -> None:
    """Routes reports to the partner again."""
    partner.active = True
    audit(session, actor, "partner.activate", "partner", partner.id)
