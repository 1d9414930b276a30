"""The editors' screens: the topics x languages grid, one text's editor, history and rollback."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from flask import Blueprint, abort, current_app, flash, render_template, request
from flask_babel import gettext as _

from admin import audit, editorial
from admin.forms import TopicTextForm
from admin.labels import CONTENT_STATUSES, LANGUAGES
from admin.preview import sms_pages, telegram_text
from admin.web import allow, go, user
from bot.content.schema import Problem
from bot.core.segments import count
from bot.storage.content_db import sync_from_files
from bot.storage.db import get_session
from bot.storage.models import Topic, TopicText

bp = Blueprint("content", __name__, url_prefix="/content")
EDITORS = ("editor", "admin")


@bp.get("/")
@allow(*EDITORS)
def grid():  # type: ignore[no-untyped-def]
    """Every topic in every language, with what needs doing."""
    db = get_session()
    if db.get(Topic, "safe-migration") is None and not db.query(Topic).first():
        loaded = sync_from_files(db, by=user().email)
        audit.record("content.load_files", "content", None, detail={"loaded": loaded})
        db.commit()
    rows = editorial.grid(db, date.today())
    return render_template("admin/content_grid.html", rows=rows, langs=editorial.GRID_LANGS,
                           names=LANGUAGES, statuses=CONTENT_STATUSES)


def _topic_or_404(slug: str, lang: str) -> Topic:
    topic = get_session().get(Topic, slug)
    if topic is None or lang not in editorial.GRID_LANGS:
        abort(404)
    return topic


def _variant(slug: str, lang: str) -> str:
    variant = request.values.get("variant", "")
    if variant and variant not in editorial.variants_of(get_session(), slug, lang):
        abort(404)
    return variant


def _fields(form: TopicTextForm) -> dict[str, str]:
    # Browsers send line ends as CRLF; the bot's texts (and the live counter) use LF.
    return {f: (getattr(form, f).data or "").replace("\r\n", "\n").strip()
            for f in editorial.FIELDS}


@bp.route("/<slug>/<lang>", methods=["GET", "POST"])
@allow(*EDITORS)
def edit(slug: str, lang: str):  # type: ignore[no-untyped-def]
    """One text beside its English source, with a live SMS counter and previews."""
    _topic_or_404(slug, lang)
    db = get_session()
    where = Where(slug, lang, _variant(slug, lang))
    start = editorial.draft_of(db, *where) or editorial.live_text(db, *where)
    form = TopicTextForm(data={f: getattr(start, f) or "" for f in editorial.FIELDS}
                         if start else None)
    found: list[Problem] = []
    if form.validate_on_submit():
        action = request.form.get("action", "preview")
        if action in ("draft", "discard"):
            return _keep_or_drop(where, form, action)
        found = editorial.problems(db, *where, _fields(form))
        if action == "publish" and not any(p.level == "error" for p in found):
            return _publish(where, form)
        if action == "publish":
            flash(_("Not published: fix the problems listed below."), "error")
            return _editor(where, form, found), 400
    return _editor(where, form, found), (400 if form.errors else 200)


class Where(NamedTuple):
    """Which text: topic, language, variant ('' for the base text)."""

    slug: str
    lang: str
    variant: str


def _back(where: Where):  # type: ignore[no-untyped-def]
    return go("admin.content.edit", slug=where.slug, lang=where.lang,
              variant=where.variant or None)


def _keep_or_drop(where: Where, form: TopicTextForm, action: str):  # type: ignore[no-untyped-def]
    """Saves the editor's text as a draft, or drops the draft; nothing served changes."""
    db = get_session()
    if action == "draft":
        editorial.save_draft(db, *where, _fields(form), form.note.data or "", user().email)
        flash(_("Draft saved. Migrants still get the published text."), "info")
    else:
        editorial.discard_draft(db, *where)
    audit.record(f"content.{action}", "topic_text", "/".join(where))
    db.commit()
    return _back(where)


def _publish(where: Where, form: TopicTextForm):  # type: ignore[no-untyped-def]
    text = editorial.publish(get_session(), *where, _fields(form), user().email)
    audit.record("content.publish", "topic_text", "/".join(where),
                 detail={"version": text.version, "note": form.note.data or ""})
    get_session().commit()
    flash(_("Published. The bot answers with this text from now on."), "info")
    return _back(where)


def _editor(where: Where, form: TopicTextForm, found: list[Problem]) -> str:
    db, fields = get_session(), _fields(form)
    slug, lang, variant = where
    budget = int(current_app.config.get("SMS_BUDGET", 3))
    english = editorial.live_text(db, slug, "en", variant) or editorial.live_text(db, slug, "en")
    return render_template(
        "admin/content_edit.html", slug=slug, lang=lang, variant=variant, form=form,
        live=editorial.live_text(db, *where), draft=editorial.draft_of(db, *where),
        english=english,
        variants=editorial.variants_of(db, slug, lang), names=LANGUAGES, problems=found,
        cost=count(fields["sms"]), budget=budget, pages=sms_pages(fields["sms"], lang, budget),
        telegram=telegram_text(fields["long"] or fields["sms"]),
    )


def _text_or_404(slug: str, lang: str, variant: str) -> TopicText:
    _topic_or_404(slug, lang)
    text = editorial.live_text(get_session(), slug, lang, variant)
    if text is None:
        abort(404)
    return text


@bp.get("/<slug>/<lang>/history")
@allow(*EDITORS)
def history(slug: str, lang: str):  # type: ignore[no-untyped-def]
    """Every version of a text, each with its change from the one before."""
    variant = _variant(slug, lang)
    text = _text_or_404(slug, lang, variant)
    versions = editorial.history(get_session(), text)
    changes = []
    for newer, older in zip(versions, [*versions[1:], None], strict=True):
        changes.append((newer, {f: editorial.diff(getattr(older, f, "") if older else "",
                                                  getattr(newer, f)) for f in editorial.FIELDS}))
    return render_template("admin/content_history.html", slug=slug, lang=lang, variant=variant,
                           text=text, changes=changes, names=LANGUAGES)


@bp.post("/<slug>/<lang>/rollback")
@allow(*EDITORS)
def rollback(slug: str, lang: str):  # type: ignore[no-untyped-def]
    """Makes an earlier version live again (as a new version)."""
    variant = _variant(slug, lang)
    text = _text_or_404(slug, lang, variant)
    version = request.form.get("version", type=int)
    try:
        restored = editorial.rollback(get_session(), text, version or 0, user().email)
    except LookupError:
        abort(404)
    audit.record("content.rollback", "topic_text", f"{slug}/{lang}/{variant}",
                 detail={"to": version, "version": restored.version})
    get_session().commit()
    flash(_("Version %(v)s is live again.", v=version), "info")
    return go("admin.content.history", slug=slug, lang=lang, variant=variant or None)


@bp.post("/<slug>/reviewed")
@allow(*EDITORS)
def reviewed(slug: str):  # type: ignore[no-untyped-def]
    """Records that an editor checked the topic's facts today."""
    topic = _topic_or_404(slug, "en")
    topic.meta = {**(topic.meta or {}), "reviewed_on": date.today().isoformat()}
    audit.record("content.reviewed", "topic", slug)
    get_session().commit()
    return go("admin.content.grid")


@bp.get("/unanswered")
@allow(*EDITORS)
def unanswered():  # type: ignore[no-untyped-def]
    """Questions the bot did not understand, newest first: what to write or add keywords for."""
    from admin import stats
    from admin.dashboard import period_from

    period = period_from(request.args)
    questions = stats.unanswered_questions(get_session(), period)
    return render_template("admin/unanswered.html", questions=questions, names=LANGUAGES,
                           args=request.args)
