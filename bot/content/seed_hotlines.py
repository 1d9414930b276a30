"""Write hotlines/<CC>.yaml once from the shared reference, holding doubtful entries unverified.

Run: .venv/bin/python -m bot.content.seed_hotlines [--reference PATH] [--out DIR] [--force]

Rules:
- Numbers, names and sources are copied as the reference gives them, never invented or reformatted.
- `status: unverified` in the reference -> verified: false.
- `status: sourced` -> verified: true (seen in a cited source), checked_on = the compile date,
  unless the reference notes a conflict, two sources describe the number differently, or a note
  says the line may be wrong for migrants: then verified: false with the reason first in `notes`.
- Existing files are editors' work: the script refuses to overwrite them without --force.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from bot.content.docs import HOTLINE_HEADER, write_yaml
from bot.content.files import CONTENT_DIR
from bot.content.taxonomy import COUNTRIES

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "hotlines.json"

# Sourced entries held for an editor, each for a reason read in the reference's notes.
HOLDS: dict[tuple[str, str], str] = {
    ("TH", "191"): (
        "aidlines describes 191 as police, ambulance and fire; ThailandSimple as police only "
        "(ambulance 1669, fire 199). Check which services 191 reaches today."
    ),
    ("TH", "1669"): "conflict: aidlines gives 191 for ambulance, ThailandSimple 1669.",
    ("TH", "199"): "aidlines gives 191 for fire as well; check that 199 still answers.",
    ("TH", "+66 99 130 1300"): (
        "serves Thai nationals abroad, not migrants in Thailand; decide whether to list it."
    ),
    ("TH", "034 434 726"): (
        "LPN has different numbers in different sources (this page, its mobiles, the Khmer "
        "app's +66 85 714 4320); the reference asks which lines are current."
    ),
    ("TH", "+66 85 714 4320"): (
        "differs from the LPN numbers on the Human Rights at Sea page; check which is current."
    ),
    ("LA", "+856 20 93208889"): (
        "the personal mobile of a named officer, not a public hotline; the reference says use "
        "only after checking."
    ),
    ("VN", "+84 8 829 2751"): (
        "written with the HCMC area code retired in 2017; the current form is not sourced."
    ),
    ("MY", "012 223 4357"): "possibly discontinued (launched around 2010).",
}
CONFLICT = re.compile(r"\bconflict", re.IGNORECASE)
STOPWORDS = {"of", "the", "and", "in", "for", "as", "a", "to", "at"}
FIELDS = (
    "id", "number", "kind", "also_kinds", "name", "purpose", "languages", "languages_inferred",
    "hours", "source", "source_title", "source_date", "also_reported_by", "notes", "verified",
    "checked_on",
)  # fmt: skip


def hold_reason(entry: dict[str, Any], described: Counter[tuple[str, str]]) -> str | None:
    """Why a sourced entry stays unverified, or None when nothing in the reference doubts it."""
    key = (entry["country"], entry["number"])
    if key in HOLDS:
        return HOLDS[key]
    if CONFLICT.search(entry.get("notes") or ""):
        return "the reference notes a conflict between sources (see below)."
    if described[key] > 1:
        return "the reference lists this number more than once, described differently."
    return None


def slug_for(entry: dict[str, Any], taken: set[str]) -> str:
    """A short stable id from the name and the number's last digits, unique in its country."""
    name = re.sub(r"\([^)]*\)", " ", entry["name"]).replace("'", "").replace("\u2019", "")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_name) if w not in STOPWORDS][:4]
    digits = re.sub(r"\D", "", entry["number"])
    slug = "-".join([*words, digits[-4:]])
    if slug in taken:
        slug = "-".join([*words, digits])
    taken.add(slug)
    return slug


def entry_doc(
    entry: dict[str, Any], compiled: date, described: Counter[tuple[str, str]], taken: set[str]
) -> dict[str, Any]:
    """One hotline entry in the directory's shape, with `verified` decided by the rules above."""
    notes = entry.get("notes") or ""
    if entry["status"] == "unverified":
        verified, notes = False, f"Unverified in the reference (no citable source). {notes}"
    elif (reason := hold_reason(entry, described)) is not None:
        held = f"HELD for an editor: {reason}"
        verified, notes = False, f"{held} Reference notes: {notes}" if notes else held
    else:
        verified = entry["status"] == "sourced"
    doc = {
        "id": slug_for(entry, taken),
        "number": entry["number"],
        "kind": entry["kind"],
        "also_kinds": list(entry.get("also_kinds") or []),
        "name": entry["name"],
        "purpose": entry["purpose"],
        "languages": list(entry.get("languages") or []),
        "languages_inferred": bool(entry.get("languages_inferred", False)),
        "hours": entry.get("hours") or "",
        "source": entry.get("source") or "",
        "source_title": entry.get("source_title") or "",
        "source_date": entry.get("source_date"),
        "also_reported_by": [dict(a) for a in entry.get("also_reported_by") or []],
        "notes": notes.strip(),
        "verified": verified,
        "checked_on": compiled if verified else None,
    }
    assert tuple(doc) == FIELDS
    return doc


def build(reference: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The directory documents, one per country, entries in the reference's order."""
    compiled = date.fromisoformat(reference["compiled"])
    described = Counter((e["country"], e["number"]) for e in reference["entries"])
    docs: dict[str, dict[str, Any]] = {}
    taken: dict[str, set[str]] = {}
    for country in COUNTRIES:
        docs[country] = {
            "country": country,
            "compiled_from": "shared/reference/hotlines.json",
            "compiled_on": compiled,
            "entries": [],
        }
        taken[country] = set()
    for entry in reference["entries"]:
        country = entry["country"]
        docs[country]["entries"].append(entry_doc(entry, compiled, described, taken[country]))
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    parser.add_argument("--out", type=Path, default=CONTENT_DIR / "hotlines")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    args = parser.parse_args(argv)
    docs = build(json.loads(args.reference.read_text(encoding="utf-8")))
    existing = [args.out / f"{cc}.yaml" for cc in docs if (args.out / f"{cc}.yaml").exists()]
    if existing and not args.force:
        names = ", ".join(p.name for p in existing)
        print(f"refusing to overwrite {names} (editors may have changed them); use --force")
        return 1
    for country, doc in docs.items():
        write_yaml(args.out / f"{country}.yaml", doc, HOTLINE_HEADER)
        held = sum(not e["verified"] for e in doc["entries"])
        print(f"{country}: {len(doc['entries'])} entries, {held} not verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
