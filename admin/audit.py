"""The audit log of every case view and every change (who, when, what), and the screen to read it.

Rules:
- `record` adds the entry to the request's session; the view commits it together with the change
  (or alone, for a view), so a change is never stored without its entry.
- Details hold ids, codes and field names, never a reporter's words.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import or_, select

from admin.web import allow, current_user
from bot.storage.db import get_session
from bot.storage.models import AdminUser, AuditEntry, utcnow

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE = 100


def actor_label(who: AdminUser | None) -> str:
    return who.email if who is not None else "anonymous"


def record(
    action: str,
    target_type: str,
    target_id: object = None,
    *,
    who: AdminUser | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Adds one entry for the current user (or `who`) to the request's session."""
    entry = AuditEntry(
        actor=actor_label(who or current_user()),
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        detail=detail or {},
        at=utcnow(),
    )
    get_session().add(entry)
    return entry


@bp.get("/")
@allow("admin")
def index():  # type: ignore[no-untyped-def]
    """The newest entries first, filtered by who, what, or which record."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    actor = request.args.get("actor", "").strip()
    action = request.args.get("action", "").strip()
    target = request.args.get("target", "").strip()
    days = request.args.get("days", type=int)
    if actor:
        query = query.where(AuditEntry.actor.contains(actor.lower()))
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if target:
        query = query.where(or_(AuditEntry.target_id == target, AuditEntry.target_type == target))
    if days:
        query = query.where(AuditEntry.at >= utcnow() - timedelta(days=days))
    page = max(request.args.get("page", 1, type=int), 1)
    rows = get_session().scalars(query.limit(PAGE + 1).offset((page - 1) * PAGE)).all()
    return render_template(
        "admin/audit.html",
        entries=rows[:PAGE],
        more=len(rows) > PAGE,
        page=page,
        filters={"actor": actor, "action": action, "target": target, "days": days or ""},
    )
