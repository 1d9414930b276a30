"""The whole library as plain documents (topics, hotline directories, agency lists) in YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content.files import CONTENT_DIR, load_yaml_dir

Doc = dict[str, Any]

HOTLINE_HEADER = (
    "# Hotlines, seeded once from shared/reference/hotlines.json (bot/content/seed_hotlines.py).\n"
    "# Only `verified: true` entries are ever sent to migrants. An editor sets verified: true\n"
    "# and checked_on after calling the number or reading a current official source.\n"
)
AGENCY_HEADER = (
    "# Licensed recruitment agencies, copied by editors from the official register named below.\n"
    "# checked_on: null means no checked list yet: the bot then says so instead of guessing.\n"
)


FOLD_OVER = 80  # characters: longer one-line strings are written as folded blocks


@dataclass
class ContentDocs:
    """Topic documents by slug, hotline directories and agency lists by country code."""

    topics: dict[str, Doc] = field(default_factory=dict)
    hotlines: dict[str, Doc] = field(default_factory=dict)
    agencies: dict[str, Doc] = field(default_factory=dict)


def load_docs(root: Path = CONTENT_DIR) -> ContentDocs:
    """Every content file under `root`, parsed, keyed by file stem."""
    return ContentDocs(
        topics=load_yaml_dir(root / "topics"),
        hotlines=load_yaml_dir(root / "hotlines"),
        agencies=load_yaml_dir(root / "agencies"),
    )


def write_docs(docs: ContentDocs, root: Path) -> list[Path]:
    """Write every document under `root` (one file each) and return the paths written."""
    written = []
    for folder, group, header in (
        ("topics", docs.topics, ""),
        ("hotlines", docs.hotlines, HOTLINE_HEADER),
        ("agencies", docs.agencies, AGENCY_HEADER),
    ):
        for stem, doc in group.items():
            path = root / folder / f"{stem}.yaml"
            write_yaml(path, doc, header)
            written.append(path)
    return written


def write_yaml(path: Path, doc: Doc, header: str = "") -> None:
    """Write one document as YAML people can edit: text blocks, short lists on one line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + dump_yaml(doc), encoding="utf-8")


def dump_yaml(doc: Doc) -> str:
    """The YAML text of one document, keys in their given order."""
    return str(
        yaml.dump(
            doc,
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            width=100,
            default_flow_style=False,
        )
    )


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no type hints
    def ignore_aliases(self, data: Any) -> bool:
        # Repeated values (the same date object) are written out, never as &anchors.
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as people write YAML by hand.
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Text blocks as editors write them: `|` keeps line breaks, `>` folds one long paragraph.
    style = "|" if "\n" in value else ">" if len(value) > FOLD_OVER and " " in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Lists of short words (stages, kinds, keywords) read best on one line.
    inline = all(isinstance(v, str) and "\n" not in v and len(v) < 60 for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=inline)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)
