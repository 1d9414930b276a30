"""The admin panel in a real browser: Debian's chromium driven by Playwright, a real server.

An editor publishes a Burmese text and the bot answers with it; a partner acknowledges a case
and writes to the reporter; the analyst reads the dashboard; the core tasks also work with
JavaScript switched off. Screenshots land in test-output/screenshots/ for people to look at.
Needs /usr/bin/chromium and fonts-noto-core (.ci/install-browser); never `playwright install`.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from bot.core.segments import count
from bot.storage.content_db import sync_from_files
from bot.storage.db import transaction
from bot.storage.models import (
    AdminUser,
    Case,
    CaseMessage,
    Contact,
    Interaction,
    Message,
    OutboxMessage,
    TopicText,
    utcnow,
)
from tests.admin.conftest import PASSWORD, Accounts, make_case

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).parents[2] / "test-output" / "screenshots"
NEW_SMS = ("ပတ်စပို့ကို ကိုယ်တိုင်သိမ်းပါ။ အလုပ်ရှင် သိမ်းခွင့်မရှိပါ။ "
           "အကူအညီလိုလျှင် ဤနေရာသို့ စာပို့ပါ။ အခမဲ့ဖြစ်သည်။")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
                       " (run .ci/install-browser)"),
]


@pytest.fixture
def app(db_url: str) -> Iterator[Flask]:
    """The app served over plain http on 127.0.0.1, so the session cookie is not Secure."""
    from tests.conftest import make_test_app

    app = make_test_app(db_url, SESSION_COOKIE_SECURE=False)
    yield app
    from bot.storage.db import get_engine

    get_engine(app).dispose()


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    """The real WSGI server on a free port, in a thread."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(10)


@pytest.fixture
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright.chromium


@contextmanager
def browser(chromium: Any, javascript: bool = True) -> Iterator[Any]:
    """A fresh profile (its own user-data-dir) per person, as on separate phones."""
    with tempfile.TemporaryDirectory() as profile:
        context = chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=ARGS, headless=True,
            java_script_enabled=javascript, viewport={"width": 1100, "height": 900},
        )
        try:
            yield context.new_page()
        finally:
            context.close()


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/admin/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def shot(page: Any, name: str, full: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def _seed(app: Flask, accounts: Accounts) -> str:
    """Content, a reachable urgent Burmese case, and some weeks of traffic for the dashboard."""
    now = utcnow()
    with transaction(app) as db:
        sync_from_files(db)
        for user in db.scalars(select(AdminUser)):
            user.lang = {"partner": "my", "analyst": "km"}.get(user.role, "en")
        contacts = [Contact(pseudonym=f"c{i}", channel="sms", country=("TH", "MY", "KH")[i % 3],
                            lang=("my", "km", "lo")[i % 3]) for i in range(24)]
        db.add_all(contacts)
        db.flush()
        for i, contact in enumerate(contacts):
            at = now - timedelta(days=i * 3)
            db.add(Message(contact_id=contact.id, direction="in", channel="sms", created_at=at))
            db.add(Message(contact_id=contact.id, direction="out", channel="sms", created_at=at))
            db.add(Interaction(kind="topic", slug=("safe-migration", "unpaid-wages")[i % 2],
                               lang=contact.lang, country=contact.country, created_at=at))
        db.add(Interaction(kind="unanswered", lang="lo", country="TH", text="ເງິນເດືອນບໍ່ໄດ້"))
    urgent = make_case(app, accounts.partner_a, reachable=True, urgent=True, danger=True,
                       description="ဘော့စ်က ပတ်စပို့ကို သိမ်းထားသည်။ အိမ်ပြန်ခွင့်မပေးပါ။",
                       ack_due_at=now + timedelta(minutes=25),
                       created_at=now - timedelta(minutes=5))
    for i in range(8):
        make_case(app, accounts.partner_a, lang=("my", "km", "lo")[i % 3],
                  category=("unpaid-wages", "document-confiscation")[i % 2],
                  created_at=now - timedelta(days=4 * i + 1),
                  status="closed" if i % 3 == 0 else "assigned",
                  outcome="safe" if i % 3 == 0 else None, acknowledged_at=now - timedelta(days=i))
    return urgent


def test_editor_publishes_burmese_and_the_bot_answers_with_it(
    app: Flask, server: str, chromium: Any, accounts: Accounts
) -> None:
    _seed(app, accounts)
    with browser(chromium) as page:
        log_in(page, server, accounts.emails["editor"])
        page.wait_for_url("**/admin/content/")
        shot(page, "content-grid")
        page.goto(f"{server}/admin/content/safe-migration/my")
        sms = page.locator("#sms")
        sms.fill(NEW_SMS)
        expected = count(NEW_SMS)
        counter = page.locator("#sms-count")
        assert counter.inner_text() == (f"{expected.encoding}: {expected.units} units, "
                                        f"{expected.segments} SMS (budget 3)")
        page.get_by_role("button", name="Update preview").click()
        assert NEW_SMS in page.locator(".sms").first.inner_text()
        shot(page, "content-editor-burmese")
        page.get_by_role("button", name="Publish").click()
        assert "Published" in page.locator(".flash").inner_text()
        page.goto(f"{server}/admin/content/safe-migration/km")
        shot(page, "content-editor-khmer")
        page.goto(f"{server}/admin/content/safe-migration/lo")
        shot(page, "content-editor-lao")
    from bot.service import get_helpline

    helpline = get_helpline(app)
    helpline.receive("sms", "+95900000009", "ဘေးကင်းစွာသွား", key="b1")
    helpline.receive("sms", "+95900000009", "1", key="b2")
    replies = helpline.receive("sms", "+95900000009", "ဘေးကင်းစွာသွား", key="b3").replies
    assert any(NEW_SMS in reply.text for reply in replies), [r.text for r in replies]


def test_partner_acknowledges_and_writes_to_the_reporter(
    app: Flask, server: str, chromium: Any, accounts: Accounts
) -> None:
    code = _seed(app, accounts)
    with browser(chromium) as page:
        log_in(page, server, accounts.emails["partner"])
        page.wait_for_url("**/admin/cases/")
        first = page.locator("tbody tr").first
        assert code in first.inner_text()  # the urgent one waiting for acknowledgement
        shot(page, "partner-inbox")
        first.get_by_role("link", name=code).click()
        page.locator("form[action$='/acknowledge'] button").click()
        page.locator("#relay-text").fill("We can help you. Are you safe now?")
        page.locator("form[action$='/relay'] button").click()
        assert "We can help you" in page.locator(".timeline").inner_text()
        shot(page, "partner-case")
    with transaction(app) as db:
        case = db.scalar(select(Case).where(Case.code == code))
        assert case.acknowledged_at is not None and case.status == "in_progress"
        assert db.scalar(select(OutboxMessage)) is not None
        assert db.scalar(select(CaseMessage).where(CaseMessage.kind == "to_reporter"))


def test_dashboard_for_admin_and_analyst(
    app: Flask, server: str, chromium: Any, accounts: Accounts
) -> None:
    _seed(app, accounts)
    with browser(chromium) as page:
        log_in(page, server, accounts.emails["admin"])
        page.wait_for_url("**/admin/dashboard/")
        assert page.locator("svg.chart").count() >= 5
        shot(page, "dashboard-admin")
    with browser(chromium) as page:
        log_in(page, server, accounts.emails["analyst"])
        page.wait_for_url("**/admin/dashboard/")
        assert "<5" in page.locator("main").inner_text()
        shot(page, "dashboard-analyst")


def test_core_tasks_work_without_javascript(
    app: Flask, server: str, chromium: Any, accounts: Accounts
) -> None:
    code = _seed(app, accounts)
    with browser(chromium, javascript=False) as page:
        log_in(page, server, accounts.emails["editor"])
        page.goto(f"{server}/admin/content/safe-migration/my")
        page.locator("#sms").fill("ပတ်စပို့ကို ကိုယ်တိုင်သိမ်းပါ။")
        page.get_by_role("button", name="Publish").click()
        assert "Published" in page.locator(".flash").inner_text()
    with browser(chromium, javascript=False) as page:
        log_in(page, server, accounts.emails["partner"])
        page.goto(f"{server}/admin/cases/{code}")
        page.locator("form[action$='/acknowledge'] button").click()
    with transaction(app) as db:
        text = db.scalar(select(TopicText).filter_by(slug="safe-migration", lang="my",
                                                     variant=""))
        assert text.sms == "ပတ်စပို့ကို ကိုယ်တိုင်သိမ်းပါ။"
        assert db.scalar(select(Case.acknowledged_at).where(Case.code == code)) is not None


def test_phone_sized_screen_and_the_live_counter_in_the_browser(
    app: Flask, server: str, chromium: Any, accounts: Accounts
) -> None:
    from tests.admin.test_segments_js import CASES

    _seed(app, accounts)
    with browser(chromium) as page:
        page.set_viewport_size({"width": 360, "height": 740})
        log_in(page, server, accounts.emails["editor"])
        page.goto(f"{server}/admin/content/safe-migration/my")
        counted = page.evaluate("cases => cases.map(HelplineSegments.count)", CASES)
        assert counted == [{"encoding": c.encoding, "units": c.units, "segments": c.segments}
                           for c in map(count, CASES)]
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, "the editor must not scroll sideways on a phone"
        page.locator("#sms").scroll_into_view_if_needed()
        page.locator("#sms").fill("ပတ်စပို့ကို ကိုယ်တိုင်သိမ်းပါ။")
        shot(page, "phone-editor", full=False)
