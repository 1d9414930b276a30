"""The vocabulary matches the shared taxonomy, and the hotline seed never invents or overwrites."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content import seed_hotlines
from bot.content.taxonomy import COUNTRIES, HOTLINE_KINDS, LANGUAGES, TOPIC_SLUGS

SHARED = Path(__file__).resolve().parents[3] / "shared"
TAXONOMY = SHARED / "taxonomy.json"
REFERENCE = SHARED / "reference" / "hotlines.json"


@pytest.mark.skipif(not TAXONOMY.exists(), reason="shared/taxonomy.json is not here")
def test_constants_equal_the_shared_taxonomy() -> None:
    taxonomy = json.loads(TAXONOMY.read_text(encoding="utf-8"))
    assert list(TOPIC_SLUGS) == list(taxonomy["topics"])
    assert list(LANGUAGES) == list(taxonomy["languages"])
    assert list(COUNTRIES) == list(taxonomy["countries"])


@pytest.fixture
def reference() -> dict[str, Any]:
    if not REFERENCE.exists():
        pytest.skip("shared/reference/hotlines.json is not here")
    loaded: dict[str, Any] = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return loaded


def seeded(out: Path) -> dict[str, list[dict[str, Any]]]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["entries"]
        for p in sorted(out.glob("*.yaml"))
    }


def test_seed_copies_numbers_and_holds_doubtful_ones(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    assert seed_hotlines.main(["--reference", str(REFERENCE), "--out", str(tmp_path)]) == 0
    files = seeded(tmp_path)
    given = {(e["country"], e["number"]): e for e in reference["entries"]}
    written = [(cc, e) for cc, entries in files.items() for e in entries]
    assert len(written) == len(reference["entries"])
    for country, entry in written:
        source = given[(country, entry["number"])]  # never a number the reference lacks
        assert entry["kind"] == source["kind"] and entry["kind"] in HOTLINE_KINDS
        if source["status"] == "unverified":
            assert entry["verified"] is False and entry["checked_on"] is None
        if entry["verified"]:
            assert (
                source["status"] == "sourced" and "conflict" not in source.get("notes", "").lower()
            )
            assert str(entry["checked_on"]) == reference["compiled"]
    by_number = {(cc, e["number"]): e for cc, e in written}
    for held in [("TH", "191"), ("TH", "1669"), ("MM", "999"), ("MM", "199"), ("TH", "1506")]:
        assert by_number[held]["verified"] is False
        assert by_number[held]["notes"]
    assert by_number[("KH", "1280")]["verified"] is True
    assert not any(e["kind"] == "health" for _, e in written)  # no reference line is one
    assert len({e["id"] for _, e in written}) == len(written)


def test_seed_refuses_to_overwrite_without_force(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    args = ["--reference", str(REFERENCE), "--out", str(tmp_path)]
    assert seed_hotlines.main(args) == 0
    edited = tmp_path / "TH.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# an editor's note\n", "utf-8")
    assert seed_hotlines.main(args) == 1
    assert edited.read_text(encoding="utf-8").endswith("# an editor's note\n")
    assert seed_hotlines.main([*args, "--force"]) == 0
    assert "an editor's note" not in edited.read_text(encoding="utf-8")
