"""Small-count suppression, so that no one can be singled out from the figures.

Rules:
- A count from 1 to 4 is shown as "<5" to analysts and in every export; 0 and 5 or more are shown.
- When exactly one cell of a breakdown is hidden, the next smallest non-zero cell is hidden too,
  so the hidden one cannot be worked out by subtracting the others from the total.
- An average or a median over fewer than 5 cases is not shown at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
HIDDEN = "<5"


@dataclass(frozen=True)
class Cell:
    """One count as shown: its code, its label, its value (None when hidden) and its text."""

    code: str
    label: str
    value: int | None
    text: str


def small(n: int) -> bool:
    """Whether a count is small enough to single someone out."""
    return 0 < n < THRESHOLD


def number(n: int, suppress: bool) -> str:
    """One count as text."""
    return HIDDEN if suppress and small(n) else str(n)


def breakdown(rows: Sequence[tuple[str, str, int]], suppress: bool) -> list[Cell]:
    """(code, label, count) rows as cells, small ones hidden when `suppress` is on."""
    hidden = {i for i, (_, _, n) in enumerate(rows) if suppress and small(n)}
    if len(hidden) == 1:
        others = [(n, i) for i, (_, _, n) in enumerate(rows) if i not in hidden and n > 0]
        if others:
            hidden.add(min(others)[1])
    return [
        Cell(code, label, None, HIDDEN) if i in hidden else Cell(code, label, n, str(n))
        for i, (code, label, n) in enumerate(rows)
    ]


def statistic(value: float | None, sample: int, suppress: bool) -> float | None:
    """An average or median, or None when it rests on too few cases to show."""
    if value is None or (suppress and sample < THRESHOLD):
        return None
    return value
