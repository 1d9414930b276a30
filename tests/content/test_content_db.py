"""Content in the database: filled once from files, served like them, exported without loss."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.content.docs import load_docs, write_docs
from bot.content.files import CONTENT_DIR
from bot.content.store import FileContentStore
from bot.content.taxonomy import COUNTRIES, LANGUAGES
from bot.storage.content_db import (
    DbContentStore,
    export_to_files,
    import_files,
    load_docs_from_db,
    save_text,
    sync_from_files,
)
from bot.storage.models.content import TopicText, TopicTextVersion


def test_files_db_files_round_trip_is_lossless(session: Session, tmp_path: Path) -> None:
    assert sync_from_files(session, CONTENT_DIR) == ["topics", "hotlines", "agencies"]
    session.commit()
    out = tmp_path / "exported"
    export_to_files(session, out)
    shipped, exported = load_docs(CONTENT_DIR), load_docs(out)
    assert exported.topics == shipped.topics
    assert exported.hotlines == shipped.hotlines
    assert exported.agencies == shipped.agencies


def test_sample_round_trip_keeps_variants_and_extra_keys(
    session: Session, content_root: Path, tmp_path: Path
) -> None:
    docs = load_docs(content_root)
    docs.topics["documents"]["variants"] = {"MM-TH": {"my": {"sms": "route"}}, "TH": {}}
    docs.topics["documents"]["text"]["en"]["note"] = "kept"
    docs.hotlines["TH"]["entries"][0]["whatsapp"] = "kept too"
    docs.agencies["TH"]["agencies"][0]["expires"] = docs.topics["documents"]["reviewed_on"]
    write_docs(docs, content_root)
    sync_from_files(session, content_root)
    export_to_files(session, tmp_path / "out")
    again = load_docs(tmp_path / "out")
    docs.topics["documents"]["variants"].pop("TH")  # an empty variant says nothing
    assert again.topics == docs.topics
    assert again.hotlines == docs.hotlines
    assert again.agencies["TH"]["agencies"][0]["expires"] == "2026-11-25"


def test_sync_never_overwrites_editor_changes(session: Session, content_root: Path) -> None:
    sync_from_files(session, content_root)
    save_text(session, "report", "my", "", {"status": "published", "title": "Edited"}, "editor")
    session.commit()
    assert sync_from_files(session, content_root) == []
    text = session.scalar(select(TopicText).filter_by(slug="report", lang="my", variant=""))
    assert text is not None and (text.title, text.version) == ("Edited", 2)


def test_every_saved_version_is_kept(session: Session, content_root: Path) -> None:
    sync_from_files(session, content_root)
    fields = load_docs(content_root).topics["report"]["text"]["th"]
    same = save_text(session, "report", "th", "", fields, "editor")
    assert same.version == 1  # nothing changed, no new version
    changed = save_text(session, "report", "th", "", {**fields, "sms": "v2"}, "editor")
    save_text(session, "report", "th", "", {**fields, "sms": "v3"}, "editor")
    session.commit()
    versions = session.scalars(
        select(TopicTextVersion).filter_by(text_id=changed.id).order_by(TopicTextVersion.version)
    ).all()
    assert [(v.version, v.sms) for v in versions] == [(1, fields["sms"]), (2, "v2"), (3, "v3")]
    assert versions[1].saved_by == "editor"


def test_db_store_answers_like_the_file_store(session: Session) -> None:
    sync_from_files(session, CONTENT_DIR)
    from_db, from_files = DbContentStore.load(session), FileContentStore(CONTENT_DIR)
    for slug in from_files.slugs():
        for lang in LANGUAGES:
            assert from_db.title(slug, lang) == from_files.title(slug, lang)
            for country in (*COUNTRIES, None):
                assert from_db.topic(slug, lang, country) == from_files.topic(slug, lang, country)
    for stage in ("thinking", "at-work", "in-trouble"):
        assert from_db.stage_topics(stage) == from_files.stage_topics(stage)
    for country in COUNTRIES:
        assert from_db.hotlines(country) == from_files.hotlines(country)
        assert from_db.check_agency(country, "x") == from_files.check_agency(country, "x")


def test_db_store_sees_editor_changes(session: Session, content_root: Path) -> None:
    sync_from_files(session, content_root)
    save_text(session, "report", "vi", "TH", {"sms": "Vietnamese in Thailand"}, "editor")
    view = DbContentStore.load(session).topic("report", "vi", "TH")
    assert view is not None and view.sms == "Vietnamese in Thailand"
    held = DbContentStore.load(session, serve_unreviewed=False)
    save_text(
        session, "report", "vi", "", {"status": "needs-review", "sms": "x", "title": "t"}, "e"
    )
    assert held.topic("report", "vi", "TH") is not None  # a snapshot: the change needs a reload
    reloaded = DbContentStore.load(session, serve_unreviewed=False).topic("report", "vi", None)
    assert reloaded is not None and reloaded.lang == "en"


def test_import_replaces_the_database_content(session: Session, content_root: Path) -> None:
    sync_from_files(session, CONTENT_DIR)
    session.commit()
    import_files(session, content_root)
    session.commit()
    assert load_docs_from_db(session) == load_docs(content_root)
    count = session.scalar(select(func.count()).select_from(TopicTextVersion))
    assert count and count > len(load_docs(content_root).topics) * len(LANGUAGES)
