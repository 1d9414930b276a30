"""The admins' screen for partner organisations and the routing rules that send them reports."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from admin import audit
from admin.labels import AGE_GROUPS, CATEGORIES, COUNTRIES, LANGUAGES
from admin.web import allow, go
from bot.storage.db import get_session
from bot.storage.models import Partner, RoutingRule

bp = Blueprint("partners", __name__, url_prefix="/partners")
KINDS = ("ngo", "union", "legal-aid", "child-protection", "shelter", "io", "government", "police")
LISTS = {"countries": COUNTRIES, "categories": CATEGORIES, "languages": LANGUAGES}
FLAGS = ("active", "on_call", "fallback")


def _picked(name: str, allowed: dict[str, object]) -> list[str]:
    return [v for v in request.form.getlist(name) if v in allowed]


def _partner_values() -> dict[str, object]:
    name = request.form.get("name", "").strip()[:200]
    if not name:
        abort(400)
    kind = request.form.get("kind", "ngo")
    values: dict[str, object] = {
        "name": name,
        "kind": kind if kind in KINDS else "ngo",
        "email": request.form.get("email", "").strip()[:254] or None,
        "provinces": [p.strip() for p in request.form.get("provinces", "").split(",")
                      if p.strip()],
        **{key: _picked(key, table) for key, table in LISTS.items()},
        **{flag: request.form.get(flag) == "1" for flag in FLAGS},
    }
    return values


@bp.route("/", methods=["GET", "POST"])
@allow("admin")
def index():  # type: ignore[no-untyped-def]
    """Every partner with its rules, and the form to add one."""
    db = get_session()
    if request.method == "POST":
        values = _partner_values()
        if db.scalar(select(Partner).where(Partner.name == values["name"])):
            flash(_("A partner with that name exists."), "error")
            return go("admin.partners.index")
        partner = Partner(**values)
        db.add(partner)
        db.flush()
        audit.record("partner.create", "partner", partner.id, detail=_loggable(values))
        db.commit()
        return go("admin.partners.edit", partner_id=partner.id)
    partners = db.scalars(select(Partner).order_by(Partner.name)).all()
    return render_template("admin/partners.html", partners=partners, kinds=KINDS, lists=LISTS,
                           partner=None)


def _loggable(values: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in values.items() if k != "email"}


def _partner(partner_id: int) -> Partner:
    found = get_session().get(Partner, partner_id)
    if found is None:
        abort(404)
    return found


@bp.route("/<int:partner_id>", methods=["GET", "POST"])
@allow("admin")
def edit(partner_id: int):  # type: ignore[no-untyped-def]
    """A partner's profile and its routing rules."""
    partner = _partner(partner_id)
    if request.method == "POST":
        values = _partner_values()
        changed = {k: v for k, v in values.items() if getattr(partner, k) != v}
        for key, value in values.items():
            setattr(partner, key, value)
        audit.record("partner.update", "partner", partner.id, detail=_loggable(changed))
        get_session().commit()
        flash(_("Saved."), "info")
        return go("admin.partners.edit", partner_id=partner.id)
    return render_template("admin/partner_edit.html", partner=partner, kinds=KINDS, lists=LISTS,
                           ages=AGE_GROUPS)


@bp.post("/<int:partner_id>/rules")
@allow("admin")
def add_rule(partner_id: int):  # type: ignore[no-untyped-def]
    """A rule: reports matching every named criterion go to this partner (empty = any)."""
    partner = _partner(partner_id)
    rule = RoutingRule(
        partner_id=partner.id,
        provinces=[p.strip() for p in request.form.get("provinces", "").split(",") if p.strip()],
        age_groups=_picked("age_groups", AGE_GROUPS),
        urgent_only=request.form.get("urgent_only") == "1",
        priority=request.form.get("priority", 0, type=int),
        active=True,
        **{key: _picked(key, table) for key, table in LISTS.items()},
    )
    get_session().add(rule)
    get_session().flush()
    audit.record("rule.create", "routing_rule", rule.id, detail={"partner_id": partner.id})
    get_session().commit()
    return go("admin.partners.edit", partner_id=partner.id)


@bp.post("/<int:partner_id>/rules/<int:rule_id>")
@allow("admin")
def rule(partner_id: int, rule_id: int):  # type: ignore[no-untyped-def]
    """Switch a rule off or on, or delete it."""
    found = get_session().get(RoutingRule, rule_id)
    if found is None or found.partner_id != partner_id:
        abort(404)
    action = request.form.get("action")
    if action == "delete":
        get_session().delete(found)
    else:
        found.active = action == "on"
    audit.record(f"rule.{action}", "routing_rule", rule_id, detail={"partner_id": partner_id})
    get_session().commit()
    return go("admin.partners.edit", partner_id=partner_id)
