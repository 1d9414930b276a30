"""The panel's own languages: Flask-Babel catalogs under admin/translations, chosen per user.

Compiled .mo files are not kept in git, so the .po catalogs are compiled at start-up into the
instance folder (atomically, so several gunicorn workers can start at once).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request, session
from flask_babel import Babel, get_locale

TRANSLATIONS = Path(__file__).parent / "translations"
DOMAIN = "admin"
# The panel's languages, each named in its own script so anyone can find theirs.
PANEL_LANGS = {
    "en": "English",
    "th": "ไทย",
    "my": "မြန်မာ",
    "km": "ខ្មែរ",
    "lo": "ລາວ",
}
# Scripts that need a taller line and their own fonts (see admin.css).
TALL_SCRIPTS = ("my", "km", "lo")


def compile_catalogs(target: Path) -> Path:
    """Writes a .mo beside each language's .po in `target`, when missing or older."""
    for po in sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po.parent.parent.name
        mo = target / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=DOMAIN)
        fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        os.replace(tmp, mo)
    return target


def select_locale() -> str:
    """The user's chosen language, else the one asked for on the login page, else the browser's."""
    account = g.get("admin_user")
    if account is not None and account.lang in PANEL_LANGS:
        return str(account.lang)
    chosen = session.get("panel_lang")
    if chosen in PANEL_LANGS:
        return str(chosen)
    return request.accept_languages.best_match(list(PANEL_LANGS)) or "en"


def init_app(app: Flask) -> None:
    """Compiles the catalogs and sets up Flask-Babel for the panel."""
    compiled = compile_catalogs(Path(app.instance_path) / "admin-translations")
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config["BABEL_DOMAIN"] = DOMAIN
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        PANEL_LANGS=PANEL_LANGS, TALL_SCRIPTS=TALL_SCRIPTS, get_locale=get_locale
    )
