"""The audit log: who did what and when, for views of cases and every change; admins read it."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from bot.storage.db import transaction
from bot.storage.models import AdminUser, AuditEntry, Partner
from tests.admin.conftest import Accounts, logged_in, make_case, post


def _actions(app: Flask) -> list[tuple[str, str, str | None]]:
    with transaction(app) as db:
        rows = db.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.target_id)
                          .order_by(AuditEntry.id)).all()
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_admin_changes_are_logged_with_who_and_what(app: Flask, accounts: Accounts) -> None:
    admin = logged_in(app, accounts.emails["admin"])
    me = accounts.emails["admin"]
    post(admin, "/admin/users/", {"email": "new@example.org", "role": "analyst",
                                  "password": "analyst password", "partner": ""})
    post(admin, "/admin/partners/", {"name": "Gamma", "kind": "union", "countries": ["TH"],
                                     "active": "1"})
    with transaction(app) as db:
        gamma = db.scalar(select(Partner).where(Partner.name == "Gamma"))
        new_user = db.scalar(select(AdminUser).where(AdminUser.email == "new@example.org"))
        assert gamma is not None and gamma.kind == "union" and gamma.countries == ["TH"]
        ids = (str(gamma.id), str(new_user.id))  # type: ignore[union-attr]
    post(admin, f"/admin/partners/{ids[0]}", {"name": "Gamma Union", "kind": "union",
                                              "active": "1"})
    post(admin, f"/admin/partners/{ids[0]}/rules", {"countries": ["TH"], "categories":
                                                    ["unpaid-wages"], "priority": "2"})
    logged = _actions(app)
    assert (me, "user.create", ids[1]) in logged
    assert (me, "partner.create", ids[0]) in logged
    assert (me, "partner.update", ids[0]) in logged
    assert any(entry[:2] == (me, "rule.create") for entry in logged)


def test_case_views_and_changes_are_logged_and_readable_by_admins(
    app: Flask, accounts: Accounts
) -> None:
    code = make_case(app, accounts.partner_a)
    partner = logged_in(app, accounts.emails["partner"])
    partner.get(f"/admin/cases/{code}")
    post(partner, f"/admin/cases/{code}/acknowledge")
    who = accounts.emails["partner"]
    assert [(w, a) for w, a, t in _actions(app) if t == code] == [
        (who, "case.view"), (who, "case.acknowledge")]
    admin = logged_in(app, accounts.emails["admin"])
    page = admin.get(f"/admin/audit/?target={code}").get_data(as_text=True)
    assert "case.view" in page and "case.acknowledge" in page and who in page
    assert "login" not in admin.get(f"/admin/audit/?target={code}&action=case.ack").get_data(
        as_text=True).split("<tbody>")[1]
    mine = admin.get("/admin/audit/?actor=alpha@").get_data(as_text=True)
    assert "case.view" in mine
