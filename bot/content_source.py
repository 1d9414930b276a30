"""Which guidance the bot serves: the published content in the database, reloaded after edits.

Rules:
- The database is the editors' copy of the library; an empty one is filled from the files once,
  inside the caller's transaction (a savepoint, so two first messages cannot both load it).
- The revision token is `content_revision()` (bot/storage/models/editorial.py): the admin panel
  bumps it on every publish, rollback, hotline change and import, so the engine is rebuilt exactly
  when editors publish, and a saved draft changes nothing the bot says.
- The token is read at most once per CONTENT_TTL_SECONDS (HELPLINE_CONTENT_TTL_SECONDS, default
  2 s; 0 under TESTING unless set), not on every message: a publish reaches the bot within that
  time, and at once in the process that committed it. Until content is cached, every call checks
  the database and loads the files into an empty one.
- Without a session (tools, tests) a short one of our own is used.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from bot.core.content import ContentSource
from bot.storage.content_db import DbContentStore, sync_from_files
from bot.storage.db import new_session
from bot.storage.models import ContentRevision, Topic, content_revision
from bot.storage.models.editorial import bump_revision

CACHE = "helpline.content"
DEFAULT_TTL_SECONDS = 2.0
_PUBLISHING = "helpline.content_published"
_published = 0  # commits in this process that added a content revision


@dataclass(frozen=True)
class _Cached:
    revision: int
    store: ContentSource
    checked: float  # time.monotonic() of the revision check
    published: int  # _published when the check began
    ttl: float


def content_ttl(app: Flask) -> float:
    """Seconds a checked content revision is trusted before the database is asked again."""
    value = app.config.get("CONTENT_TTL_SECONDS")
    if value is None or value == "":
        return 0.0 if app.testing else DEFAULT_TTL_SECONDS
    return max(0.0, float(value))


def fresh_content(app: Flask) -> tuple[ContentSource, object] | None:
    """The cached content and its revision while they need no check; None when they do."""
    cached: _Cached | None = app.extensions.get(CACHE)
    if (
        cached is not None
        and cached.published == _published
        and time.monotonic() - cached.checked < cached.ttl
    ):
        return cached.store, cached.revision
    return None


def current_content(app: Flask, session: Session | None = None) -> tuple[ContentSource, object]:
    """The content to answer with and a revision token that changes when editors publish."""
    fresh = fresh_content(app)
    if fresh is not None:
        return fresh
    cached: _Cached | None = app.extensions.get(CACHE)
    if session is None:
        with new_session(app) as own, own.begin():
            return current_content(app, own)
    published, checked = _published, time.monotonic()
    revision = _revision_of_loaded(session)
    ttl = content_ttl(app)
    if cached is not None and cached.revision == revision:
        app.extensions[CACHE] = _Cached(revision, cached.store, checked, published, ttl)
        return cached.store, revision
    serve_unreviewed = str(app.config.get("SERVE_UNREVIEWED", True)).lower() in ("1", "true")
    store = DbContentStore.load(session, serve_unreviewed=serve_unreviewed)
    app.extensions[CACHE] = _Cached(revision, store, checked, published, ttl)
    return store, revision


def _revision_of_loaded(session: Session) -> int:
    """The content revision, after filling an empty content database; one query when loaded."""
    loaded, revision = session.execute(
        select(
            select(Topic.slug).limit(1).scalar_subquery(),
            select(func.max(ContentRevision.id)).scalar_subquery(),
        )
    ).one()
    if loaded is not None:
        return int(revision or 0)
    ensure_loaded(session)
    return content_revision(session)


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


@event.listens_for(ContentRevision, "after_insert")
def _revision_added(_mapper: Any, _connection: Any, target: ContentRevision) -> None:
    session = object_session(target)
    if session is not None:
        session.info[_PUBLISHING] = True


@event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    # A publish in this process is served from the next message on, without waiting for the TTL.
    global _published
    if session.info.pop(_PUBLISHING, False):
        _published += 1


@event.listens_for(Session, "after_rollback")
def _publish_rolled_back(session: Session) -> None:
    session.info.pop(_PUBLISHING, None)
