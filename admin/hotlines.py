"""The hotline directory: numbers per country with their source; only verified ones are sent."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _
from sqlalchemy import func, select

from admin import audit
from admin.forms import HotlineForm, options
from admin.labels import COUNTRIES
from admin.web import allow, go, user
from bot.storage.db import get_session
from bot.storage.models import HotlineDirectory, HotlineRow, utcnow
from bot.storage.models.editorial import bump_revision

bp = Blueprint("hotlines", __name__, url_prefix="/hotlines")
EDITORS = ("editor", "admin")
EDITABLE = ("number", "kind", "name", "purpose", "source_title", "source", "verified")


def _country(code: str | None) -> str:
    return code if code in COUNTRIES else "TH"


def _form(row: HotlineRow | None = None) -> HotlineForm:
    form = HotlineForm(obj=None)
    form.country.choices = options(COUNTRIES.items())
    if row is not None and request.method == "GET":
        form.country.data = row.country
        for name in ("number", "kind", "name", "purpose", "source_title", "verified"):
            getattr(form, name).data = getattr(row, name)
        form.source_url.data = row.source
        form.languages.data = ", ".join(row.languages or [])
    return form


def _apply(row: HotlineRow, form: HotlineForm) -> dict[str, object]:
    """Copies the form onto the row; returns what changed, for the audit log."""
    values = {
        "number": (form.number.data or "").strip(),
        "kind": (form.kind.data or "").strip(),
        "name": (form.name.data or "").strip(),
        "purpose": (form.purpose.data or "").strip(),
        "source_title": (form.source_title.data or "").strip(),
        "source": (form.source_url.data or "").strip(),
        "verified": bool(form.verified.data),
        "languages": [x.strip() for x in (form.languages.data or "").split(",") if x.strip()],
    }
    changed = {k: v for k, v in values.items() if getattr(row, k, None) != v}
    for key, value in values.items():
        setattr(row, key, value)
    if changed.get("verified"):
        row.checked_on = date.today()
    row.updated_at, row.updated_by = utcnow(), user().email
    return changed


@bp.route("/", methods=["GET", "POST"])
@allow(*EDITORS)
def index():  # type: ignore[no-untyped-def]
    """One country's numbers, and the form to add one."""
    db = get_session()
    country = _country(request.values.get("country"))
    form = _form()
    if request.method == "GET":
        form.country.data = country
    if form.validate_on_submit():
        country = _country(form.country.data)
        directory = db.get(HotlineDirectory, country)
        if directory is None:
            directory = HotlineDirectory(country=country, meta={}, updated_by=user().email)
            db.add(directory)
            db.flush()
        position = db.scalar(select(func.count()).where(HotlineRow.country == country)) or 0
        row = HotlineRow(country=country, position=position, entry_id=_entry_id(form, position),
                         also_kinds=[], also_reported_by=[])
        changed = _apply(row, form)
        db.add(row)
        db.flush()
        bump_revision(db, f"hotline add {country}/{row.entry_id}", user().email)
        audit.record("hotline.create", "hotline", row.id, detail={"country": country, **changed})
        db.commit()
        flash(_("Number added."), "info")
        return go("admin.hotlines.index", country=country)
    rows = db.scalars(select(HotlineRow).filter_by(country=country).order_by(HotlineRow.position))
    return render_template("admin/hotlines.html", rows=list(rows), form=form, country=country,
                           countries=COUNTRIES), (400 if request.method == "POST" else 200)


def _entry_id(form: HotlineForm, position: int) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", (form.name.data or "").lower()).strip("-")[:40]
    return f"{base or 'entry'}-{position + 1}"


@bp.route("/<int:row_id>", methods=["GET", "POST"])
@allow(*EDITORS)
def edit(row_id: int):  # type: ignore[no-untyped-def]
    """Change one number, its source or its verified flag."""
    db = get_session()
    row = db.get(HotlineRow, row_id)
    if row is None:
        abort(404)
    form = _form(row)
    if form.validate_on_submit():
        changed = _apply(row, form)
        if changed:
            bump_revision(db, f"hotline edit {row.country}/{row.entry_id}", user().email)
            audit.record("hotline.update", "hotline", row.id, detail=changed)
            db.commit()
            flash(_("Saved."), "info")
        return go("admin.hotlines.index", country=row.country)
    return render_template("admin/hotline_edit.html", row=row, form=form,
                           countries=COUNTRIES), (400 if request.method == "POST" else 200)
