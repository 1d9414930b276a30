"""Routing: the most specific match wins, children and labour complaints go to the partners made
for them, urgent reports to one on call, the fallback takes the rest, and police never."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from bot.reports.partners import PartnerError, add_partner, add_rule
from bot.reports.routing import candidates, choose
from bot.service import get_helpline
from bot.storage.db import transaction
from bot.storage.models import Case, Partner
from tests.reports.conftest import Partners


def case(**fields: Any) -> Case:
    base: dict[str, Any] = {
        "category": "forced-labour",
        "urgent": False,
        "country": "TH",
        "lang": "en",
        "age_group": "adult",
        "province": None,
    }
    return Case(**{**base, **fields})


def chosen(app: Flask, **fields: Any) -> str | None:
    with transaction(app) as session:
        partner = choose(session, case(**fields))
        return partner.name if partner else None


def test_each_report_reaches_the_partner_made_for_it(app: Flask, partners: Partners) -> None:
    assert chosen(app) == "Mekong Aid"  # rule: Thailand + forced labour
    assert chosen(app, age_group="child") == "Child Safe"  # a child: child protection first
    assert chosen(app, category="child-labour", age_group=None) == "Child Safe"
    assert chosen(app, category="unpaid-wages") == "Thai Labour Union"  # labour: union first
    assert chosen(app, category="dismissal", lang="my") == "Thai Labour Union"
    assert chosen(app, country="MY") == "Regional Desk"  # nobody else: the fallback
    assert chosen(app, country=None, category=None) == "Regional Desk"
    assert chosen(app, country="MM", age_group="child") == "Child Safe"


def test_police_and_government_are_never_chosen_automatically(
    app: Flask, partners: Partners
) -> None:
    with transaction(app) as session:
        for fields in ({}, {"category": "arrest-detention"}, {"urgent": True}, {"country": "MY"}):
            names = [p.name for p in candidates(session, case(**fields))]
            assert "Police Unit" not in names
        police = session.get(Partner, partners.police)
        with pytest.raises(PartnerError, match=r"never|no report"):
            add_rule(session, "test", police, countries=["TH"])


def test_the_most_specific_rule_wins(app: Flask, partners: Partners) -> None:
    vault = get_helpline(app).vault
    with transaction(app) as session:
        local, _ = add_partner(session, "test", vault, name="Mae Sot Clinic", email="a@b.org")
        add_rule(
            session,
            "test",
            local,
            countries=["TH"],
            provinces=["Mae Sot"],
            categories=["forced-labour"],
        )
        burmese, _ = add_partner(session, "test", vault, name="Burmese Desk", email="c@d.org")
        add_rule(
            session,
            "test",
            burmese,
            countries=["TH"],
            categories=["forced-labour"],
            languages=["my"],
            provinces=["Mae Sot"],
            priority=5,
        )
    assert chosen(app, province="mae sot district") == "Mae Sot Clinic"
    assert chosen(app, province="Mae Sot", lang="my") == "Burmese Desk"
    assert chosen(app, province="Bangkok") == "Mekong Aid"


def test_urgent_reports_prefer_a_partner_on_call(app: Flask, partners: Partners) -> None:
    vault = get_helpline(app).vault
    with transaction(app) as session:
        day, _ = add_partner(session, "test", vault, name="Day Office", email="x@y.org")
        add_rule(
            session, "test", day, countries=["TH"], categories=["forced-labour"], languages=["en"]
        )
    assert chosen(app) == "Day Office"  # more specific
    assert chosen(app, urgent=True) == "Mekong Aid"  # on call


def test_inactive_partners_take_nothing(app: Flask, partners: Partners) -> None:
    with transaction(app) as session:
        session.get(Partner, partners.ngo).active = False
        session.get(Partner, partners.union).active = False
    assert chosen(app) == "Regional Desk"
    with transaction(app) as session:
        excluded = choose(session, case(), exclude=[partners.fallback])
    assert excluded is None


def test_partner_values_are_checked(app: Flask, partners: Partners) -> None:
    vault = get_helpline(app).vault
    with transaction(app) as session:
        with pytest.raises(PartnerError, match="unknown country"):
            add_partner(session, "test", vault, name="X", countries=["FR"])
        with pytest.raises(PartnerError, match="exists"):
            add_partner(session, "test", vault, name="Mekong Aid")
        with pytest.raises(PartnerError, match="fallback"):
            add_partner(session, "test", vault, name="Y", kind="government", fallback=True)
