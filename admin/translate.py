"""Translators' round trip: download one language as a .po catalog, upload it back."""

from __future__ import annotations

import io

from babel.messages.pofile import PoFileError
from flask import Blueprint, Response, abort, flash, render_template, request
from flask_babel import gettext as _

from admin import audit
from admin.forms import PoImportForm
from admin.labels import LANGUAGES
from admin.web import allow, go, user
from bot.content.po import export_catalog, import_catalog, read_catalog, write_catalog
from bot.storage.content_db import load_docs_from_db, save_topic
from bot.storage.db import get_session
from bot.storage.models.editorial import bump_revision

bp = Blueprint("translate", __name__, url_prefix="/translate")
EDITORS = ("editor", "admin")
TARGETS = [code for code in LANGUAGES if code != "en"]


@bp.route("/", methods=["GET", "POST"])
@allow(*EDITORS)
def index():  # type: ignore[no-untyped-def]
    """Export links per language and the upload form."""
    form = PoImportForm()
    lang = request.form.get("lang", "")
    if form.validate_on_submit():
        if lang not in TARGETS:
            abort(400)
        try:
            catalog = read_catalog(io.BytesIO(form.file.data.read()))
        except (PoFileError, ValueError, UnicodeDecodeError):
            flash(_("That file is not a .po catalog."), "error")
            return go("admin.translate.index")
        db = get_session()
        topics = load_docs_from_db(db).topics
        publish = request.form.get("publish") == "1"
        try:
            updated, changed = import_catalog(topics, catalog, lang, publish=publish)
        except ValueError as problem:
            flash(str(problem), "error")
            return go("admin.translate.index")
        for slug in changed:
            save_topic(db, slug, updated[slug], user().email)
        if changed:
            bump_revision(db, f"po import {lang}: {len(changed)} topics", user().email)
        audit.record("content.po_import", "language", lang,
                     detail={"topics": changed, "publish": publish})
        db.commit()
        flash(_("%(n)s topics changed.", n=len(changed)), "info")
        return go("admin.translate.index")
    return render_template("admin/translate.html", form=form, targets=TARGETS, names=LANGUAGES)


@bp.get("/<lang>.po")
@allow(*EDITORS)
def export(lang: str):  # type: ignore[no-untyped-def]
    """Every topic in one language beside its English source, as a gettext catalog."""
    if lang not in TARGETS:
        abort(404)
    catalog = export_catalog(load_docs_from_db(get_session()).topics, lang)
    out = io.BytesIO()
    write_catalog(catalog, out)
    audit.record("content.po_export", "language", lang)
    get_session().commit()
    return Response(out.getvalue(), mimetype="text/x-gettext-translation",
                    headers={"Content-Disposition": f'attachment; filename="helpline-{lang}.po"'})
