"""The editors' working copies and the content revision the bot reloads on.

Rules:
- A draft is an editor's unpublished text for one topic, language and variant. It is never served
  and never replaces the live text, so saving a draft of a published translation changes nothing
  a migrant sees until it is published.
- Every publish, rollback or import adds a ContentRevision row. `content_revision()` (the newest
  id) is the token the bot compares to know when to rebuild its content index.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.storage.db import Base
from bot.storage.models.core import utcnow


class ContentDraft(Base):
    """An editor's unpublished text for one topic in one language (variant '' is the base text)."""

    __tablename__ = "content_drafts"
    __table_args__ = (UniqueConstraint("slug", "lang", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    variant: Mapped[str] = mapped_column(String(8), default="")
    title: Mapped[str | None] = mapped_column(Text)
    sms: Mapped[str | None] = mapped_column(Text)
    long: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(200))
    base_version: Mapped[int] = mapped_column(Integer, default=0)  # live version it began from
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(254))


class ContentRevision(Base):
    """One published change of the guidance library (publish, rollback, hotline edit, import)."""

    __tablename__ = "content_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    what: Mapped[str] = mapped_column(String(200))
    by: Mapped[str | None] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def content_revision(session: Session) -> int:
    """The newest content revision: changes whenever editors publish anything."""
    return int(session.scalar(select(func.max(ContentRevision.id))) or 0)


def bump_revision(session: Session, what: str, by: str | None) -> ContentRevision:
    """Records a published change; the caller commits it with the change itself."""
    row = ContentRevision(what=what[:200], by=by, at=utcnow())
    session.add(row)
    return row
