"""A small, valid content library built in each test, and a migrated SQLite database file."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from bot.content.docs import ContentDocs, write_docs
from bot.content.taxonomy import LANGUAGES, TOPIC_SLUGS
from bot.storage import db
from bot.storage.db import make_engine, migrate

TODAY = date(2026, 12, 1)
REVIEWED = date(2026, 11, 25)

# Made-up agency names: they exist only in these tests.
FAKE_AGENCIES: list[dict[str, Any]] = [
    {"name": "Golden Lotus Manpower Co., Ltd.", "licence": "TEST-001", "aliases": ["Lotus Jobs"]},
    {"name": "Blue River Recruitment Co., Ltd.", "licence": "TEST-002"},
    {"name": "Bright Harbour Employment Co., Ltd.", "licence": "TEST-003"},
]


def text(lang: str, label: str, status: str = "published") -> dict[str, Any]:
    """A valid base text: short, GSM-7 in English, no phone number."""
    return {
        "status": status,
        "title": f"{label} {lang}",
        "sms": f"Short advice about {label} in {lang}. Asking for help carries no penalty.",
        "long": f"Longer advice about {label} in {lang}.\n- First step.\n- Second step.",
    }


def topic(slug: str, **changes: Any) -> dict[str, Any]:
    """A topic document that passes every check."""
    doc: dict[str, Any] = {
        "slug": slug,
        "stages": ["thinking"],
        "related": [s for s in ("safe-migration", "documents") if s != slug],
        "hotline_kinds": ["labour"],
        "reviewed_on": REVIEWED,
        "review_every_days": 180,
        "sources": [{"title": "A made-up test source", "url": "https://example.org/source"}],
        "text": {lang: text(lang, slug) for lang in ("en", *LANGUAGES[:-1])},
        "keywords": {lang: [f"{slug} {lang}"] for lang in LANGUAGES},
    }
    doc.update(changes)
    return doc


def hotline(entry_id: str, number: str, kind: str, verified: bool, **more: Any) -> dict[str, Any]:
    """A hotline entry with every field of the directory's schema."""
    return {
        "id": entry_id,
        "number": number,
        "kind": kind,
        "also_kinds": more.pop("also_kinds", []),
        "name": more.pop("name", f"Test line {entry_id}"),
        "purpose": "Test purpose",
        "languages": more.pop("languages", []),
        "languages_inferred": False,
        "hours": "24 hours",
        "source": "https://example.org/hotlines",
        "source_title": "A made-up directory",
        "source_date": None,
        "also_reported_by": [],
        "notes": "",
        "verified": verified,
        "checked_on": REVIEWED if verified else None,
        **more,
    }


def sample_docs() -> ContentDocs:
    """All 24 topics, Thai and Malaysian hotlines, and agency lists (Thailand's one checked)."""
    th = [
        hotline("police-1234", "1234", "emergency", True),
        hotline("doubtful-5678", "5678", "emergency", False),
        hotline("labour-4321", "4321", "labour", True, also_kinds=["ngo"], languages=["my", "th"]),
        hotline("women-8765", "08 8765 4321", "women", True, also_kinds=["labour"]),
    ]
    docs = ContentDocs(
        topics={slug: topic(slug) for slug in TOPIC_SLUGS},
        hotlines={
            "TH": {"country": "TH", "entries": th},
            "MY": {"country": "MY", "entries": [hotline("help-2468", "2468", "labour", True)]},
        },
        agencies={
            "TH": {
                "country": "TH",
                "source": "A made-up register",
                "checked_on": REVIEWED,
                "agencies": copy.deepcopy(FAKE_AGENCIES),
            },
            "MY": {
                "country": "MY",
                "source": "A made-up register",
                "checked_on": None,
                "agencies": [],
            },
        },
    )
    return docs


@pytest.fixture
def docs() -> ContentDocs:
    return sample_docs()


@pytest.fixture
def content_root(tmp_path: Path) -> Path:
    """The sample library written as YAML files."""
    root = tmp_path / "content"
    write_docs(sample_docs(), root)
    return root


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """A session on a new SQLite file brought to the newest schema by the Alembic migrations."""
    engine = make_engine(f"sqlite:///{tmp_path / 'content.sqlite3'}")
    migrate(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def content_app(tmp_path: Path) -> Iterator[Flask]:
    """A bare app with only the database wired (migrated on start), for the CLI commands."""
    app = Flask(__name__)
    app.config.update(TESTING=True, DATABASE_URL=f"sqlite:///{tmp_path / 'app.sqlite3'}")
    db.init_app(app)
    yield app
    db.get_engine(app).dispose()
