"""Partner organisations, their routing rules, cases with their history and messages, and the
durable queue of partner notifications.

Rules:
- A case holds only redacted text and anonymous fields; `contact_id` is the one link to a person
  and is cleared when the person asks to be forgotten or the closed case is anonymised.
- A notification row holds no identifying data: the payload is built from anonymous case fields.
- A partner's webhook secret is stored sealed by the vault, like reply addresses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.db import Base
from bot.storage.models.core import utcnow

STATUSES = ("new", "assigned", "acknowledged", "in_progress", "referred", "closed")
OPEN_STATUSES = ("new", "assigned", "acknowledged", "in_progress", "referred")
OUTCOMES = (
    "safe",
    "assisted_in_place",
    "returned_reintegrated",
    "in_shelter",
    "re_migrated",
    "re_trafficked",
    "referred",
    "lost_contact",
    "declined_help",
    "unknown",
)


def _list() -> list[str]:
    return []


class Partner(Base):
    """An organisation that takes reports: where and whom it serves, and how it is told."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # ngo | union | legal-aid | child-protection | shelter | io | government | police
    kind: Mapped[str] = mapped_column(String(32), default="ngo")
    countries: Mapped[list[str]] = mapped_column(JSON, default=_list)
    provinces: Mapped[list[str]] = mapped_column(JSON, default=_list)
    categories: Mapped[list[str]] = mapped_column(JSON, default=_list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=_list)
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=_list)
    services: Mapped[list[str]] = mapped_column(JSON, default=_list)
    admission_criteria: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret_sealed: Mapped[str | None] = mapped_column(Text)
    on_call: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    rules: Mapped[list[RoutingRule]] = relationship(
        back_populates="partner", cascade="all, delete-orphan"
    )


class RoutingRule(Base):
    """Sends matching reports to a partner; an empty list matches anything; most specific wins."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    countries: Mapped[list[str]] = mapped_column(JSON, default=_list)
    provinces: Mapped[list[str]] = mapped_column(JSON, default=_list)
    categories: Mapped[list[str]] = mapped_column(JSON, default=_list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=_list)
    age_groups: Mapped[list[str]] = mapped_column(JSON, default=_list)
    urgent_only: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    partner: Mapped[Partner] = relationship(back_populates="rules")


class Case(Base):
    """One report: anonymous fields, redacted text, one owning partner at a time, a timeline."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    outcome: Mapped[str | None] = mapped_column(String(32))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="SET NULL"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    category: Mapped[str | None] = mapped_column(String(32))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    danger: Mapped[bool | None] = mapped_column(Boolean)
    for_self: Mapped[bool | None] = mapped_column(Boolean)
    age_group: Mapped[str | None] = mapped_column(String(16))
    people: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    province: Mapped[str | None] = mapped_column(String(120))  # redacted
    lang: Mapped[str | None] = mapped_column(String(8))
    channel: Mapped[str | None] = mapped_column(String(16))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)  # redacted
    tried_partner_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ack_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    followup_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    followup_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # none | pending | sent | safe | need_help | no_answer | skipped
    followup_state: Mapped[str] = mapped_column(String(16), default="none")
    relay_open: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    partner: Mapped[Partner | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )
    messages: Mapped[list[CaseMessage]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseMessage.id"
    )


class CaseEvent(Base):
    """The case's history: status changes, assignments, escalations, follow-ups (no free text)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # status | assigned | escalated | followup ...
    status: Mapped[str | None] = mapped_column(String(16))  # the status after this event
    partner_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(254), default="helpline")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")


class CaseMessage(Base):
    """A relay message to or from the reporter, or a partner's internal note; always redacted."""

    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # to_reporter | from_reporter | note
    author: Mapped[str] = mapped_column(String(254))  # a staff label, or "reporter"
    body: Mapped[str | None] = mapped_column(Text)  # redacted; purged after retention
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    case: Mapped[Case] = relationship(back_populates="messages")


class Notification(Base):
    """A notice to a partner or the admins, queued with its change and retried until sent."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(16))  # email | webhook
    # A partner's or an admin's address, never a reporter's.
    target: Mapped[str] = mapped_column(String(500))
    event: Mapped[str] = mapped_column(String(32))  # case.new | case.escalated | case.assigned ...
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
