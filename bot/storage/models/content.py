"""Guidance content as editors change it: topics, texts and their versions, hotlines, agencies.

Each table mirrors one part of a YAML file in bot/content/; `extra` and `meta` JSON keep any key
the columns do not name, so files -> database -> files loses nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.db import Base
from bot.storage.models.core import utcnow


class Topic(Base):
    """One guidance topic: its slug and the facts around its text (stages, related, sources...)."""

    __tablename__ = "content_topics"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    # stages, related, hotline_kinds, sources, reviewed_on (ISO), review_every_days, keywords, ...
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(254))

    texts: Mapped[list[TopicText]] = relationship(
        back_populates="topic", cascade="all, delete-orphan", order_by="TopicText.id"
    )


class TopicText(Base):
    """A topic's text in one language: the base text (variant '') or a 'TH' / 'MM-TH' variant."""

    __tablename__ = "content_topic_texts"
    __table_args__ = (UniqueConstraint("slug", "lang", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(
        ForeignKey("content_topics.slug", ondelete="CASCADE"), index=True
    )
    lang: Mapped[str] = mapped_column(String(8))
    variant: Mapped[str] = mapped_column(String(8), default="")
    # None means the file leaves the field out (variants replace only some fields, have no status).
    title: Mapped[str | None] = mapped_column(Text)
    sms: Mapped[str | None] = mapped_column(Text)
    long: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(16))
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(254))

    topic: Mapped[Topic] = relationship(back_populates="texts")
    versions: Mapped[list[TopicTextVersion]] = relationship(
        back_populates="text", cascade="all, delete-orphan", order_by="TopicTextVersion.version"
    )


class TopicTextVersion(Base):
    """Every saved version of a topic text, kept for diff and rollback."""

    __tablename__ = "content_topic_text_versions"
    __table_args__ = (UniqueConstraint("text_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(
        ForeignKey("content_topic_texts.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    sms: Mapped[str | None] = mapped_column(Text)
    long: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(16))
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    saved_by: Mapped[str | None] = mapped_column(String(254))

    text: Mapped[TopicText] = relationship(back_populates="versions")


class HotlineDirectory(Base):
    """One country's hotline file: where it was compiled from, and its entries."""

    __tablename__ = "content_hotline_directories"

    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    meta: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict
    )  # compiled_from, compiled_on...
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(254))

    entries: Mapped[list[HotlineRow]] = relationship(
        back_populates="directory", cascade="all, delete-orphan", order_by="HotlineRow.position"
    )


class HotlineRow(Base):
    """One phone number with its source; only verified rows are ever sent to migrants."""

    __tablename__ = "content_hotlines"
    __table_args__ = (UniqueConstraint("country", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(
        ForeignKey("content_hotline_directories.country", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # file order is the order the bot offers
    entry_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(24))
    also_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    name: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    hours: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    source_title: Mapped[str] = mapped_column(Text, default="")
    source_date: Mapped[str | None] = mapped_column(String(16))
    also_reported_by: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    checked_on: Mapped[date | None] = mapped_column(Date)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(254))

    directory: Mapped[HotlineDirectory] = relationship(back_populates="entries")


class AgencyList(Base):
    """The licensed recruitment agencies of one destination country, copied from its register."""

    __tablename__ = "content_agency_lists"

    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    source: Mapped[str] = mapped_column(Text, default="")
    checked_on: Mapped[date | None] = mapped_column(Date)  # None: no checked list yet
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # source_url, ...
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(254))

    agencies: Mapped[list[Agency]] = relationship(
        back_populates="agency_list", cascade="all, delete-orphan", order_by="Agency.position"
    )


class Agency(Base):
    """One licensed agency: its name, licence number and any other names it trades under."""

    __tablename__ = "content_agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(
        ForeignKey("content_agency_lists.country", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    licence: Mapped[str | None] = mapped_column(String(64))
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # aliases, address, expires, ...

    agency_list: Mapped[AgencyList] = relationship(back_populates="agencies")
