"""What editors do to guidance text: the status grid, drafts, publishing, history and rollback.

Rules:
- A draft lives in `content_drafts` and is never served; the live text changes only on publish
  or rollback, each of which stores a new version (bot.storage.content_db.save_text) and bumps
  the content revision in the same transaction, so the bot reloads exactly then.
- Publishing runs the library's own checks (bot.content.schema) on the new text: an error (an SMS
  over budget, a phone number in the text, an empty field) blocks it.
- Functions here flush but never commit: the view commits with its audit entry.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content.docs import ContentDocs
from bot.content.schema import Problem, check_all
from bot.content.taxonomy import LANGUAGES
from bot.storage.content_db import load_docs_from_db, save_text
from bot.storage.models import (
    ContentDraft,
    Topic,
    TopicText,
    TopicTextVersion,
    utcnow,
)
from bot.storage.models.editorial import bump_revision

FIELDS = ("title", "sms", "long")
GRID_LANGS = ("en", *(lang for lang in LANGUAGES if lang != "en"))


@dataclass(frozen=True)
class GridCell:
    """One topic in one language: its status for the grid, and whether a draft is waiting."""

    lang: str
    status: str  # missing | draft | needs-review | published | overdue
    has_draft: bool
    version: int


@dataclass(frozen=True)
class GridRow:
    slug: str
    title: str
    overdue: bool
    cells: list[GridCell]


def review_due(meta: dict[str, Any]) -> date | None:
    """The day the topic's facts are due for review, if it has a review rhythm."""
    try:
        reviewed = date.fromisoformat(str(meta.get("reviewed_on")))
        every = int(meta.get("review_every_days") or 0)
    except (TypeError, ValueError):
        return None
    return reviewed + timedelta(days=every) if every > 0 else None


def cell_status(text: TopicText | None, has_draft: bool, overdue: bool) -> str:
    """The grid's word for one text."""
    if text is None or not (text.sms or text.title):
        return "draft" if has_draft else "missing"
    status = text.status or "published"
    return "overdue" if overdue and status == "published" else status


def grid(db: Session, today: date) -> list[GridRow]:
    """Every topic by every language, with the status of its base text."""
    texts = {(t.slug, t.lang): t for t in db.scalars(select(TopicText).filter_by(variant=""))}
    drafts = {(d.slug, d.lang) for d in db.scalars(select(ContentDraft))}
    rows = []
    for topic in db.scalars(select(Topic).order_by(Topic.slug)):
        due = review_due(topic.meta or {})
        overdue = due is not None and due < today
        english = texts.get((topic.slug, "en"))
        cells = []
        for lang in GRID_LANGS:
            text = texts.get((topic.slug, lang))
            has_draft = (topic.slug, lang) in drafts
            cells.append(GridCell(lang, cell_status(text, has_draft, overdue), has_draft,
                                  text.version if text else 0))
        rows.append(GridRow(topic.slug, (english.title if english else None) or topic.slug,
                            overdue, cells))
    return rows


def live_text(db: Session, slug: str, lang: str, variant: str = "") -> TopicText | None:
    return db.scalar(select(TopicText).filter_by(slug=slug, lang=lang, variant=variant))


def draft_of(db: Session, slug: str, lang: str, variant: str = "") -> ContentDraft | None:
    return db.scalar(select(ContentDraft).filter_by(slug=slug, lang=lang, variant=variant))


def variants_of(db: Session, slug: str, lang: str) -> list[str]:
    query = select(TopicText.variant).filter_by(slug=slug, lang=lang).order_by(TopicText.variant)
    return [v for v in db.scalars(query) if v]


def save_draft(
    db: Session, slug: str, lang: str, variant: str, fields: dict[str, str], note: str, by: str
) -> ContentDraft:
    """Keeps the editor's text without serving it."""
    draft = draft_of(db, slug, lang, variant)
    if draft is None:
        live = live_text(db, slug, lang, variant)
        draft = ContentDraft(slug=slug, lang=lang, variant=variant,
                             base_version=live.version if live else 0)
        db.add(draft)
    for field in FIELDS:
        setattr(draft, field, fields.get(field) or None)
    draft.note, draft.updated_at, draft.updated_by = note or None, utcnow(), by
    db.flush()
    return draft


def discard_draft(db: Session, slug: str, lang: str, variant: str) -> None:
    draft = draft_of(db, slug, lang, variant)
    if draft is not None:
        db.delete(draft)
        db.flush()


def problems(db: Session, slug: str, lang: str, variant: str,
             fields: dict[str, str]) -> list[Problem]:
    """The library's checks for this text as it would be published (other texts ignored)."""
    docs = load_docs_from_db(db)
    doc = docs.topics.get(slug) or {"slug": slug}
    if variant:
        target = doc.setdefault("variants", {}).setdefault(variant, {}).setdefault(lang, {})
        where = f"topics/{slug}.yaml: variants.{variant}.{lang}"
    else:
        target = doc.setdefault("text", {}).setdefault(lang, {})
        target["status"] = "published"  # checked as it will be once published
        where = f"topics/{slug}.yaml: text.{lang}"
    for field in FIELDS:
        if fields.get(field):
            target[field] = fields[field]
        elif variant:
            target.pop(field, None)
    found = check_all(ContentDocs({slug: doc}, docs.hotlines, {}), date.today())
    return [p for p in found if p.where == where or p.where.startswith(where + ".")]


def publish(
    db: Session, slug: str, lang: str, variant: str, fields: dict[str, str], by: str,
    status: str = "published",
) -> TopicText:
    """Makes the text live as a new version, drops the draft and bumps the content revision."""
    live = live_text(db, slug, lang, variant)
    values: dict[str, Any] = dict((live.extra or {}) if live else {})
    for field in FIELDS:
        if fields.get(field):
            values[field] = fields[field]
    if not variant:
        values["status"] = status
    text = save_text(db, slug, lang, variant, values, by)
    discard_draft(db, slug, lang, variant)
    bump_revision(db, f"publish {slug}/{lang}{'/' + variant if variant else ''} v{text.version}",
                  by)
    db.flush()
    return text


def history(db: Session, text: TopicText) -> list[TopicTextVersion]:
    """Every stored version of a text, newest first."""
    query = select(TopicTextVersion).filter_by(text_id=text.id)
    return list(db.scalars(query.order_by(TopicTextVersion.version.desc())))


def rollback(db: Session, text: TopicText, version: int, by: str) -> TopicText:
    """Makes an old version live again, as a new version (history is never rewritten)."""
    old = db.scalar(select(TopicTextVersion).filter_by(text_id=text.id, version=version))
    if old is None:
        raise LookupError(version)
    values: dict[str, Any] = {f: getattr(old, f) for f in (*FIELDS, "status") if getattr(old, f)}
    values.update(old.extra or {})
    restored = save_text(db, text.slug, text.lang, text.variant, values, by)
    bump_revision(db, f"rollback {text.slug}/{text.lang} to v{version}", by)
    db.flush()
    return restored


def diff(before: str | None, after: str | None) -> Markup:
    """The change from `before` to `after`, character by character (works for every script)."""
    a, b = before or "", after or ""
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(a[i1:i2]))
            continue
        if i2 > i1:
            out.append(Markup("<del>{}</del>").format(a[i1:i2]))
        if j2 > j1:
            out.append(Markup("<ins>{}</ins>").format(b[j1:j2]))
    return Markup("").join(out)
