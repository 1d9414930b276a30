"""The panel's own languages: catalogs complete for Thai and Burmese, placeholders intact, the
template up to date with the code, per-user choice, and the fonts for the Mekong scripts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask import Flask

from admin.i18n import PANEL_LANGS, TRANSLATIONS, compile_catalogs
from tests.admin.conftest import Accounts, logged_in, post

ROOT = Path(__file__).parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")
COMPLETE = ("th", "my")  # every message translated; km and lo cover the everyday screens


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "admin.po").open("rb") as fh:
        return read_po(fh)


def test_the_template_lists_every_message_of_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "admin.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "admin/babel.cfg"),
                                "-k", "_l", "--no-location", "-o", str(fresh), str(ROOT)])
    with fresh.open("rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    with (TRANSLATIONS / "admin.pot").open("rb") as fh:
        kept = {m.id for m in read_po(fh) if m.id}
    assert wanted == kept, "run the pybabel extract in admin/babel.cfg, then update the .po files"
    for lang in PANEL_LANGS:
        if lang != "en":
            assert {m.id for m in _catalog(lang) if m.id} == wanted, lang


@pytest.mark.parametrize("lang", [code for code in PANEL_LANGS if code != "en"])
def test_translations_keep_their_placeholders(lang: str) -> None:
    for message in _catalog(lang):
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(message.string)) == sorted(
                PLACEHOLDER.findall(message.id)), (lang, message.id)


@pytest.mark.parametrize("lang", COMPLETE)
def test_thai_and_burmese_are_complete(lang: str) -> None:
    missing = [m.id for m in _catalog(lang) if m.id and not m.string]
    assert missing == []


def test_catalogs_compile_once_and_again_when_changed(tmp_path: Path) -> None:
    compile_catalogs(tmp_path)
    mo = tmp_path / "my" / "LC_MESSAGES" / "admin.mo"
    assert mo.exists()
    first = mo.stat().st_mtime_ns
    compile_catalogs(tmp_path)
    assert mo.stat().st_mtime_ns == first


@pytest.mark.parametrize(("lang", "word"), [("th", "เข้าสู่ระบบ"), ("my", "ဝင်ရောက်မည်"),
                                            ("km", "ចូល"), ("lo", "ເຂົ້າສູ່ລະບົບ")])
def test_login_page_in_each_language(app: Flask, lang: str, word: str) -> None:
    page = app.test_client().get(f"/admin/login?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page and word in page


def test_browser_language_is_the_default_before_login(app: Flask) -> None:
    page = app.test_client().get("/admin/login", headers={"Accept-Language": "my,en;q=0.5"})
    assert '<html lang="my">' in page.get_data(as_text=True)


def test_each_user_keeps_their_own_language(app: Flask, accounts: Accounts) -> None:
    partner = logged_in(app, accounts.emails["partner"])
    editor = logged_in(app, accounts.emails["editor"])
    post(partner, "/admin/account", {"lang-lang": "my"})
    assert "ကိစ္စများ" in partner.get("/admin/cases/").get_data(as_text=True)
    assert "Guidance content" in editor.get("/admin/content/").get_data(as_text=True)


def test_the_stylesheet_names_fonts_and_line_height_for_burmese_khmer_and_lao() -> None:
    css = (ROOT / "admin" / "static" / "admin.css").read_text()
    for font in ("Noto Sans Myanmar", "Padauk", "Noto Sans Khmer", "Khmer OS", "Noto Sans Lao",
                 "Phetsarath OT", "Noto Sans Thai"):
        assert f'"{font}"' in css, font
    assert ":lang(my), :lang(km), :lang(lo) { line-height: 1.8; }" in css
    assert len(css.encode()) < 10_000  # a few kilobytes, once, then cached
