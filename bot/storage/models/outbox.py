"""The outbox: messages to send later, written in the same transaction as what caused them.

Rules:
- A row moves queued -> sending -> sent | failed | cancelled; `sending` always carries a lease
  (`locked_by`, `locked_until`), and a lease that expires means the outcome of that attempt is
  unknown (`uncertain`), so the next attempt first asks the provider whether it was accepted.
- The address is sealed by the vault and cleared once the row is finished.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.db import Base
from bot.storage.models.core import Message, utcnow

STATUSES = ("queued", "sending", "sent", "failed", "cancelled")


class OutboxMessage(Base):
    """One message waiting to be sent, or the record of how it was sent."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_ready", "status", "next_try_at"),
        Index("ix_outbox_contact_status", "contact_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Deleting a contact (DELETE) deletes what was still waiting to reach them.
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(16))
    address_sealed: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="queued")
    # The confirmation of STOP itself: the one message an opted-out person still receives.
    stop_notice: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    delivery_status: Mapped[str | None] = mapped_column(String(24))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    message: Mapped[Message | None] = relationship()  # the log row, given the provider's id
    locked_by: Mapped[str | None] = mapped_column(String(80))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(200))
