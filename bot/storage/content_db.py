"""Guidance content in the database: loaded from the files once, served, exported back to files.

Rules:
- The files fill an empty database only; once loaded, the database is the editors' copy and only an
  explicit import overwrites it.
- Documents cross this boundary as the same plain dicts the files give, so files -> database ->
  files is lossless and the bot's lookups (ContentIndex) are shared with the file store.
- Every change of a topic text bumps its version and keeps the old one in the history table.
- Functions here flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content.docs import ContentDocs, Doc, load_docs, write_docs
from bot.content.files import CONTENT_DIR
from bot.content.store import ContentIndex
from bot.storage.models.content import (
    Agency,
    AgencyList,
    HotlineDirectory,
    HotlineRow,
    Topic,
    TopicText,
    TopicTextVersion,
)
from bot.storage.models.core import utcnow

TEXT_COLUMNS = ("status", "title", "sms", "long")
TOPIC_KEYS = ("stages", "related", "hotline_kinds", "reviewed_on", "review_every_days", "sources")
DATE_KEYS = frozenset({"reviewed_on", "checked_on", "compiled_on"})
# Hotline entry keys with their own column (`id` is stored as entry_id).
HOTLINE_COLUMNS = (
    "number", "kind", "also_kinds", "name", "purpose", "languages", "languages_inferred", "hours",
    "source", "source_title", "source_date", "also_reported_by", "notes", "verified", "checked_on",
)  # fmt: skip


class DbContentStore(ContentIndex):
    """The ContentSource built from the database: a snapshot, reloaded when editors publish."""

    @classmethod
    def load(cls, session: Session, serve_unreviewed: bool = True) -> DbContentStore:
        """A snapshot of everything in the database now."""
        return cls(load_docs_from_db(session), serve_unreviewed)


def sync_from_files(session: Session, root: Path = CONTENT_DIR, by: str = "files") -> list[str]:
    """Fill each empty part (topics, hotlines, agencies) from the files; return those loaded."""
    empty = [
        part
        for part, column in (
            ("topics", Topic.slug),
            ("hotlines", HotlineDirectory.country),
            ("agencies", AgencyList.country),
        )
        if session.scalar(select(column).limit(1)) is None
    ]
    if not empty:
        return []  # the usual case: no need to read the files at all
    docs = load_docs(root)
    for slug, doc in docs.topics.items() if "topics" in empty else ():
        save_topic(session, slug, doc, by)
    for country, doc in docs.hotlines.items() if "hotlines" in empty else ():
        save_hotlines(session, country, doc, by)
    for country, doc in docs.agencies.items() if "agencies" in empty else ():
        save_agencies(session, country, doc, by)
    session.flush()
    return empty


def import_files(session: Session, root: Path = CONTENT_DIR, by: str = "import") -> None:
    """Make the database say what the files say, keeping the version history of changed texts."""
    docs = load_docs(root)
    for topic in session.scalars(select(Topic)):
        if topic.slug not in docs.topics:
            session.delete(topic)
    for slug, doc in docs.topics.items():
        save_topic(session, slug, doc, by)
    # Hotlines and agencies have no history: replaced whole, through the ORM so cascades run.
    for old in [*session.scalars(select(HotlineDirectory)), *session.scalars(select(AgencyList))]:
        session.delete(old)
    session.flush()
    for country, doc in docs.hotlines.items():
        save_hotlines(session, country, doc, by)
    for country, doc in docs.agencies.items():
        save_agencies(session, country, doc, by)
    session.flush()


def export_to_files(session: Session, root: Path = CONTENT_DIR) -> list[Path]:
    """Write every topic, hotline directory and agency list of the database as YAML in `root`."""
    return write_docs(load_docs_from_db(session), root)


def save_topic(session: Session, slug: str, doc: Doc, by: str | None = None) -> Topic:
    """Create or update a topic and its texts from its document; texts it no longer has go."""
    topic = session.get(Topic, slug) or Topic(slug=slug)
    meta = _jsonable({k: v for k, v in doc.items() if k not in ("slug", "text", "variants")})
    if topic.meta != meta:
        topic.meta, topic.updated_at, topic.updated_by = meta, utcnow(), by
    session.add(topic)
    stored = {
        (t.lang, t.variant): t for t in session.scalars(select(TopicText).filter_by(slug=slug))
    }
    layers = [("", doc.get("text") or {})]
    layers += [(str(key), by_lang or {}) for key, by_lang in (doc.get("variants") or {}).items()]
    for variant, by_lang in layers:
        for lang, fields in by_lang.items():
            row = stored.pop((str(lang), variant), None)
            _store_text(session, row, (slug, str(lang), variant), fields or {}, by)
    for gone in stored.values():
        session.delete(gone)
    session.flush()
    return topic


def save_text(
    session: Session, slug: str, lang: str, variant: str, fields: Mapping[str, Any], by: str | None
) -> TopicText:
    """Store one text as a new version when it differs from the stored one."""
    row = session.scalar(select(TopicText).filter_by(slug=slug, lang=lang, variant=variant))
    stored = _store_text(session, row, (slug, lang, variant), fields, by)
    session.flush()
    return stored


def _store_text(
    session: Session,
    row: TopicText | None,
    key: tuple[str, str, str],
    fields: Mapping[str, Any],
    by: str | None,
) -> TopicText:
    values = {c: _str_or_none(fields.get(c)) for c in TEXT_COLUMNS}
    extra = _jsonable({k: v for k, v in fields.items() if k not in TEXT_COLUMNS}) or None
    if row is None:
        slug, lang, variant = key
        row = TopicText(slug=slug, lang=lang, variant=variant, version=0)
        session.add(row)
    elif all(getattr(row, c) == v for c, v in values.items()) and row.extra == extra:
        return row
    for column, value in values.items():
        setattr(row, column, value)
    row.extra, row.version, row.updated_at, row.updated_by = extra, row.version + 1, utcnow(), by
    # Linked through the relationship, so one flush inserts the text and its version together.
    session.add(
        TopicTextVersion(text=row, version=row.version, extra=extra, saved_by=by, **values)
    )
    return row


def save_hotlines(session: Session, country: str, doc: Doc, by: str | None = None) -> None:
    """Store one country's hotline directory, entries in file order."""
    meta = _jsonable({k: v for k, v in doc.items() if k not in ("country", "entries")})
    directory = HotlineDirectory(country=country, meta=meta, updated_by=by)
    for position, entry in enumerate(doc.get("entries") or []):
        known = {c: entry.get(c) for c in HOTLINE_COLUMNS if c in entry}
        known["checked_on"] = _as_date(entry.get("checked_on"))
        if isinstance(known.get("source_date"), date):
            known["source_date"] = known["source_date"].isoformat()
        extra = {k: v for k, v in entry.items() if k not in HOTLINE_COLUMNS and k != "id"}
        directory.entries.append(
            HotlineRow(
                position=position,
                entry_id=str(entry.get("id") or position),
                extra=_jsonable(extra) or None,
                updated_by=by,
                **known,
            )
        )
    session.add(directory)
    session.flush()


def save_agencies(session: Session, country: str, doc: Doc, by: str | None = None) -> None:
    """Store one destination's agency list, agencies in file order."""
    meta = {
        k: v for k, v in doc.items() if k not in ("country", "source", "checked_on", "agencies")
    }
    listed = AgencyList(
        country=country,
        source=str(doc.get("source") or ""),
        checked_on=_as_date(doc.get("checked_on")),
        meta=_jsonable(meta),
        updated_by=by,
    )
    for position, agency in enumerate(doc.get("agencies") or []):
        extra = {k: v for k, v in agency.items() if k not in ("name", "licence")}
        listed.agencies.append(
            Agency(
                position=position,
                name=str(agency.get("name") or ""),
                licence=_str_or_none(agency.get("licence")),
                extra=_jsonable(extra) or None,
            )
        )
    session.add(listed)
    session.flush()


def load_docs_from_db(session: Session) -> ContentDocs:
    """The database's content as the same plain documents the files hold."""
    docs = ContentDocs()
    texts: dict[str, list[TopicText]] = {}
    for text in session.scalars(select(TopicText).order_by(TopicText.id)):
        texts.setdefault(text.slug, []).append(text)
    for topic in session.scalars(select(Topic).order_by(Topic.slug)):
        docs.topics[topic.slug] = _topic_doc(topic, texts.get(topic.slug, []))
    for directory in session.scalars(select(HotlineDirectory).order_by(HotlineDirectory.country)):
        docs.hotlines[directory.country] = {
            "country": directory.country,
            **_dated(directory.meta),
            "entries": [_hotline_doc(row) for row in directory.entries],
        }
    for listed in session.scalars(select(AgencyList).order_by(AgencyList.country)):
        docs.agencies[listed.country] = {
            "country": listed.country,
            "source": listed.source,
            **_dated(listed.meta),
            "checked_on": listed.checked_on,
            "agencies": [_agency_doc(a) for a in listed.agencies],
        }
    return docs


def _topic_doc(topic: Topic, texts: list[TopicText]) -> Doc:
    meta = _dated(topic.meta)
    doc: Doc = {"slug": topic.slug, **{k: meta.pop(k) for k in TOPIC_KEYS if k in meta}}
    doc["text"] = {t.lang: _text_doc(t) for t in texts if not t.variant}
    variants: dict[str, Doc] = {}
    for text in texts:
        if text.variant:
            variants.setdefault(text.variant, {})[text.lang] = _text_doc(text)
    if variants:
        doc["variants"] = variants
    return {**doc, **meta}


def _text_doc(text: TopicText) -> Doc:
    doc = {c: getattr(text, c) for c in TEXT_COLUMNS if getattr(text, c) is not None}
    return {**doc, **(text.extra or {})}


def _hotline_doc(row: HotlineRow) -> Doc:
    doc: Doc = {"id": row.entry_id, **{c: getattr(row, c) for c in HOTLINE_COLUMNS}}
    return {**doc, **_dated(row.extra or {})}


def _agency_doc(agency: Agency) -> Doc:
    doc: Doc = {"name": agency.name}
    if agency.licence is not None:
        doc["licence"] = agency.licence
    return {**doc, **_dated(agency.extra or {})}


def _jsonable(value: Any) -> Any:
    """JSON-safe copy: dates become ISO strings (turned back by `_dated` for DATE_KEYS)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _dated(meta: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _as_date(v) if k in DATE_KEYS else v for k, v in meta.items()}


def _as_date(value: Any) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)
