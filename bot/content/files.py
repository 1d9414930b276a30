"""Reads the versioned content files (topics, hotlines, agencies) as plain dicts."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).parent
# libyaml's parser is about twenty times faster than the pure-Python one on the library.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_dir(folder: Path) -> dict[str, dict[str, Any]]:
    """Every `*.yaml` in `folder`, keyed by file stem, in name order (a private copy)."""
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.yaml")):
        stat = path.stat()
        docs[path.stem] = copy.deepcopy(_parse(path, stat.st_mtime_ns, stat.st_size))
    return docs


@lru_cache(maxsize=256)
def _parse(path: Path, _mtime_ns: int, _size: int) -> dict[str, Any]:
    # Keyed by modification time and size, so an edited file is read again.
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER) or {}


def load_topic_files(root: Path = CONTENT_DIR) -> dict[str, dict[str, Any]]:
    """Topic documents keyed by slug."""
    return load_yaml_dir(root / "topics")


def load_keywords(root: Path = CONTENT_DIR) -> dict[str, dict[str, list[str]]]:
    """{slug: {lang: [phrasings]}} from the topic files, for the matcher."""
    return {
        slug: {
            lang: [str(k) for k in words or []]
            for lang, words in (doc.get("keywords") or {}).items()
        }
        for slug, doc in load_topic_files(root).items()
    }
