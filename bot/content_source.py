"""Which guidance the bot serves: the published content in the database, reloaded after edits.

Rules:
- The database is the editors' copy of the library; an empty one is filled from the files once,
  inside the caller's transaction (a savepoint, so two first messages cannot both load it).
- The revision token is `content_revision()` (bot/storage/models/editorial.py): the admin panel
  bumps it on every publish, rollback, hotline change and import, so the engine is rebuilt exactly
  when editors publish, and a saved draft changes nothing the bot says.
- Without a session (tools, tests) a short one of our own is used.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.content import ContentSource
from bot.storage.content_db import DbContentStore, sync_from_files
from bot.storage.db import new_session
from bot.storage.models import Topic, content_revision
from bot.storage.models.editorial import bump_revision

CACHE = "helpline.content"


def current_content(app: Flask, session: Session | None = None) -> tuple[ContentSource, object]:
    """The content to answer with and a revision token that changes when editors publish."""
    if session is None:
        with new_session(app) as own, own.begin():
            return current_content(app, own)
    ensure_loaded(session)
    revision = content_revision(session)
    cached = app.extensions.get(CACHE)
    if cached is not None and cached[0] == revision:
        return cached[1], revision
    serve_unreviewed = str(app.config.get("SERVE_UNREVIEWED", True)).lower() in ("1", "true")
    store = DbContentStore.load(session, serve_unreviewed=serve_unreviewed)
    app.extensions[CACHE] = (revision, store)
    return store, revision


def ensure_loaded(session: Session) -> None:
    """Fills an empty content database from the shipped files, once."""
    if session.scalar(select(Topic.slug).limit(1)) is not None:
        return
    try:
        with session.begin_nested():
            sync_from_files(session)
            bump_revision(session, "loaded from the content files", "files")
    except IntegrityError:
        pass  # another process loaded them at the same moment: theirs are the same files
