"""A report made over SMS and over Telegram reaches the right partner by e-mail and by a signed
webhook, with redacted text, and no identifying data is left anywhere in the database."""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import inspect, select, text

from bot.reports import deliver_due_notifications
from bot.reports.notify import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify_signature
from bot.storage.db import get_engine, transaction
from bot.storage.models import Case, CaseEvent, Contact, ContactAddress, Notification
from tests.reports.conftest import (
    HOOK_SECRET,
    PUBLIC,
    START,
    HookServer,
    Mailbox,
    Partners,
    converse,
    file_report,
)

PHONE = "+66 81 234 5678"
TELEGRAM_ID = "7712345678"
# What the person wrote, with numbers in Thai, Burmese and full-width digits, an e-mail, a
# passport number and a bank account: none of it may be stored or shown to a partner.
STORY = (
    "นายจ้างยึดพาสปอร์ต MB1234567 โทรหาฉันที่ ๐๘๙๘๗๖๕๔๓๒ "
    "ကျွန်တော့်ဖုန်း ၀၉၄၅၆၇၈၉၁၂၃ email somchai.k@example.com 账户１２３-４-５６７８９-０"
)
SECRETS = [
    "66812345678",
    "812345678",
    "81 234 5678",
    TELEGRAM_ID,
    "MB1234567",
    "0898765432",
    "๐๘๙๘๗๖๕๔๓๒",
    "09456789123",
    "၀၉၄၅၆၇၈၉၁၂၃",
    "somchai.k@example.com",
    "1234567890",
    "123-4-56789-0",
    "１２３-４-５６７８９-０",
]


def _file(app: Flask, channel: str, address: str, minutes: int) -> Case:
    case, replies = file_report(
        app, channel, address, START + timedelta(minutes=minutes), category="3", text=STORY
    )
    assert "carries no penalty" in replies[4][0]
    return case


def test_sms_and_telegram_reports_reach_the_partner_by_email_and_signed_webhook(
    app: Flask, partners: Partners, mailbox: Mailbox, hooks: HookServer
) -> None:
    sms = _file(app, "sms", PHONE, 0)
    telegram = _file(app, "telegram", TELEGRAM_ID, 30)
    for case in (sms, telegram):
        assert case.partner_id == partners.ngo  # document confiscation in Thailand: Mekong Aid
        assert case.status == "assigned" and case.urgent and case.consent
        assert "[id]" in case.description and "[number]" in case.description
        assert "[email]" in case.description
    assert (sms.channel, telegram.channel) == ("sms", "telegram")

    assert deliver_due_notifications(app, START + timedelta(hours=1)) == 4
    mails = mailbox.to("duty@mekongaid.example.org")
    assert sorted(m["Subject"] for m in mails) == sorted(
        f"URGENT Helpline: New report {c.code}" for c in (sms, telegram)
    )
    body = mails[0].get_payload()
    assert f"{PUBLIC}/admin/cases/" in body and "category: document-confiscation" in body
    assert len(hooks.requests) == 2
    for hook in hooks.requests:
        data = hook.json()
        assert set(data) == {"event", "delivery", "sent_at", "case", "link"}
        assert set(data["case"]) == {"code", "urgent", "category", "country", "language", "status"}
        assert data["link"] == f"{PUBLIC}/admin/cases/{data['case']['code']}"
        stamp, signature = hook.headers[TIMESTAMP_HEADER], hook.headers[SIGNATURE_HEADER]
        assert signature == sign(HOOK_SECRET, hook.body, int(stamp))
        assert verify_signature(HOOK_SECRET, hook.body, stamp, signature)
        assert not verify_signature("another secret", hook.body, stamp, signature)
        assert not verify_signature(HOOK_SECRET, hook.body + b" ", stamp, signature)
        assert not verify_signature(HOOK_SECRET, hook.body, str(int(stamp) - 3600), signature)
    shown = [str(mail) for mail in mails] + [hook.body.decode() for hook in hooks.requests]
    for notice in shown:  # no free text at all, not even the province
        for secret in [*SECRETS, "Mae Sot", "นายจ้าง", "somchai"]:
            assert secret not in notice
    with transaction(app) as session:
        statuses = session.scalars(select(Notification.status)).all()
        assert set(statuses) == {"sent"}
    _assert_nothing_identifying(app)


def test_a_failing_webhook_is_retried_until_it_is_delivered(
    app: Flask, partners: Partners, hooks: HookServer
) -> None:
    _file(app, "sms", PHONE, 0)
    hooks.status = 503
    now = START + timedelta(minutes=20)
    deliver_due_notifications(app, now)
    assert len(hooks.requests) == 1
    assert deliver_due_notifications(app, now + timedelta(seconds=30)) == 0  # backing off
    hooks.status = 200
    assert deliver_due_notifications(app, now + timedelta(minutes=5)) == 1
    assert len(hooks.requests) == 2
    with transaction(app) as session:
        hook = session.scalars(select(Notification).where(Notification.channel == "webhook")).one()
        assert (hook.status, hook.attempts) == ("sent", 2)


def test_only_consent_keeps_a_sealed_reply_address(app: Flask, partners: Partners) -> None:
    yes, _ = file_report(app, "sms", PHONE, consent="1")
    no, _ = file_report(app, "telegram", TELEGRAM_ID, consent="2")
    skipped, _ = file_report(app, "sms", "+95 9 450 000 111", consent="SKIP")
    with transaction(app) as session:
        kept = {a.contact_id for a in session.scalars(select(ContactAddress))}
        assert kept == {yes.contact_id}
        assert session.get(Case, no.id).consent is False
        assert session.get(Case, skipped.id).consent is False
        sealed = session.get(ContactAddress, yes.contact_id).sealed
    assert "812345678" not in sealed
    _assert_nothing_identifying(app)


def test_delete_forgets_the_person_and_keeps_only_anonymous_case_fields(
    app: Flask, partners: Partners
) -> None:
    case, _ = file_report(app, "telegram", TELEGRAM_ID, text=STORY)
    converse(app, "telegram", TELEGRAM_ID, ["DELETE"], START + timedelta(hours=1))
    with transaction(app) as session:
        kept = session.get(Case, case.id)
        assert kept.contact_id is None and kept.description is None and kept.province is None
        assert (kept.category, kept.country, kept.urgent) == ("forced-labour", "TH", True)
        assert kept.anonymised_at is not None
        assert session.scalars(select(Contact)).all() == []
        assert session.scalars(select(ContactAddress)).all() == []
        kinds = [e.kind for e in session.scalars(select(CaseEvent))]
        assert "anonymised" in kinds
    # Starting again is a new person who cannot see the old case.
    replies = converse(
        app,
        "telegram",
        TELEGRAM_ID,
        ["hello", "7", "1", f"STATUS {case.code}"],
        START + timedelta(hours=2),
    )
    assert "found no report" in replies[-1][0]
    _assert_nothing_identifying(app)


def _assert_nothing_identifying(app: Flask) -> None:
    """Every value of every table, and the database file or a pg_dump, holds none of SECRETS."""
    engine = get_engine(app)
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                dump = " ".join(str(v) for v in row)
                for secret in SECRETS:
                    assert secret not in dump, (table, secret)
    raw = _raw_database(app)
    for secret in SECRETS:
        assert secret.encode() not in raw, secret


def _raw_database(app: Flask) -> bytes:
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        get_engine(app).dispose()
        path = Path(url.removeprefix("sqlite:///"))
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(p.read_bytes() for p in files if p.exists())
    if not _which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    dump = subprocess.run(["pg_dump", "--data-only", url], capture_output=True, check=True)
    return dump.stdout


def _which(name: str) -> bool:
    return any((Path(d) / name).exists() for d in os.environ.get("PATH", "").split(os.pathsep))
