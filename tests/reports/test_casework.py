"""Cases after filing: STATUS for the reporter only, escalation, relay both ways, follow-ups,
the staff operations with their audit trail, and retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from bot.reports import deliver_due_notifications, run_escalations, send_due_followups
from bot.reports.cases import (
    CaseError,
    acknowledge,
    add_note,
    change_status,
    close_case,
    reassign,
    refer,
    relay_to_reporter,
)
from bot.reports.partners import deactivate_partner
from bot.reports.retention import purge
from bot.storage.db import transaction
from bot.storage.models import (
    AdminUser,
    AuditEntry,
    Case,
    CaseMessage,
    ContactAddress,
    Message,
    Notification,
    OutboxMessage,
    Partner,
    utcnow,
)
from tests.reports.conftest import ADMIN, START, Mailbox, Partners, converse, file_report, say

PHONE = "+66 81 234 5678"
NEIGHBOUR = "+66 89 000 1111"
TELEGRAM_ID = "5551234567"


def _case(app: Flask, case_id: int) -> Case:
    with transaction(app) as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.events, case.messages  # noqa: B018 - load before the session closes
        session.expunge_all()
        return case


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC, PostgreSQL aware."""
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


# -- STATUS ------------------------------------------------------------------------------------
def test_status_answers_the_reporter_in_plain_words(app: Flask, partners: Partners) -> None:
    case, _ = file_report(app, "sms", PHONE)
    later = START + timedelta(minutes=30)
    assert (
        "an organisation that helps has your report"
        in say(app, "sms", PHONE, f"STATUS {case.code}", later)[0]
    )
    with transaction(app) as session:
        acknowledge(session, session.get(Case, case.id), "cli", at=later)
    assert "has read your report" in say(app, "sms", PHONE, case.code.lower(), later)[0]


def test_nobody_else_learns_anything_about_a_case(app: Flask, partners: Partners) -> None:
    case, _ = file_report(app, "sms", PHONE, text="My sister Mya Mya is locked in a factory.")
    later = START + timedelta(hours=1)
    converse(app, "sms", NEIGHBOUR, ["hello", "7", "1"], later)
    asked = say(app, "sms", NEIGHBOUR, f"STATUS {case.code}", later + timedelta(minutes=5))
    unknown = say(app, "sms", NEIGHBOUR, "STATUS R-XXXX", later + timedelta(minutes=6))
    assert asked == unknown  # the same words for someone else's code and a code that never was
    assert "found no report" in asked[0]
    for question in ["where is Mya Mya", "Mya Mya factory", "who reported my worker"]:
        replies = " ".join(say(app, "sms", NEIGHBOUR, question, later + timedelta(minutes=7)))
        for leak in (case.code, "Mae Sot", "sister", "locked", "Mekong Aid"):
            assert leak not in replies
    converse(app, "telegram", TELEGRAM_ID, ["hello", "7", "1"], later)
    on_telegram = say(app, "telegram", TELEGRAM_ID, f"STATUS {case.code}", later)
    assert "found no report" in on_telegram[0]


# -- escalation --------------------------------------------------------------------------------
def test_an_unacknowledged_urgent_report_escalates_to_the_next_partner_and_the_admins(
    app: Flask, partners: Partners, mailbox: Mailbox
) -> None:
    case, _ = file_report(app, "sms", PHONE)  # forced labour, someone in danger
    assert case.partner_id == partners.ngo and case.urgent
    assert run_escalations(app, START + timedelta(minutes=20)) == 0
    assert run_escalations(app, START + timedelta(minutes=45)) == 1
    moved = _case(app, case.id)
    assert moved.partner_id != partners.ngo and moved.partner_id != partners.police
    assert moved.status == "assigned" and moved.escalations == 1
    assert "escalated" in [e.kind for e in moved.events]
    deliver_due_notifications(app, START + timedelta(minutes=46))
    assert [m["Subject"] for m in mailbox.to(ADMIN)] == [
        f"URGENT Helpline: Report {case.code} was not acknowledged in time"
    ]
    with transaction(app) as session:
        new_owner = session.get(Partner, moved.partner_id)
        assert mailbox.to(new_owner.email)
        acknowledge(session, session.get(Case, case.id), "cli", at=START + timedelta(minutes=50))
    assert run_escalations(app, START + timedelta(hours=3)) == 0


def test_a_report_that_is_not_urgent_does_not_escalate(app: Flask, partners: Partners) -> None:
    case, _ = file_report(app, "sms", PHONE, category="1", danger="2")
    assert not case.urgent and case.partner_id == partners.union
    assert run_escalations(app, START + timedelta(days=3)) == 0


def test_a_deactivated_partners_open_cases_move_to_the_fallback(
    app: Flask, partners: Partners
) -> None:
    open_case, _ = file_report(app, "sms", PHONE, country="2")  # Malaysia: only the fallback
    assert open_case.partner_id == partners.fallback
    case, _ = file_report(app, "sms", NEIGHBOUR, category="1", danger="2")
    with app.app_context(), transaction(app) as session:
        union = session.get(Partner, partners.union)
        moved = deactivate_partner(session, "cli", union, at=START + timedelta(hours=1))
    assert [c.code for c in moved] == [case.code]
    assert _case(app, case.id).partner_id == partners.fallback


# -- relay -------------------------------------------------------------------------------------
def test_a_partners_message_reaches_the_reporter_and_the_answer_threads_back(
    app: Flask, partners: Partners
) -> None:
    case, _ = file_report(app, "telegram", TELEGRAM_ID)
    sent_at = START + timedelta(hours=2)
    with app.app_context(), transaction(app) as session:
        staff = AdminUser(
            email="worker@mekongaid.example.org",
            password_hash="x",
            role="partner",
            partner_id=partners.ngo,
            session_stamp="s",
        )
        relay_to_reporter(
            session,
            session.get(Case, case.id),
            staff,
            "We can meet you safely. Call us on 02 123 4567.",
            at=sent_at,
        )
    with transaction(app) as session:
        row = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.contact_id == case.contact_id)
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert row is not None and row.channel == "telegram"
        assert "We can meet you safely" in row.text and row.address_sealed
        assert TELEGRAM_ID not in row.address_sealed
    # The answer comes hours later, long after the conversation went idle.
    answer_at = sent_at + timedelta(hours=9)
    receipt = say(app, "telegram", TELEGRAM_ID, "Tomorrow 10am, my phone 081 999 8888", answer_at)
    assert receipt == ["Thank you. We passed your message on."]
    scared = say(
        app, "telegram", TELEGRAM_ID, "I am scared, they beat me", answer_at + timedelta(minutes=1)
    )
    assert "If you are in danger now, call" in scared[0]  # the numbers first, at every step
    assert scared[1] == "Thank you. We passed your message on."  # and the relay goes on
    assert "Menu" in say(app, "telegram", TELEGRAM_ID, "MENU", answer_at + timedelta(minutes=2))[0]
    after = say(app, "telegram", TELEGRAM_ID, "hello again", answer_at + timedelta(minutes=3))
    assert after != receipt
    threaded = _case(app, case.id)
    bodies = [(m.kind, m.body) for m in threaded.messages]
    assert bodies[0] == ("to_reporter", "We can meet you safely. Call us on [number].")
    assert bodies[1] == ("from_reporter", "Tomorrow 10am, my phone [number]")
    assert bodies[2] == ("from_reporter", "I am scared, they beat me")
    assert len(bodies) == 3
    assert threaded.status == "assigned" and threaded.ack_due_at is not None  # danger: raised
    assert _utc(threaded.acknowledged_at) == sent_at


def test_relay_needs_consent_and_the_right_partner(app: Flask, partners: Partners) -> None:
    no_consent, _ = file_report(app, "sms", PHONE, consent="2")
    case, _ = file_report(app, "sms", NEIGHBOUR)
    other = AdminUser(
        email="x@union.example.org",
        password_hash="x",
        role="partner",
        partner_id=partners.union,
        session_stamp="s",
    )
    with transaction(app) as session:
        with pytest.raises(CaseError, match="did not agree"):
            relay_to_reporter(session, session.get(Case, no_consent.id), "cli", "Hello")
        with pytest.raises(CaseError, match="may not act"):
            relay_to_reporter(session, session.get(Case, case.id), other, "Hello")
        with pytest.raises(CaseError, match="may not act"):
            acknowledge(session, session.get(Case, case.id), other)


# -- follow-up ---------------------------------------------------------------------------------
def test_a_follow_up_asks_after_n_days_and_need_help_raises_the_case(
    app: Flask, partners: Partners
) -> None:
    case, _ = file_report(app, "sms", PHONE)
    with transaction(app) as session:
        close_case(
            session, session.get(Case, case.id), "in_shelter", "cli", at=START + timedelta(days=2)
        )
    assert send_due_followups(app, START + timedelta(days=6)) == 0
    asked_at = START + timedelta(days=7, hours=1)
    assert send_due_followups(app, asked_at) == 1
    assert send_due_followups(app, asked_at + timedelta(minutes=5)) == 0  # once only
    with transaction(app) as session:
        row = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert row.text == "Hello again from the helpline. Are you safe now?"
        assert [c["label"] for c in row.choices] == ["Yes, I am safe", "I need help"]
        assert case.code not in row.text  # someone else may read the phone
    replies = say(app, "sms", PHONE, "2", asked_at + timedelta(hours=20))
    assert "If you are in danger now, call" in replies[0]  # numbers first
    assert replies[1].startswith("We have told the organisation that you need help.")
    raised = _case(app, case.id)
    assert raised.followup_state == "need_help"
    assert raised.status == "assigned" and raised.urgent and raised.closed_at is None
    assert "reopened" in [e.kind for e in raised.events]


def test_a_follow_up_answered_safe_and_one_never_answered(app: Flask, partners: Partners) -> None:
    safe, _ = file_report(app, "sms", PHONE)
    silent, _ = file_report(app, "telegram", TELEGRAM_ID)
    asked_at = START + timedelta(days=8)
    assert send_due_followups(app, asked_at) == 2
    assert say(app, "sms", PHONE, "1", asked_at + timedelta(hours=1))[0] == (
        "Thank you. We are glad you are safe."
    )
    send_due_followups(app, asked_at + timedelta(days=4))
    assert _case(app, safe.id).followup_state == "safe"
    assert _case(app, silent.id).followup_state == "no_answer"  # never counted as safe
    late = say(app, "telegram", TELEGRAM_ID, "2", asked_at + timedelta(days=5))
    assert "told the organisation" not in " ".join(late)


def test_no_follow_up_without_consent_or_after_stop(app: Flask, partners: Partners) -> None:
    declined, _ = file_report(app, "sms", PHONE, consent="2")
    stopped, _ = file_report(app, "sms", NEIGHBOUR)
    say(app, "sms", NEIGHBOUR, "STOP", START + timedelta(days=1))
    assert send_due_followups(app, START + timedelta(days=10)) == 0
    assert _case(app, declined.id).followup_state == "none"
    assert _case(app, stopped.id).followup_state == "skipped"


# -- staff operations --------------------------------------------------------------------------
def test_every_case_operation_is_audited(app: Flask, partners: Partners) -> None:
    case, _ = file_report(app, "sms", PHONE, category="1", danger="2")
    at = START + timedelta(hours=1)
    with app.app_context(), transaction(app) as session:
        c = session.get(Case, case.id)
        acknowledge(session, c, "cli", at=at)
        change_status(session, c, "in_progress", "cli", at=at)
        add_note(session, c, "cli", "Spoke with employer, passport number A1234567", at=at)
        reassign(session, c, session.get(Partner, partners.ngo), "cli", reason="language", at=at)
        refer(session, c, "cli", to_organisation="Provincial shelter", at=at)
        close_case(session, c, "assisted_in_place", "cli", at=at)
        with pytest.raises(CaseError):
            close_case(session, c, "happy", "cli", at=at)
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.target_type == "case")
            .order_by(AuditEntry.id)
        ).all()
        note = session.scalars(select(CaseMessage).where(CaseMessage.kind == "note")).one()
    assert actions == [
        "case.file",
        "case.acknowledge",
        "case.status",
        "case.note",
        "case.reassign",
        "case.refer",
        "case.close",
    ]
    assert note.body == "Spoke with employer, passport number [id]"
    closed = _case(app, case.id)
    assert (closed.status, closed.outcome, closed.partner_id) == (
        "closed",
        "assisted_in_place",
        partners.ngo,
    )
    assert _utc(closed.acknowledged_at) == at and _utc(closed.closed_at) == at
    statuses = [e.status for e in closed.events]
    assert statuses == [
        "new",
        "assigned",
        "acknowledged",
        "in_progress",
        "assigned",
        "referred",
        "closed",
    ]


def test_a_report_nobody_can_take_goes_to_the_admins(app: Flask, mailbox: Mailbox) -> None:
    case, _ = file_report(app, "sms", PHONE)  # no partners at all
    assert case.partner_id is None and case.status == "new"
    deliver_due_notifications(app, START + timedelta(hours=1))
    assert [m["Subject"] for m in mailbox.to(ADMIN)] == [
        f"URGENT Helpline: Report {case.code} has no partner"
    ]


# -- retention ---------------------------------------------------------------------------------
def test_purge_removes_old_bodies_and_addresses_and_anonymises_closed_cases(
    app: Flask, partners: Partners
) -> None:
    base = utcnow()  # the message log is stamped by the clock, not by the test's times
    old, _ = file_report(app, "sms", PHONE, at=base, text="They keep my passport.")
    recent, _ = file_report(app, "sms", NEIGHBOUR, at=base + timedelta(days=80))
    with transaction(app) as session:
        close_case(session, session.get(Case, old.id), "safe", "cli", at=base + timedelta(days=1))
    result = purge(app, now=base + timedelta(days=95))
    assert result.cases == 1 and result.addresses == 1 and result.message_bodies > 0
    with transaction(app) as session:
        old_row, recent_row = session.get(Case, old.id), session.get(Case, recent.id)
        assert old_row.contact_id is None and old_row.description is None
        assert old_row.outcome == "safe" and old_row.category == "forced-labour"
        assert recent_row.description and recent_row.contact_id
        assert [a.contact_id for a in session.scalars(select(ContactAddress))] == [
            recent.contact_id
        ]
        kept = session.scalars(select(Message.body).where(Message.contact_id == old.contact_id))
        assert set(kept) == {None}
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "retention.purge"))


def test_no_notice_holds_free_text(app: Flask, partners: Partners, mailbox: Mailbox) -> None:
    file_report(app, "sms", PHONE, province="Mae Sot near the market", text="Help us please")
    deliver_due_notifications(app, START + timedelta(hours=1))
    with transaction(app) as session:
        assert session.scalars(select(Notification)).all()
    for mail in mailbox.messages:
        assert "Mae Sot" not in str(mail) and "Help us" not in str(mail)
