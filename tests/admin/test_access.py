"""The leak walk: every admin route, as every role and anonymous, must give away nothing.

Each role gets its own fresh database; the walk requests every rule of app.url_map under
/admin with every method it accepts, then checks the status and that no other partner's case,
no case at all for non-case roles, and no question text for analysts appears in any response.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, url_for
from sqlalchemy import func, select

from admin.web import EVERYONE, PUBLIC, roles_of
from bot.storage.content_db import sync_from_files
from bot.storage.db import transaction
from bot.storage.models import (
    AdminUser,
    AuditEntry,
    Case,
    CaseEvent,
    CaseMessage,
    HotlineRow,
    Interaction,
    RoutingRule,
)
from tests.admin.conftest import Accounts, csrf_token, logged_in, make_case

ADMIN, EDITORS, FIGURES = {"admin"}, {"admin", "editor"}, {"admin", "analyst"}
CASES = {"admin", "partner"}
# Who may use each admin endpoint. A new route must be added here, or the first test fails.
EXPECTED: dict[str, set[str]] = {
    "admin.static": {PUBLIC},
    "admin.auth.login": {PUBLIC},
    "admin.auth.setup": {PUBLIC},
    "admin.auth.logout": set(EVERYONE),
    "admin.auth.home": set(EVERYONE),
    "admin.auth.account": set(EVERYONE),
    "admin.users.index": ADMIN,
    "admin.users.set_active": ADMIN,
    "admin.users.unlock": ADMIN,
    "admin.users.reset_password": ADMIN,
    "admin.audit.index": ADMIN,
    "admin.partners.index": ADMIN,
    "admin.partners.edit": ADMIN,
    "admin.partners.add_rule": ADMIN,
    "admin.partners.rule": ADMIN,
    "admin.dashboard.index": FIGURES,
    "admin.dashboard.export": FIGURES,
    "admin.content.grid": EDITORS,
    "admin.content.edit": EDITORS,
    "admin.content.history": EDITORS,
    "admin.content.rollback": EDITORS,
    "admin.content.reviewed": EDITORS,
    "admin.content.unanswered": EDITORS,
    "admin.hotlines.index": EDITORS,
    "admin.hotlines.edit": EDITORS,
    "admin.translate.index": EDITORS,
    "admin.translate.export": EDITORS,
    "admin.case_export.export": CASES,
    "admin.cases.inbox": CASES,
    "admin.cases.show": CASES,
    "admin.cases.acknowledge": CASES,
    "admin.cases.status": CASES,
    "admin.cases.close": CASES,
    "admin.cases.refer": CASES,
    "admin.cases.relay": CASES,
    "admin.cases.note": CASES,
    "admin.cases.reassign": ADMIN,
}
SECRET_B = "SECRET-B-DESCRIPTION"
SECRET_A = "SECRET-A-DESCRIPTION"
QUESTION = "UNANSWERED-QUESTION-TEXT"


def admin_rules(app: Flask) -> list[Any]:
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin")]


def test_every_admin_route_declares_the_expected_roles(app: Flask) -> None:
    endpoints = {r.endpoint for r in admin_rules(app)}
    assert endpoints == set(EXPECTED), "a route was added or removed: update EXPECTED"
    with app.test_request_context():
        for endpoint, roles in EXPECTED.items():
            assert roles_of(endpoint) == frozenset(roles), endpoint


def _world(app: Flask, accounts: Accounts) -> dict[str, Any]:
    """Cases of both partners, a question, content, a rule: things that could leak."""
    own = make_case(app, accounts.partner_a, reachable=True, description=SECRET_A, urgent=True)
    foreign = make_case(app, accounts.partner_b, reachable=True, description=SECRET_B)
    with transaction(app) as db:
        db.add(Interaction(kind="unanswered", lang="my", country="TH", text=QUESTION))
        sync_from_files(db)
        rule = RoutingRule(partner_id=accounts.partner_a, countries=["TH"])
        db.add(rule)
        db.flush()
        editor = db.scalar(select(AdminUser).where(AdminUser.role == "editor"))
        row = db.scalar(select(HotlineRow).limit(1))
        values = {
            "slug": "safe-migration", "lang": "my", "code": own, "user_id": editor.id,
            "partner_id": accounts.partner_a, "rule_id": rule.id, "filename": "admin.css",
            "row_id": row.id if row else 1,
        }  # fmt: skip
    return {"own": own, "foreign": foreign, "values": values}


def _url(app: Flask, rule: Any, values: dict[str, Any]) -> str:
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def _walk_order(rule: Any) -> tuple[int, str]:
    # Logging out and switching accounts off go last: they end the walker's own session.
    last = {"admin.users.set_active": 1, "admin.auth.logout": 2}.get(rule.endpoint, 0)
    return (last, rule.rule)


@pytest.mark.parametrize("role", ["anonymous", "admin", "editor", "analyst", "partner"])
def test_walk_every_route_as_every_role(app: Flask, accounts: Accounts, role: str) -> None:
    world = _world(app, accounts)
    client = app.test_client() if role == "anonymous" else logged_in(app, accounts.emails[role])
    for rule in sorted(admin_rules(app), key=_walk_order):
        allowed = PUBLIC in EXPECTED[rule.endpoint] or role in EXPECTED[rule.endpoint]
        url = _url(app, rule, world["values"])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": csrf_token(client)})
            body = response.get_data(as_text=True).replace(url, "")  # echoes of the request
            where = f"{role} {method} {url} -> {response.status_code}"
            assert response.status_code < 500, where
            if not allowed:
                denied = (302, 401) if role == "anonymous" else (403,)
                assert response.status_code in denied, where
                if response.status_code == 302:
                    assert response.location.startswith("/admin/login"), where
            elif method == "GET":
                expected = 303 if rule.endpoint == "admin.auth.home" else 200
                if rule.endpoint == "admin.auth.setup":
                    expected = 404  # closed once accounts exist
                assert response.status_code == expected, where
            else:
                assert response.status_code not in (401, 403), where
            _assert_nothing_leaks(role, world, body, where)


def _assert_nothing_leaks(role: str, world: dict[str, Any], body: str, where: str) -> None:
    if role != "admin":
        assert SECRET_B not in body and world["foreign"] not in body, where
    if role in ("anonymous", "editor", "analyst"):
        assert SECRET_A not in body and world["own"] not in body, where
    if role in ("anonymous", "analyst", "partner"):
        assert QUESTION not in body, where


ACTIONS = ("acknowledge", "status", "close", "refer", "relay", "note", "reassign")


def test_guessing_another_partners_case_teaches_nothing(app: Flask, accounts: Accounts) -> None:
    world = _world(app, accounts)
    foreign = world["foreign"]
    client = logged_in(app, accounts.emails["partner"])
    with transaction(app) as db:
        case_id = db.scalar(select(Case.id).where(Case.code == foreign))
    missing = client.get("/admin/cases/R-NOSUCH")
    for guess in (foreign, foreign.lower(), f" {foreign}", str(case_id)):
        response = client.get(f"/admin/cases/{guess}")
        assert response.status_code == 404
        assert response.get_data() == missing.get_data()  # the same page as a code that is not
    form = {"status": "in_progress", "outcome": "safe", "text": "hello",
            "partner_id": accounts.partner_a, "organisation": "Elsewhere"}
    for action in ACTIONS:
        response = client.post(f"/admin/cases/{foreign}/{action}",
                               data={**form, "csrf_token": csrf_token(client)})
        assert response.status_code in (403, 404), action
    with transaction(app) as db:
        case = db.scalar(select(Case).where(Case.code == foreign))
        assert case.status == "assigned" and case.partner_id == accounts.partner_b
        assert db.scalar(select(func.count()).select_from(CaseEvent)) == 0
        assert db.scalar(select(func.count()).select_from(CaseMessage)) == 0
        touched = select(func.count()).where(AuditEntry.target_id == foreign)
        assert db.scalar(touched) == 0
    inbox = client.get("/admin/cases/?status=all").get_data(as_text=True)
    export = client.get("/admin/cases/export.csv").get_data(as_text=True)
    assert world["own"] in inbox and world["own"] in export
    assert foreign not in inbox and foreign not in export


def test_a_partner_account_without_an_organisation_sees_no_case(app: Flask,
                                                                 accounts: Accounts) -> None:
    from admin.cases import scoped

    own = make_case(app, accounts.partner_a)
    with transaction(app) as db:
        orphan = AdminUser(email="x@example.org", password_hash="-", role="partner",
                           partner_id=None, session_stamp="s")
        assert db.scalars(scoped(orphan)).all() == []
        admin = db.scalar(select(AdminUser).where(AdminUser.role == "admin"))
        assert [c.code for c in db.scalars(scoped(admin))] == [own]


def test_webhooks_are_not_csrf_protected(db_url: str) -> None:
    from tests.conftest import make_test_app

    app = make_test_app(db_url)
    app.add_url_rule("/webhooks/probe", "probe", lambda: "ok", methods=["POST"])
    assert app.test_client().post("/webhooks/probe", data={"x": "1"}).status_code == 200
