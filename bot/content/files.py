"""Reads the versioned content files (topics, hotlines, agencies) as plain dicts; no validation here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).parent


def load_yaml_dir(folder: Path) -> dict[str, dict[str, Any]]:
    """Every `*.yaml` in `folder`, keyed by file stem, in name order."""
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            docs[path.stem] = yaml.safe_load(fh) or {}
    return docs


def load_topic_files(root: Path = CONTENT_DIR) -> dict[str, dict[str, Any]]:
    """Topic documents keyed by slug."""
    return load_yaml_dir(root / "topics")


def load_keywords(root: Path = CONTENT_DIR) -> dict[str, dict[str, list[str]]]:
    """{slug: {lang: [phrasings]}} from the topic files, for the matcher."""
    return {
        slug: {lang: [str(k) for k in words or []] for lang, words in (doc.get("keywords") or {}).items()}
        for slug, doc in load_topic_files(root).items()
    }
