"""Timed case work for the worker loop: escalating unacknowledged urgent reports, check-ins.

Rules:
- An urgent report not acknowledged by HELPLINE_ACK_MINUTES goes to the next partner that may take
  it, and the admins are told; with no partner left the admins are told again each period, up
  to a limit.
- A check-in goes only where the person agreed to be written to, can still be reached and has not
  said STOP; one per person at a time, never while a partner conversation is open.
- A check-in not answered within its window is recorded as "no answer", never as "safe".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.engine import AWAITS_REPLY
from bot.core.state import Conversation
from bot.flows.relay import checkin
from bot.i18n import translator
from bot.outbox import enqueue
from bot.reports import notify, routing
from bot.reports.audit import audit, event
from bot.reports.cases import assign, open_relay
from bot.reports.policy import Policy, policy
from bot.storage import repo
from bot.storage.db import transaction
from bot.storage.models import Case, Contact, ContactAddress

ESCALATING = ("new", "assigned", "referred")


def _locked(session: Session, query):  # type: ignore[no-untyped-def]
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).all()


def run_escalations(app: Flask, now: datetime | None = None) -> int:
    """Escalates every urgent case whose acknowledgement is overdue; how many were escalated."""
    now = now or datetime.now(UTC)
    pol = policy(app)
    with transaction(app) as session:
        query = select(Case).where(
            Case.urgent.is_(True),
            Case.status.in_(ESCALATING),
            Case.ack_due_at.is_not(None),
            Case.ack_due_at <= now,
        )
        cases = _locked(session, query.order_by(Case.id))
        for case in cases:
            escalate(session, case, now, pol)
        return len(cases)


def escalate(session: Session, case: Case, now: datetime, pol: Policy) -> None:
    """Moves the case to the next partner that has not had it, and tells the admins."""
    case.escalations += 1
    previous = case.partner_id
    successor = routing.choose(session, case, exclude=case.tried_partner_ids)
    if successor is not None:
        assign(session, case, successor, "helpline", now, pol, notice="case.escalated")
    elif case.escalations < pol.max_escalations:
        case.ack_due_at = now + timedelta(minutes=pol.ack_minutes)  # remind the admins again
    else:
        case.ack_due_at = None
    to = successor.id if successor else None
    event(case, "escalated", "helpline", now, previous=previous, to=to)
    notify.queue_admins(session, case, "case.escalated", pol.admin_emails, now)
    audit(
        session,
        "helpline",
        "case.escalate",
        "case",
        case.code,
        {"from": previous, "to": to, "level": case.escalations},
        at=now,
    )


def send_due_followups(app: Flask, now: datetime | None = None) -> int:
    """Records unanswered check-ins and sends the ones that are due; how many were sent."""
    now = now or datetime.now(UTC)
    pol = policy(app)
    window = timedelta(hours=pol.followup_window_hours)
    sent = 0
    with transaction(app) as session:
        lapsed = select(Case).where(
            Case.followup_state == "sent", Case.followup_sent_at <= now - window
        )
        for case in _locked(session, lapsed):
            case.followup_state = "no_answer"
            event(case, "followup", "helpline", now, answer="no_answer")
        due = select(Case).where(Case.followup_state == "pending", Case.followup_due_at <= now)
        asked: set[int] = set()
        for case in _locked(session, due.order_by(Case.id)):
            sent += _check_in(session, case, now, window, asked)
    return sent


def _check_in(
    session: Session, case: Case, now: datetime, window: timedelta, asked: set[int]
) -> int:
    contact = session.get(Contact, case.contact_id) if case.contact_id else None
    reachable = contact is not None and session.get(ContactAddress, contact.id) is not None
    if not case.consent or contact is None or not reachable or contact.opted_out:
        case.followup_state = "skipped"
        event(case, "followup", "helpline", now, answer="skipped")
        return 0
    if contact.id in asked or _in_conversation(repo.load_state(contact), now):
        case.followup_due_at = now + timedelta(days=1)  # one question at a time: ask tomorrow
        return 0
    enqueue(session, contact, contact.channel, [checkin(translator(case.lang or "en"))])
    open_relay(contact, case.code, now + window, "followup")
    case.followup_state, case.followup_sent_at = "sent", now
    event(case, "followup", "helpline", now, answer="asked")
    asked.add(contact.id)
    return 1


def _in_conversation(state: Conversation, now: datetime) -> bool:
    """A partner conversation or another check-in is open and waiting for the person."""
    until = state.slots.get("open_until")
    if state.at not in AWAITS_REPLY or not isinstance(until, str):
        return False
    return now < datetime.fromisoformat(until)
