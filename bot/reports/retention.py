"""Retention: what is kept only for a while is removed once HELPLINE_RETENTION_DAYS have passed.

Rules:
- Message bodies (already redacted), finished outbox texts, case messages and unanswered
  questions lose their text; messages never answered in that time are dropped;
  the rows stay, so the figures (messages a day, time to answer) still add up.
- Sealed reply addresses not used for that long are deleted: nobody can be written to any more.
- Closed cases older than that are anonymised: only category, urgency, place, dates and outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import delete, select, update

from bot.reports.audit import audit
from bot.reports.filing import anonymise
from bot.reports.policy import policy
from bot.storage.db import transaction
from bot.storage.models import (
    Case,
    CaseMessage,
    ContactAddress,
    Interaction,
    Message,
    OutboxMessage,
    PendingInbound,
)


@dataclass(frozen=True)
class Purged:
    """How much one purge removed."""

    message_bodies: int
    case_messages: int
    addresses: int
    cases: int


def purge(app: Flask, now: datetime | None = None, days: int | None = None) -> Purged:
    """Removes what is older than the retention period, in one transaction."""
    now = now or datetime.now(UTC)
    days = policy(app).retention_days if days is None else days
    cutoff = now - timedelta(days=days)
    with transaction(app) as session:
        bodies = session.execute(
            update(Message)
            .where(Message.created_at < cutoff, Message.body.is_not(None))
            .values(body=None)
        ).rowcount  # type: ignore[attr-defined]
        bodies += session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.created_at < cutoff,
                OutboxMessage.status.in_(("sent", "failed", "cancelled")),
                OutboxMessage.text != "",
            )
            .values(text="", choices=[])
        ).rowcount  # type: ignore[attr-defined]
        # Unanswered questions (redacted) are the editors' to-do list only while they are fresh.
        bodies += session.execute(
            update(Interaction)
            .where(Interaction.created_at < cutoff, Interaction.text.is_not(None))
            .values(text=None)
        ).rowcount  # type: ignore[attr-defined]
        # A message that could not be answered in all that time will not be: drop its sealed copy.
        bodies += session.execute(
            delete(PendingInbound).where(PendingInbound.received_at < cutoff)
        ).rowcount  # type: ignore[attr-defined]
        case_messages = session.execute(
            update(CaseMessage)
            .where(CaseMessage.at < cutoff, CaseMessage.body.is_not(None))
            .values(body=None)
        ).rowcount  # type: ignore[attr-defined]
        addresses = session.execute(
            delete(ContactAddress).where(ContactAddress.updated_at < cutoff)
        ).rowcount  # type: ignore[attr-defined]
        closed = session.scalars(
            select(Case).where(
                Case.status == "closed", Case.closed_at < cutoff, Case.anonymised_at.is_(None)
            )
        ).all()
        for case in closed:
            anonymise(session, case, now, "retention")
        result = Purged(bodies, case_messages, addresses, len(closed))
        audit(
            session,
            "purge",
            "retention.purge",
            "database",
            None,
            {"days": days, **result.__dict__},
            at=now,
        )
    return result
