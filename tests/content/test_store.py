"""The bot's lookups: variants most specific first, English fallback, hotlines, agencies."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.docs import ContentDocs, load_docs
from bot.content.store import ContentIndex, FileContentStore

from .conftest import FAKE_AGENCIES


@pytest.fixture
def varied(docs: ContentDocs) -> ContentDocs:
    """`legal-channels` with a Thai country variant and a Myanmar-to-Thailand route variant."""
    docs.topics["legal-channels"]["variants"] = {
        "TH": {
            "en": {"sms": "EN in Thailand", "long": "EN long in Thailand"},
            "my": {"sms": "MY in Thailand", "long": "MY long in Thailand"},
            "km": {"sms": "KM in Thailand"},
        },
        "MM-TH": {"my": {"sms": "MY route to Thailand"}, "en": {"sms": "EN route MM-TH"}},
    }
    return docs


def test_route_variant_wins_then_country_then_base(varied: ContentDocs) -> None:
    store = ContentIndex(varied)
    view = store.topic("legal-channels", "my", "TH")
    assert view is not None
    assert view.sms == "MY route to Thailand"
    assert view.long == "MY long in Thailand"  # the route has no long text: the country's applies
    assert view.title == "legal-channels my"  # no variant has a title: the base one
    km = store.topic("legal-channels", "km", "TH")
    assert km is not None and km.sms == "KM in Thailand"
    assert km.long.startswith("Longer advice about legal-channels in km")
    base = store.topic("legal-channels", "my", "MY")
    assert base is not None and base.sms.startswith("Short advice about legal-channels in my")
    assert store.topic("legal-channels", "my", None) == base


def test_english_for_a_myanmar_worker_keeps_the_route(varied: ContentDocs) -> None:
    varied.topics["legal-channels"]["text"]["my"]["status"] = "draft"
    view = ContentIndex(varied).topic("legal-channels", "my", "TH")
    assert view is not None
    assert (view.lang, view.sms) == ("en", "EN route MM-TH")
    english = ContentIndex(varied).topic("legal-channels", "en", "TH")
    assert english is not None and english.sms == "EN in Thailand"  # English implies no origin


def test_missing_or_draft_language_falls_back_to_english(docs: ContentDocs) -> None:
    del docs.topics["documents"]["text"]["lo"]
    docs.topics["documents"]["text"]["vi"]["status"] = "draft"
    store = ContentIndex(docs)
    for lang in ("lo", "vi"):
        view = store.topic("documents", lang, "TH")
        assert view is not None and view.lang == "en"
        assert store.title("documents", lang) == "documents en"
    assert store.topic("no-such-topic", "en", "TH") is None
    assert store.title("no-such-topic", "en") == "no-such-topic"


def test_needs_review_is_served_unless_switched_off(docs: ContentDocs) -> None:
    docs.topics["documents"]["text"]["th"]["status"] = "needs-review"
    served = ContentIndex(docs).topic("documents", "th", "TH")
    held = ContentIndex(docs, serve_unreviewed=False).topic("documents", "th", "TH")
    assert served is not None and served.lang == "th"
    assert held is not None and held.lang == "en"


def test_an_english_draft_is_never_served(docs: ContentDocs) -> None:
    docs.topics["documents"]["text"]["en"]["status"] = "draft"
    docs.topics["documents"]["text"]["lo"]["status"] = "draft"
    assert ContentIndex(docs).topic("documents", "lo", "LA") is None


def test_stage_topics_follow_the_explicit_order(docs: ContentDocs) -> None:
    for slug in ("unpaid-wages", "working-hours", "remittances", "health-injury"):
        docs.topics[slug]["stages"] = ["at-work"]
    store = ContentIndex(docs)
    assert store.stage_topics("at-work") == [
        "unpaid-wages", "working-hours", "health-injury", "remittances"
    ]  # fmt: skip
    assert store.stage_topics("thinking")[:3] == [
        "safe-migration", "legal-channels", "recruitment-fees"
    ]  # fmt: skip
    assert store.stage_topics("no-such-stage") == []


def test_only_verified_hotlines_in_file_order(docs: ContentDocs) -> None:
    store = ContentIndex(docs)
    assert [h.number for h in store.hotlines("TH")] == ["1234", "4321", "08 8765 4321"]
    assert [h.number for h in store.hotlines("TH", ("emergency",))] == ["1234"]
    assert [h.number for h in store.hotlines("TH", ("labour",))] == ["4321", "08 8765 4321"]
    assert [h.number for h in store.hotlines("TH", ("ngo", "women"))] == ["4321", "08 8765 4321"]
    assert store.hotlines("LA") == []
    assert store.hotlines("TH", ("health",)) == []
    line = store.hotlines("TH", ("ngo",))[0]
    assert (line.country, line.kind, line.also_kinds, line.languages) == (
        "TH", "labour", ("ngo",), ("my", "th")
    )  # fmt: skip


def test_shipped_unverified_hotlines_never_reach_the_bot() -> None:
    store = FileContentStore()
    docs = load_docs()
    assert docs.hotlines, "the hotline directory is shipped"
    for country, doc in docs.hotlines.items():
        served = {(h.name, h.number) for h in store.hotlines(country)}
        for entry in doc["entries"]:
            if not entry["verified"]:
                assert (entry["name"], entry["number"]) not in served
    thai = [h.number for h in store.hotlines("TH", ("emergency",))]
    assert "191" not in thai and "1669" not in thai  # held: the sources disagree
    assert "999" not in [h.number for h in store.hotlines("MM")]


def test_agency_check_finds_close_names(docs: ContentDocs) -> None:
    store = ContentIndex(docs)
    answer = store.check_agency("TH", "golden lotus manpower")
    assert answer.checked_on == "2026-11-25"
    assert answer.matches[0].name == FAKE_AGENCIES[0]["name"]
    assert answer.matches[0].licence == "TEST-001"
    typo = store.check_agency("TH", "Blu Rivr recruitment")
    assert [m.name for m in typo.matches] == [FAKE_AGENCIES[1]["name"]]
    alias = store.check_agency("TH", "LOTUS JOBS")
    assert alias.matches and alias.matches[0].licence == "TEST-001"


def test_agency_check_does_not_match_on_company_words(docs: ContentDocs) -> None:
    store = ContentIndex(docs)
    assert store.check_agency("TH", "Silver Mountain Recruitment Co., Ltd.").matches == ()
    assert store.check_agency("TH", "co ltd").matches == ()
    assert store.check_agency("TH", "").matches == ()


def test_agency_check_says_when_no_list_is_kept(docs: ContentDocs, tmp_path: Path) -> None:
    store = ContentIndex(docs)
    empty = store.check_agency("MY", "Golden Lotus")
    assert (empty.checked_on, empty.matches, empty.source) == (None, (), "A made-up register")
    assert store.check_agency("LA", "Golden Lotus").checked_on is None
    docs.agencies["TH"]["checked_on"] = None  # names nobody has checked are not used
    assert ContentIndex(docs).check_agency("TH", "Golden Lotus").checked_on is None


def test_shipped_agency_lists_are_empty_and_say_so() -> None:
    store = FileContentStore()
    for country in ("TH", "MY"):
        answer = store.check_agency(country, "any name at all")
        assert answer.checked_on is None and answer.matches == ()
        assert answer.source


def test_file_store_reads_a_content_folder(content_root: Path) -> None:
    store = FileContentStore(content_root)
    view = store.topic("report", "zh", "MY")
    assert view is not None and view.lang == "zh"
    assert view.related == ("safe-migration", "documents")
    assert view.hotline_kinds == ("labour",)
