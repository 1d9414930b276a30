"""Translators' catalogs: export then import changes nothing; edits come back as needs-review."""

from __future__ import annotations

import io

import pytest
from babel.messages.catalog import Catalog

from bot.content.docs import ContentDocs, load_docs
from bot.content.po import export_catalog, import_catalog, read_catalog, write_catalog


def round_trip(catalog: Catalog) -> Catalog:
    buffer = io.BytesIO()
    write_catalog(catalog, buffer)
    return read_catalog(io.BytesIO(buffer.getvalue()))


@pytest.fixture
def reviewed(docs: ContentDocs) -> ContentDocs:
    """Burmese `documents` needs review and has a route variant; `report` is published."""
    docs.topics["documents"]["text"]["my"]["status"] = "needs-review"
    docs.topics["documents"]["variants"] = {
        "TH": {"en": {"sms": "EN in Thailand"}, "my": {"sms": "MY in Thailand"}},
        "MM-TH": {"my": {"long": "MY route\nwith two lines"}},
    }
    return docs


def test_export_then_import_gives_identical_content(reviewed: ContentDocs) -> None:
    for lang in ("my", "km", "lo", "th", "vi", "zh"):
        catalog = round_trip(export_catalog(reviewed.topics, lang))
        topics, changed = import_catalog(reviewed.topics, catalog)
        assert changed == []
        assert topics == reviewed.topics


def test_shipped_topics_round_trip() -> None:
    shipped = load_docs().topics
    for lang in ("my", "zh"):
        topics, changed = import_catalog(shipped, round_trip(export_catalog(shipped, lang)))
        assert (topics, changed) == (shipped, [])


def test_catalog_shape(reviewed: ContentDocs) -> None:
    catalog = export_catalog(reviewed.topics, "my")
    sms = catalog.get(reviewed.topics["documents"]["text"]["en"]["sms"], "documents:sms")
    assert sms is not None and sms.fuzzy  # needs-review
    assert "SMS budget: 3 segments = 201 characters" in " ".join(sms.user_comments)
    report = catalog.get(reviewed.topics["report"]["text"]["en"]["title"], "report:title")
    assert report is not None and not report.fuzzy
    variant = catalog.get("EN in Thailand", "documents:TH:sms")
    assert variant is not None and variant.string == "MY in Thailand"
    route = catalog.get(reviewed.topics["documents"]["text"]["en"]["long"], "documents:MM-TH:long")
    assert route is not None and route.string == "MY route\nwith two lines"
    assert any("No English for this variant" in c for c in route.user_comments)
    with pytest.raises(ValueError):
        export_catalog(reviewed.topics, "en")


def test_a_translated_text_comes_back_for_review(reviewed: ContentDocs) -> None:
    catalog = round_trip(export_catalog(reviewed.topics, "my"))
    english = reviewed.topics["report"]["text"]["en"]["sms"]
    message = catalog.get(english, "report:sms")
    assert message is not None
    message.string = "New Burmese SMS"
    topics, changed = import_catalog(reviewed.topics, catalog)
    assert changed == ["report"]
    assert topics["report"]["text"]["my"] == {
        **reviewed.topics["report"]["text"]["my"],
        "sms": "New Burmese SMS",
        "status": "needs-review",
    }
    assert reviewed.topics["report"]["text"]["my"]["status"] == "published"  # input untouched


def test_publish_needs_every_fuzzy_flag_cleared(reviewed: ContentDocs) -> None:
    catalog = round_trip(export_catalog(reviewed.topics, "my"))
    topics, changed = import_catalog(reviewed.topics, catalog, publish=True)
    assert changed == []  # documents is still fuzzy
    for message in catalog:
        if str(message.context).startswith("documents:"):
            message.flags.discard("fuzzy")
    topics, changed = import_catalog(reviewed.topics, catalog, publish=True)
    assert changed == ["documents"]
    assert topics["documents"]["text"]["my"]["status"] == "published"


def test_untranslated_entries_change_nothing(reviewed: ContentDocs) -> None:
    del reviewed.topics["report"]["text"]["km"]
    catalog = round_trip(export_catalog(reviewed.topics, "km"))
    untranslated = catalog.get(reviewed.topics["report"]["text"]["en"]["sms"], "report:sms")
    assert untranslated is not None and untranslated.string == ""
    topics, changed = import_catalog(reviewed.topics, catalog)
    assert changed == [] and "km" not in topics["report"]["text"]
