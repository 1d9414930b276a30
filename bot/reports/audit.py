"""Writing the audit trail and the case timeline, with the actor as a plain label."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.storage.models import AuditEntry, Case, CaseEvent, utcnow


def actor_label(actor: object) -> str:
    """ "cli", "helpline", or a staff account's e-mail: never a reporter."""
    if isinstance(actor, str):
        return actor
    for name in ("email", "username", "name"):
        value = getattr(actor, name, None)
        if value:
            return str(value)
    return type(actor).__name__


def audit(
    session: Session,
    actor: object,
    action: str,
    target_type: str,
    target_id: object,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Adds one audit entry in the caller's transaction; `detail` must hold no reporter text."""
    entry = AuditEntry(
        actor=actor_label(actor),
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        detail=detail or {},
        at=at or utcnow(),
    )
    session.add(entry)
    return entry


def event(
    case: Case,
    kind: str,
    actor: object,
    at: datetime,
    *,
    partner_id: int | None = None,
    **detail: Any,
) -> CaseEvent:
    """Adds one step to the case's timeline; the status recorded is the case's status after it."""
    step = CaseEvent(
        kind=kind,
        status=case.status,
        partner_id=partner_id if partner_id is not None else case.partner_id,
        actor=actor_label(actor),
        detail=detail,
        at=at,
    )
    case.events.append(step)
    return step
