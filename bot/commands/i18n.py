"""`helpline i18n extract|update|check`: the Babel workflow for the bot's prompt catalogs."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import click
from babel.messages.pofile import read_po

from bot.i18n import I18N_DIR, LANGS, po_path

ROOT = Path(__file__).resolve().parents[2]
POT = I18N_DIR / "bot.pot"


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@click.group("i18n")
def i18n() -> None:
    """Prompt catalogs (gettext, one .po per language)."""


@i18n.command("extract")
def extract() -> None:
    """Collect every T(context, english) prompt into bot/i18n/bot.pot."""
    _extract(POT)


def _extract(target: Path) -> None:
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "T:1c,2",
        "--no-default-keywords",
        "--sort-by-file",
        "--project",
        "mekong-helpline",
        "-o",
        str(target),
        "--ignore-dirs",
        ".venv build instance tests admin",
        ".",
    )


@i18n.command("update")
def update() -> None:
    """Merge the template into every language's catalog (new prompts appear untranslated)."""
    for lang in LANGS:
        if lang == "en":
            continue
        command = "update" if po_path(lang).exists() else "init"
        _pybabel(command, "-D", "bot", "-i", str(POT), "-d", str(I18N_DIR), "-l", lang)


def missing_translations(template_path: Path = POT) -> dict[str, list[str]]:
    """For each language, the prompts of the template it does not translate."""
    with template_path.open("rb") as fh:
        template = {(m.context or "", m.id) for m in read_po(fh) if m.id}
    missing: dict[str, list[str]] = {}
    for lang in LANGS:
        if lang == "en":
            continue
        done: set[tuple[str, str]] = set()
        if po_path(lang).exists():
            with po_path(lang).open("rb") as fh:
                done = {(m.context or "", m.id) for m in read_po(fh) if m.id and m.string}
        gaps = sorted(f"{ctx}|{msg}" for ctx, msg in template - done)
        if gaps:
            missing[lang] = gaps
    return missing


@i18n.command("check")
def check() -> None:
    """Exit 1 when a language lacks a translation of any prompt the code has now."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "bot.pot"
        _extract(fresh)
        missing = missing_translations(fresh)
    for lang, gaps in missing.items():
        click.echo(f"{lang}: {len(gaps)} untranslated")
        for gap in gaps[:20]:
            click.echo(f"  {gap}")
    if missing:
        raise SystemExit(1)
    click.echo("every prompt is translated in every language")
