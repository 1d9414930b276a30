"""The editor's live counter (admin/static/segments.js) counts exactly as bot/core/segments.py.

Runs the JavaScript under node when it is installed (CI has it); the browser test runs it again
in chromium on a page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.core.segments import GSM_BASIC, GSM_EXTENSION, PART, SINGLE, count

SCRIPT = Path(__file__).parents[2] / "admin" / "static" / "segments.js"
NODE = shutil.which("node") or shutil.which("nodejs")

# Edges of one and of several parts, escape pairs and surrogate pairs on the edge, every script.
CASES = [
    "",
    "a",
    "a" * 160,
    "a" * 161,
    "a" * 306,
    "a" * 307,
    "a" * 152 + "€",  # the escape pair would straddle the first part's edge
    "a" * 158 + "[]",
    "a" * 159 + "{",
    "€" * 80,
    "€" * 81,
    "^{}\\[~]|€\f",
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ",
    "line one\nline two",
    "ç",  # lower-case c cedilla is not GSM: UCS-2
    "’",  # a curly quote makes the message UCS-2
    "ก" * 70,
    "ก" * 71,
    "ก" * 134,
    "ก" * 135,
    "ก" * 66 + "😀",  # the surrogate pair would straddle the part edge
    "😀" * 35,
    "😀" * 36,
    "မသွားမီ အလုပ်ရှင်အမည်၊ လိပ်စာ၊ လစာကို စာဖြင့်ယူ၍ ဓာတ်ပုံရိုက်ပါ။" * 3,
    "មុនចេញដំណើរ៖ សុំឈ្មោះនិយោជក",
    "ກ່ອນໄປ: ຂໍຊື່ນາຍຈ້າງ",
    "Trước khi đi: xin tên chủ",
    "出发前：要书面写明雇主名字",
]


def _node(source: str) -> object:
    assert NODE is not None
    done = subprocess.run([NODE, "-e", source], capture_output=True, text=True, timeout=60,
                          check=True)
    return json.loads(done.stdout)


pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def test_same_alphabet_and_sizes() -> None:
    js = _node(f"const s = require({json.dumps(str(SCRIPT))});"
               "console.log(JSON.stringify([s.GSM_BASIC_CHARS, s.GSM_EXTENSION_CHARS,"
               " s.SINGLE, s.PART]))")
    basic, extension, single, part = js  # type: ignore[misc]
    assert set(basic) == GSM_BASIC and set(extension) == GSM_EXTENSION
    assert single == SINGLE and part == PART


def test_same_count_on_every_boundary_case() -> None:
    js = _node(f"const s = require({json.dumps(str(SCRIPT))});"
               f"const cases = {json.dumps(CASES)};"
               "console.log(JSON.stringify(cases.map(s.count)))")
    expected = [
        {"encoding": c.encoding, "units": c.units, "segments": c.segments}
        for c in map(count, CASES)
    ]
    assert js == expected
