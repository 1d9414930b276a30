"""The content editor: grid, drafts that stay unpublished, checks, publish, history, rollback,
the translators' .po round trip, hotlines, and the bot answering with what was published."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from admin.editorial import diff
from bot.content.po import read_catalog
from bot.storage.content_db import sync_from_files
from bot.storage.db import transaction
from bot.storage.models import (
    AuditEntry,
    ContentDraft,
    HotlineRow,
    Topic,
    TopicText,
    content_revision,
)
from tests.admin.conftest import Accounts, logged_in, post

EDIT = "/admin/content/safe-migration/my"
NEW_SMS = "ပတ်စပို့ကို ကိုယ်တိုင်သိမ်းပါ။ အကူအညီလိုလျှင် ဤနေရာသို့ စာပို့ပါ။"


def _loaded(app: Flask) -> None:
    with transaction(app) as db:
        sync_from_files(db)


def _text(app: Flask, lang: str = "my") -> TopicText:
    with transaction(app) as db:
        text = db.scalar(select(TopicText).filter_by(slug="safe-migration", lang=lang, variant=""))
        assert text is not None
        db.expunge(text)
        return text


def _revision(app: Flask) -> int:
    with transaction(app) as db:
        return content_revision(db)


def test_grid_loads_the_files_once_and_shows_every_language(app: Flask,
                                                           accounts: Accounts) -> None:
    page = logged_in(app, accounts.emails["editor"]).get("/admin/content/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "safe-migration" in html and 'lang="my"' in html
    assert html.count('class="s-published"') >= 1 and 'class="s-needs-review"' in html
    with transaction(app) as db:
        assert db.get(Topic, "safe-migration") is not None


def test_a_draft_is_kept_but_never_served(app: Flask, accounts: Accounts) -> None:
    _loaded(app)
    before, revision = _text(app), _revision(app)
    client = logged_in(app, accounts.emails["editor"])
    saved = post(client, EDIT, {"title": before.title, "sms": NEW_SMS, "long": "",
                                "action": "draft"})
    assert saved.status_code == 303
    after = _text(app)
    assert (after.sms, after.version) == (before.sms, before.version)
    assert _revision(app) == revision
    page = client.get(EDIT).get_data(as_text=True)
    assert NEW_SMS in page and "Unpublished draft" in page
    assert "*" in client.get("/admin/content/").get_data(as_text=True)


def test_publish_makes_a_new_version_and_bumps_the_revision(app: Flask,
                                                            accounts: Accounts) -> None:
    _loaded(app)
    before, revision = _text(app), _revision(app)
    client = logged_in(app, accounts.emails["editor"])
    post(client, EDIT, {"title": before.title, "sms": "old draft", "action": "draft"})
    done = post(client, EDIT, {"title": before.title, "sms": NEW_SMS + "\r\nနောက်တစ်ကြောင်း",
                               "long": before.long, "action": "publish", "note": "shorter"})
    assert done.status_code == 303, done.get_data(as_text=True)
    after = _text(app)
    assert after.sms == NEW_SMS + "\nနောက်တစ်ကြောင်း"  # browsers' CRLF stored as LF
    assert (after.version, after.status) == (before.version + 1, "published")
    assert _revision(app) == revision + 1
    with transaction(app) as db:
        assert db.scalar(select(ContentDraft)) is None
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "content.publish"))
        assert entry is not None and entry.actor == accounts.emails["editor"]


def test_publishing_is_refused_over_the_sms_budget_or_with_a_phone_number(
    app: Flask, accounts: Accounts
) -> None:
    _loaded(app)
    before, revision = _text(app), _revision(app)
    client = logged_in(app, accounts.emails["editor"])
    too_long = post(client, EDIT, {"title": before.title, "sms": "က" * 250, "action": "publish"})
    assert too_long.status_code == 400
    assert "over the budget" in too_long.get_data(as_text=True)
    number = post(client, EDIT, {"title": before.title, "sms": "ဖုန်း 0812345678 ကိုခေါ်ပါ",
                                 "action": "publish"})
    assert "phone number" in number.get_data(as_text=True)
    assert _text(app).version == before.version and _revision(app) == revision


def test_the_editor_shows_the_counter_and_both_previews(app: Flask, accounts: Accounts) -> None:
    _loaded(app)
    client = logged_in(app, accounts.emails["editor"])
    page = post(client, EDIT, {"title": "t", "sms": "Hello [world]", "action": "preview"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "GSM-7: 15 units, 1 SMS (budget 3)" in html  # brackets cost two septets each
    assert 'class="sms"' in html and 'class="tg"' in html
    assert 'data-sms-counter="sms-count"' in html and "segments.js" in html


def test_history_diff_and_rollback(app: Flask, accounts: Accounts) -> None:
    _loaded(app)
    before = _text(app)
    client = logged_in(app, accounts.emails["editor"])
    post(client, EDIT, {"title": before.title, "sms": NEW_SMS, "action": "publish"})
    history = client.get(f"{EDIT}/history").get_data(as_text=True)
    assert "<del>" in history and "<ins>" in history
    revision = _revision(app)
    back = post(client, f"{EDIT}/rollback", {"version": before.version})
    assert back.status_code == 303
    restored = _text(app)
    assert restored.sms == before.sms and restored.version == before.version + 2
    assert _revision(app) == revision + 1
    assert post(client, f"{EDIT}/rollback", {"version": 99}).status_code == 404


def test_diff_marks_removed_and_added_text_and_escapes_it() -> None:
    assert str(diff("ab<c", "ab<d")) == "ab&lt;<del>c</del><ins>d</ins>"


def test_overdue_review_and_marking_it_reviewed(app: Flask, accounts: Accounts) -> None:
    _loaded(app)
    with transaction(app) as db:
        topic = db.get(Topic, "safe-migration")
        old = (date.today() - timedelta(days=400)).isoformat()
        topic.meta = {**topic.meta, "reviewed_on": old, "review_every_days": 180}
    client = logged_in(app, accounts.emails["editor"])
    assert "overdue review" in client.get("/admin/content/").get_data(as_text=True)
    post(client, "/admin/content/safe-migration/reviewed")
    with transaction(app) as db:
        assert db.get(Topic, "safe-migration").meta["reviewed_on"] == date.today().isoformat()


def test_po_round_trip_for_translators(app: Flask, accounts: Accounts) -> None:
    _loaded(app)
    client = logged_in(app, accounts.emails["editor"])
    exported = client.get("/admin/translate/my.po")
    assert exported.status_code == 200
    catalog = read_catalog(io.BytesIO(exported.data))
    message = next(m for m in catalog if m.context == "safe-migration:sms")
    assert message.string == _text(app).sms
    message.string, message.flags = NEW_SMS, set()
    from bot.content.po import write_catalog

    out = io.BytesIO()
    write_catalog(catalog, out)
    revision = _revision(app)
    uploaded = post(client, "/admin/translate/", {
        "lang": "my", "publish": "1", "file": (io.BytesIO(out.getvalue()), "my.po")},
        content_type="multipart/form-data")
    assert uploaded.status_code == 303
    after = _text(app)
    assert after.sms == NEW_SMS
    assert _revision(app) == revision + 1


def test_hotline_edit_and_verification(app: Flask, accounts: Accounts) -> None:
    client = logged_in(app, accounts.emails["editor"])
    revision = _revision(app)
    added = post(client, "/admin/hotlines/", {
        "country": "TH", "number": "1300", "kind": "anti-trafficking", "name": "Prachabodi",
        "purpose": "Trafficking reports", "source_title": "Ministry site",
        "source_url": "https://example.org/1300"})
    assert added.status_code == 303, added.get_data(as_text=True)
    with transaction(app) as db:
        row = db.scalar(select(HotlineRow).where(HotlineRow.number == "1300"))
        assert row is not None and not row.verified
        row_id = row.id
    post(client, f"/admin/hotlines/{row_id}", {
        "country": "TH", "number": "1300", "kind": "anti-trafficking", "name": "Prachabodi",
        "source_title": "Ministry site", "verified": "y"})
    with transaction(app) as db:
        row = db.get(HotlineRow, row_id)
        assert row.verified and row.checked_on == date.today()
        assert row.updated_by == accounts.emails["editor"]
        assert db.scalar(select(AuditEntry).where(AuditEntry.action == "hotline.update"))
    assert _revision(app) == revision + 2
    assert "Ministry site" in client.get("/admin/hotlines/?country=TH").get_data(as_text=True)


def test_the_bot_answers_with_the_published_text(app: Flask, accounts: Accounts) -> None:
    from bot.service import get_helpline

    helpline = get_helpline(app)
    ask = "ဘေးကင်းစွာသွား"
    helpline.receive("sms", "+95900000001", ask, key="k1")
    helpline.receive("sms", "+95900000001", "1", key="k2")  # Thailand
    _loaded(app)
    client = logged_in(app, accounts.emails["editor"])
    post(client, EDIT, {"title": _text(app).title, "sms": NEW_SMS, "action": "publish"})
    replies = helpline.receive("sms", "+95900000001", ask, key="k3").replies
    assert any(NEW_SMS in reply.text for reply in replies), [r.text for r in replies]


def test_unanswered_questions_are_the_editors_to_do_list(app: Flask, accounts: Accounts) -> None:
    from bot.storage.models import Interaction

    with transaction(app) as db:
        db.add(Interaction(kind="unanswered", lang="my", country="TH", text="ဘယ်မှာလဲ"))
    page = logged_in(app, accounts.emails["editor"]).get("/admin/content/unanswered")
    assert re.search(r'lang="my">ဘယ်မှာလဲ<', page.get_data(as_text=True))
