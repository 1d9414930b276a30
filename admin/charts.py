"""Small charts drawn as inline SVG on the server: no script, no CDN, a few hundred bytes each.

Rules:
- A value of None is a suppressed small count: no bar is drawn and its text ("<5") is shown.
- Every chart has a <title> for screen readers; the page shows the same numbers in a table.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#0b5cad", "#d9822b", "#1e6b34", "#8e3b8e")
_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None when suppressed) and the text written beside it."""

    label: str
    value: int | float | None
    text: str


def _short(text: str, size: int = 26) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def bars(items: Sequence[Bar], title: str, width: int = 560) -> Markup:
    """A horizontal bar chart, one row per item, largest scale from the biggest shown value."""
    row, label_w, pad = 24, 190, 60
    top = max((b.value or 0) for b in items) if items else 0
    area = width - label_w - pad
    chart_id = f"chart{next(_ids)}"
    height = max(row * len(items), row) + 4
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}">{escape(title)}</title>',
    ]
    for i, item in enumerate(items):
        y = i * row + 2
        length = 0 if not top or item.value is None else max(1, round(area * item.value / top))
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">'
            f"{escape(_short(item.label))}</text>"
        )
        if length:
            parts.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{length}" height="{row - 8}" '
                f'fill="{PALETTE[0]}"/>'
            )
        parts.append(f'<text x="{label_w + length + 4}" y="{y + 16}">{escape(item.text)}</text>')
    if not items:
        parts.append(f'<text x="{label_w}" y="16">—</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | float | None]]],
    title: str,
    height: int = 180,
) -> Markup:
    """Columns over time (weeks), one colour per series, with a legend when there are several."""
    n, groups = len(series), len(labels)
    group_w = max(14 * n + 6, 26)
    left, bottom, top_pad = 36, 34, 22 if n > 1 else 8
    width = left + group_w * max(groups, 1) + 8
    plot_h = height - bottom - top_pad
    peak = max((v or 0 for _, values in series for v in values), default=0) or 1
    chart_id = f"chart{next(_ids)}"
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}">{escape(title)}</title>',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 4}" y2="{top_pad + plot_h}" '
        'stroke="#767676"/>',
        f'<text x="{left - 4}" y="{top_pad + 10}" text-anchor="end">{_num(peak)}</text>',
        f'<text x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end">0</text>',
    ]
    bar_w = (group_w - 6) // max(n, 1)
    step = max(1, (groups * 42) // max(width - left, 1) + 1)  # skip labels that would overlap
    for g, label in enumerate(labels):
        x0 = left + g * group_w + 3
        for s, (_, values) in enumerate(series):
            value = values[g]
            if not value:
                continue
            h = max(1, round(plot_h * value / peak))
            parts.append(
                f'<rect x="{x0 + s * bar_w}" y="{top_pad + plot_h - h}" width="{bar_w - 1}" '
                f'height="{h}" fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
        if g % step == 0:
            parts.append(
                f'<text x="{x0 + (group_w - 6) / 2}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    if n > 1:
        for s, (name, _) in enumerate(series):
            x = left + s * 110
            parts.append(
                f'<rect x="{x}" y="2" width="12" height="12" fill="{PALETTE[s % len(PALETTE)]}"/>'
                f'<text x="{x + 16}" y="13">{escape(name)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _num(value: float) -> str:
    return f"{value:g}"
