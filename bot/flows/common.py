"""Labels shared by several flows: countries, languages, hotline kinds, yes/no, the menu."""

from __future__ import annotations

from bot.core.content import Hotline
from bot.core.text import T
from bot.flows.base import Ctx, Option

COUNTRIES: dict[str, T] = {
    "TH": T("country", "Thailand"),
    "MY": T("country", "Malaysia"),
    "MM": T("country", "Myanmar"),
    "KH": T("country", "Cambodia"),
    "LA": T("country", "Laos"),
    "VN": T("country", "Viet Nam"),
    "CN": T("country", "China (Yunnan)"),
}

# Each language named in its own script, so a person who reads only one can still choose it.
LANGUAGES: dict[str, str] = {
    "my": "မြန်မာ",
    "km": "ខ្មែរ",
    "lo": "ລາວ",
    "th": "ไทย",
    "vi": "Tiếng Việt",
    "zh": "中文",
    "en": "English",
}

KINDS: dict[str, T] = {
    "emergency": T("hotline.kind", "Emergency"),
    "anti-trafficking": T("hotline.kind", "Trafficking help"),
    "labour": T("hotline.kind", "Work problems"),
    "women": T("hotline.kind", "Women's help"),
    "child": T("hotline.kind", "Children"),
    "ngo": T("hotline.kind", "Support group"),
    "embassy": T("hotline.kind", "Embassy"),
    "io": T("hotline.kind", "International organisation"),
    "health": T("hotline.kind", "Health"),
}

MENU = T("option", "Main menu")
YES = T("option", "Yes")
NO = T("option", "No")
SKIP = T("option", "Skip")


def country_options(goto: str) -> list[Option]:
    """One option per country, saving its code."""
    return [Option(label, goto, {"country": code}) for code, label in COUNTRIES.items()]


def hotline_line(ctx: Ctx, line: Hotline) -> str:
    """A number with what it is for, short enough for SMS: "1300 Trafficking help"."""
    label = ctx.t(KINDS[line.kind]) if line.kind in KINDS else line.kind
    if line.kind in ("ngo", "embassy", "io"):
        short = line.name.split("(")[0].split(":")[0].strip()
        return f"{line.number} {label}: {short}"
    return f"{line.number} {label}"
