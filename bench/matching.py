"""Measure the matcher on the shared evaluation questions: accuracy per language, urgency, speed.

Run from the project root: `.venv/bin/python bench/matching.py [--dev PATH] [--threshold N]`.
A prediction is correct when its topic is one of the line's `topics`.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.matching.matcher import DEFAULT_THRESHOLD, Matcher  # noqa: E402

TARGETS = (
    "targets: top-1 >= 0.95 overall, >= 0.85 per language; urgent recall 1.0; "
    "false-urgent <= 0.05; < 2 ms per question"
)


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Print the figures and the misses; exit 1 when a target is not met."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "eval" / "dev.jsonl")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--repeat", type=int, default=5, help="timing passes over the set")
    args = parser.parse_args(argv)

    lines = _read(args.dev)
    built = time.perf_counter()
    matcher = Matcher.from_content_dir(threshold=args.threshold)
    print(
        f"matcher built in {(time.perf_counter() - built) * 1000:.0f} ms "
        f"({len(matcher.index.phrases)} phrasings, {len(matcher.index.topics)} topics)"
    )

    total: dict[str, int] = defaultdict(int)
    right: dict[str, int] = defaultdict(int)
    misses: list[str] = []
    urgent_lines = caught = calm_lines = false_alarms = 0
    for line in lines:
        found = matcher.match(line["text"])
        lang = line["lang"]
        total[lang] += 1
        if found.topic in line["topics"]:
            right[lang] += 1
        else:
            misses.append(
                f"  {line['id']} [{lang}] {line['text']!r} -> {found.topic} "
                f"({found.score:.0f}; want {'/'.join(map(str, line['topics']))}; "
                f"alts {found.alternatives})"
            )
        if line["urgent"]:
            urgent_lines += 1
            caught += found.urgent
        else:
            calm_lines += 1
            false_alarms += found.urgent
            if found.urgent:
                misses.append(f"  {line['id']} [{lang}] {line['text']!r} wrongly urgent")
        if line["urgent"] and not found.urgent:
            misses.append(f"  {line['id']} [{lang}] {line['text']!r} urgency missed")

    timings: list[float] = []
    gc.disable()  # as timeit does: a collection pause belongs to the process, not to a match
    try:
        for _ in range(args.repeat):
            for line in lines:
                start = time.perf_counter()
                matcher.match(line["text"])
                timings.append((time.perf_counter() - start) * 1000)
    finally:
        gc.enable()
    timings.sort()

    print("top-1 accuracy per language:")
    for lang in sorted(total):
        print(f"  {lang}: {right[lang] / total[lang]:.3f} ({right[lang]}/{total[lang]})")
    overall = sum(right.values()) / max(sum(total.values()), 1)
    recall = caught / urgent_lines if urgent_lines else 1.0
    false_rate = false_alarms / calm_lines if calm_lines else 0.0
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"overall top-1: {overall:.3f} ({sum(right.values())}/{sum(total.values())})")
    print(f"urgent recall: {recall:.3f} ({caught}/{urgent_lines})")
    print(f"false-urgent rate: {false_rate:.3f} ({false_alarms}/{calm_lines})")
    print(
        f"time per question: mean {statistics.fmean(timings):.3f} ms, "
        f"median {statistics.median(timings):.3f} ms, p99 {p99:.3f} ms"
    )
    print(f"misses ({len(misses)}):" if misses else "misses: none")
    print("\n".join(misses))
    print(TARGETS)
    met = (
        overall >= 0.95
        and all(right[lang] / total[lang] >= 0.85 for lang in total)
        and recall == 1.0
        and false_rate <= 0.05
        and statistics.fmean(timings) < 2.0
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
