"""The partners' inbox and case page: their cases only, urgent first, every view audited.

Rules:
- Every case query starts from `scoped()`: a partner account sees only its organisation's cases
  (none without one), an admin sees all. A case outside the scope is a 404, exactly like a case
  that does not exist, so guessing codes or ids teaches nothing.
- Opening a case writes a `case.view` audit entry; every change goes through bot.reports.cases,
  which writes its own entry and timeline event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _
from sqlalchemy import Select, case, false, select

from admin import audit
from admin.accounts import aware
from admin.labels import (
    AGE_GROUPS,
    CATEGORIES,
    COUNTRIES,
    EVENTS,
    FOLLOWUPS,
    LANGUAGES,
    OUTCOMES,
    STATUSES,
)
from admin.web import allow, go, user
from bot.reports import cases as actions
from bot.storage.db import get_session
from bot.storage.models import OPEN_STATUSES, AdminUser, Case, Partner, utcnow

bp = Blueprint("cases", __name__, url_prefix="/cases")
CASE_ROLES = ("partner", "admin")
PAGE = 50
FILTERS = ("status", "urgency", "country", "category", "lang")


def scoped(account: AdminUser) -> Select[Any]:
    """The cases this account may see, and nothing else."""
    query = select(Case)
    if account.role == "admin":
        return query
    if account.role == "partner" and account.partner_id is not None:
        return query.where(Case.partner_id == account.partner_id)
    return query.where(false())


def filtered(query: Select[Any], args: dict[str, str]) -> Select[Any]:
    """The inbox filters: status (open by default), urgency, country, category, language."""
    status = args.get("status", "open")
    if status == "open":
        query = query.where(Case.status.in_(OPEN_STATUSES))
    elif status in STATUSES:
        query = query.where(Case.status == status)
    if args.get("urgency") == "urgent":
        query = query.where(Case.urgent.is_(True))
    elif args.get("urgency") == "normal":
        query = query.where(Case.urgent.is_(False))
    for name, column in (("country", Case.country), ("category", Case.category),
                         ("lang", Case.lang)):
        if args.get(name):
            query = query.where(column == args[name])
    return query


def inbox_order(query: Select[Any]) -> Select[Any]:
    """Urgent cases still waiting for acknowledgement first, then urgent, then newest."""
    waiting = case((Case.urgent.is_(True) & Case.acknowledged_at.is_(None), 0), else_=1)
    urgent = case((Case.urgent.is_(True), 0), else_=1)
    return query.order_by(waiting, urgent, Case.created_at.desc(), Case.id.desc())


def sla(found: Case, now: datetime) -> tuple[str, int] | None:
    """("left" | "late", minutes) for an urgent case not yet acknowledged; None otherwise."""
    due = aware(found.ack_due_at)
    if not found.urgent or found.acknowledged_at is not None or due is None:
        return None
    seconds = (due - now).total_seconds()
    return ("left", int(seconds // 60)) if seconds >= 0 else ("late", int(-seconds // 60))


@bp.get("/")
@allow(*CASE_ROLES)
def inbox():  # type: ignore[no-untyped-def]
    """The account's cases, urgent and newest first, with filters and the SLA clock."""
    args = {k: request.args.get(k, "") for k in FILTERS}
    args["status"] = args["status"] or "open"
    page = max(request.args.get("page", 1, type=int), 1)
    query = inbox_order(filtered(scoped(user()), args))
    rows = get_session().scalars(query.limit(PAGE + 1).offset((page - 1) * PAGE)).all()
    now = utcnow()
    names = _partner_names() if user().role == "admin" else {}
    return render_template(
        "admin/inbox.html", cases=rows[:PAGE], more=len(rows) > PAGE, page=page, args=args,
        clocks={c.id: sla(c, now) for c in rows}, partner_names=names, statuses=STATUSES,
        countries=COUNTRIES, categories=CATEGORIES, languages=LANGUAGES,
    )


def _partner_names() -> dict[int, str]:
    return {p.id: p.name for p in get_session().scalars(select(Partner))}


def load_case(code: str) -> Case:
    """The case with this code, if this account may see it; else 404."""
    found: Case | None = get_session().scalar(
        scoped(user()).where(Case.code == code.strip().upper())
    )
    if found is None:
        abort(404)
    return found


@bp.get("/<code>")
@allow(*CASE_ROLES)
def show(code: str):  # type: ignore[no-untyped-def]
    """The case: redacted report, timeline, relay messages and what can be done next."""
    found = load_case(code)
    audit.record("case.view", "case", found.code)
    get_session().commit()
    db = get_session()
    others = db.scalars(select(Partner).where(Partner.active.is_(True), Partner.id
                                              != (found.partner_id or -1)).order_by(Partner.name))
    items: list[Any] = [*found.events, *found.messages]
    timeline = sorted(items, key=lambda item: (aware(item.at), item.id))
    return render_template(
        "admin/case.html", case=found, clock=sla(found, utcnow()), timeline=timeline,
        partners=list(others), partner_names=_partner_names(), statuses=STATUSES,
        outcomes=OUTCOMES, categories=CATEGORIES, countries=COUNTRIES, languages=LANGUAGES,
        ages=AGE_GROUPS, followups=FOLLOWUPS, events=EVENTS,
    )


def _act(code: str, action: str, fn):  # type: ignore[no-untyped-def]
    """Runs one case action and commits it with its audit entry, or shows why not."""
    found = load_case(code)
    try:
        fn(get_session(), found)
    except actions.CaseError as problem:
        get_session().rollback()
        flash(_("Not done: %(why)s", why=str(problem)), "error")
        return go("admin.cases.show", code=found.code)
    get_session().commit()
    flash(action, "info")
    if user().role != "admin" and found.partner_id != user().partner_id:
        return go("admin.cases.inbox")  # handed to another partner: no longer ours to see
    return go("admin.cases.show", code=found.code)


@bp.post("/<code>/acknowledge")
@allow(*CASE_ROLES)
def acknowledge(code: str):  # type: ignore[no-untyped-def]
    return _act(code, _("Acknowledged."),
                lambda db, c: actions.acknowledge(db, c, user()))


@bp.post("/<code>/status")
@allow(*CASE_ROLES)
def status(code: str):  # type: ignore[no-untyped-def]
    """Acknowledged or in progress (reopens a closed case)."""
    new = request.form.get("status", "")
    return _act(code, _("Status changed."),
                lambda db, c: actions.change_status(db, c, new, user()))


@bp.post("/<code>/close")
@allow(*CASE_ROLES)
def close(code: str):  # type: ignore[no-untyped-def]
    outcome = request.form.get("outcome", "")
    return _act(code, _("Case closed."),
                lambda db, c: actions.close_case(db, c, outcome, user()))


@bp.post("/<code>/refer")
@allow(*CASE_ROLES)
def refer(code: str):  # type: ignore[no-untyped-def]
    """To another partner here (which then owns the case) or to an outside organisation."""
    partner_id = request.form.get("partner_id", type=int)
    outside = request.form.get("organisation", "").strip() or None
    target = get_session().get(Partner, partner_id) if partner_id else None
    if partner_id and target is None:
        abort(404)
    return _act(code, _("Case referred."), lambda db, c: actions.refer(
        db, c, user(), to_partner=target, to_organisation=None if target else outside))


@bp.post("/<code>/relay")
@allow(*CASE_ROLES)
def relay(code: str):  # type: ignore[no-untyped-def]
    """Writes to the reporter over their own channel; the number is never shown."""
    text = request.form.get("text", "").replace("\r\n", "\n")
    return _act(code, _("Message queued to the reporter."),
                lambda db, c: actions.relay_to_reporter(db, c, user(), text))


@bp.post("/<code>/note")
@allow(*CASE_ROLES)
def note(code: str):  # type: ignore[no-untyped-def]
    text = request.form.get("text", "").replace("\r\n", "\n")
    return _act(code, _("Note added."), lambda db, c: actions.add_note(db, c, user(), text))


@bp.post("/<code>/reassign")
@allow("admin")
def reassign(code: str):  # type: ignore[no-untyped-def]
    """An admin gives the case to another partner (an unrouted or stuck case)."""
    target = get_session().get(Partner, request.form.get("partner_id", type=int) or -1)
    if target is None:
        abort(404)
    reason = request.form.get("reason", "").strip()[:200] or None
    return _act(code, _("Case reassigned."),
                lambda db, c: actions.reassign(db, c, target, user(), reason=reason))
