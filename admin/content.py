"""The editors' screens: the topics x languages grid, one text's editor, history and rollback."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, render_template, request
from flask_babel import gettext as _

from admin import audit, editorial
from admin.forms import TopicTextForm
from admin.labels import CONTENT_STATUSES, LANGUAGES
from admin.preview import sms_pages, telegram_text
from admin.web import allow, go, user
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
    variant = _variant(slug, lang)
    live = editorial.live_text(db, slug, lang, variant)
    draft = editorial.draft_of(db, slug, lang, variant)
    start = draft or live
    form = TopicTextForm(data={f: getattr(start, f) or "" for f in editorial.FIELDS}
                         if start else None)
    found, refused = [], False
    if form.validate_on_submit():
        fields, action = _fields(form), request.form.get("action", "preview")
        if action == "draft":
            note = form.note.data or ""
            editorial.save_draft(db, slug, lang, variant, fields, note, user().email)
            audit.record("content.draft", "topic_text", f"{slug}/{lang}/{variant}")
            db.commit()
            flash(_("Draft saved. Migrants still get the published text."), "info")
            return go("admin.content.edit", slug=slug, lang=lang, variant=variant or None)
        if action == "discard":
            editorial.discard_draft(db, slug, lang, variant)
            audit.record("content.discard", "topic_text", f"{slug}/{lang}/{variant}")
            db.commit()
            return go("admin.content.edit", slug=slug, lang=lang, variant=variant or None)
        found = editorial.problems(db, slug, lang, variant, fields)
        if action == "publish" and not any(p.level == "error" for p in found):
            text = editorial.publish(db, slug, lang, variant, fields, user().email)
            audit.record("content.publish", "topic_text", f"{slug}/{lang}/{variant}",
                         detail={"version": text.version, "note": form.note.data or ""})
            db.commit()
            flash(_("Published. The bot answers with this text from now on."), "info")
            return go("admin.content.edit", slug=slug, lang=lang, variant=variant or None)
        refused = action == "publish"
        if refused:
            flash(_("Not published: fix the problems listed below."), "error")
    fields = _fields(form)
    budget = int(current_app.config.get("SMS_BUDGET", 3))
    return render_template(
        "admin/content_edit.html", slug=slug, lang=lang, variant=variant, form=form, live=live,
        draft=draft, english=editorial.live_text(db, slug, "en", variant)
        or editorial.live_text(db, slug, "en"),
        variants=editorial.variants_of(db, slug, lang), names=LANGUAGES, problems=found,
        cost=count(fields["sms"]), budget=budget,
        pages=sms_pages(fields["sms"], lang, budget),
        telegram=telegram_text(fields["long"] or fields["sms"]),
    ), (400 if refused or form.errors else 200)


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
