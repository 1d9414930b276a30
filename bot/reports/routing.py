"""Which partner organisation takes a report: explicit rules, partner profiles, then the fallback.

Rules:
- Only active partners take reports, and never police, immigration or other government bodies:
  a partner of those kinds can be referred to by a person, never chosen automatically.
- A report about someone under 18 (or about child labour) goes first to a partner serving
  children; a labour complaint first to a union or legal-aid partner; an urgent report first
  to a partner on call.
- Within that, the most specific match wins: a rule (or a partner's own profile) that names the
  country, province, category and language beats one that names only the country. An explicit
  rule beats a profile of the same specificity; then a rule's priority; then the older partner.
- A partner's profile (countries, provinces, categories, languages; empty means any) acts as a
  rule of its own, so a partner added with only `--country TH` takes reports from Thailand.
- A fallback partner takes what nothing else matches.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.flows.report import LABOUR_CATEGORIES
from bot.storage.models import Case, Partner, RoutingRule

NEVER_AUTOMATIC = frozenset({"police", "government", "immigration", "military"})
CHILD_KINDS = frozenset({"child-protection"})
LABOUR_KINDS = frozenset({"union", "legal-aid"})
CHILD_GROUPS = frozenset({"children", "child"})


def _in(values: Sequence[str], value: str | None, *, loose: bool = False) -> bool | None:
    """None when the criterion is empty (matches anything), else whether the value is listed."""
    if not values:
        return None
    if not value:
        return False
    if loose:  # provinces are typed by people: "Mae Sot" matches "mae sot district"
        folded = value.casefold()
        return any(v.casefold() in folded for v in values)
    return value in values


def _specificity(checks: Sequence[bool | None]) -> int | None:
    """How many criteria a match names, or None when one of them does not match."""
    if any(c is False for c in checks):
        return None
    return sum(1 for c in checks if c)


def rule_score(rule: RoutingRule, case: Case) -> int | None:
    if not rule.active or (rule.urgent_only and not case.urgent):
        return None
    return _specificity(
        [
            _in(rule.countries, case.country),
            _in(rule.provinces, case.province, loose=True),
            _in(rule.categories, case.category),
            _in(rule.languages, case.lang),
            _in(rule.age_groups, case.age_group),
        ]
    )


def serves_children(partner: Partner) -> bool:
    return partner.kind in CHILD_KINDS or bool(CHILD_GROUPS & set(partner.target_groups))


def serves_labour(partner: Partner) -> bool:
    return partner.kind in LABOUR_KINDS or "legal-aid" in partner.services


def profile_score(partner: Partner, case: Case) -> int | None:
    """A partner's own profile as an implicit rule; one serving only children takes no adults."""
    only_children = serves_children(partner) and set(partner.target_groups) <= CHILD_GROUPS
    if only_children and case.age_group == "adult":
        return None
    return _specificity(
        [
            _in(partner.countries, case.country),
            _in(partner.provinces, case.province, loose=True),
            _in(partner.categories, case.category),
            _in(partner.languages, case.lang),
        ]
    )


def fit(partner: Partner, case: Case) -> int:
    """1 when the partner is the kind this report must go to first (children, labour)."""
    if case.age_group == "child" or case.category == "child-labour":
        return int(serves_children(partner))
    if case.category in LABOUR_CATEGORIES:
        return int(serves_labour(partner))
    return 0


def _routable(partner: Partner) -> bool:
    return partner.active and partner.kind not in NEVER_AUTOMATIC


def candidates(session: Session, case: Case) -> list[Partner]:
    """Every partner that may take the case, best first, the fallback partners last."""
    partners = session.scalars(
        select(Partner).options(selectinload(Partner.rules)).order_by(Partner.id)
    ).all()
    ranked: list[tuple[tuple[int, ...], Partner]] = []
    for partner in filter(_routable, partners):
        best: tuple[int, int] | None = None
        for rule in partner.rules:
            score = rule_score(rule, case)
            if score is not None:
                best = max(best or (-1, 0), (score * 2 + 1, rule.priority))
        profile = profile_score(partner, case)
        if profile is not None:
            best = max(best or (-1, 0), (profile * 2, 0))
        if best is None:
            continue
        urgent_on_call = int(case.urgent and partner.on_call)
        ranked.append(((fit(partner, case), urgent_on_call, *best, -partner.id), partner))
    ranked.sort(key=lambda item: item[0], reverse=True)
    chosen = [p for _, p in ranked]
    fallbacks = [p for p in partners if _routable(p) and p.fallback and p not in chosen]
    fallbacks.sort(key=lambda p: (_in(p.countries, case.country) is False, p.id))
    return chosen + fallbacks


def choose(session: Session, case: Case, exclude: Sequence[int] = ()) -> Partner | None:
    """The best partner for the case that has not had it yet, or None."""
    for partner in candidates(session, case):
        if partner.id not in exclude:
            return partner
    return None
