"""What staff do with a case, as plain functions shared by the admin panel and the CLI.

Rules:
- Every function works inside the caller's transaction and writes one audit entry and one
  timeline event; none commits.
- A partner's account may act only on its own organisation's cases; an admin or the CLI on any.
- One partner owns a case at a time; a new owner is notified through the durable queue.
- Text a person types is redacted before it is kept; the reporter's address is never read here
  except, sealed, by the outbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.engine import AWAITS_REPLY
from bot.core.state import Conversation
from bot.flows.relay import partner_message
from bot.i18n import translator
from bot.outbox import enqueue
from bot.privacy.redact import redact
from bot.reports import notify
from bot.reports.audit import actor_label, audit, event
from bot.reports.policy import Policy, policy
from bot.storage import repo
from bot.storage.models import (
    OUTCOMES,
    Case,
    CaseMessage,
    Contact,
    ContactAddress,
    ConversationRow,
    Partner,
    utcnow,
)

MAX_RELAY = 1000  # characters in one relayed message (a few SMS)


class CaseError(ValueError):
    """The action is not possible on this case (the message says why, in English)."""


def find_case(session: Session, code: str) -> Case | None:
    """The case with this reference code (any case: for staff screens, never for reporters)."""
    return session.scalar(select(Case).where(Case.code == code.strip().upper()))


def _may_act(actor: object, case: Case) -> None:
    role = getattr(actor, "role", None)
    if role is None or role == "admin":
        return
    if role == "partner" and getattr(actor, "partner_id", None) == case.partner_id:
        return
    raise CaseError("this account may not act on this case")


def assign(
    session: Session,
    case: Case,
    partner: Partner,
    actor: object,
    at: datetime,
    pol: Policy,
    *,
    status: str = "assigned",
    notice: str = "case.assigned",
) -> None:
    """Makes `partner` the one owner, starts the acknowledgement clock if urgent, and tells it."""
    case.partner_id, case.partner = partner.id, partner
    case.status, case.assigned_at = status, at
    case.ack_due_at = at + timedelta(minutes=pol.ack_minutes) if case.urgent else None
    if partner.id not in case.tried_partner_ids:
        case.tried_partner_ids = [*case.tried_partner_ids, partner.id]
    event(case, "assigned", actor, at, partner_id=partner.id)
    if not notify.queue_partner(session, case, partner, notice, at):
        notify.queue_admins(session, case, "partner.unreachable", pol.admin_emails, at)


def acknowledge(
    session: Session, case: Case, actor: object, *, at: datetime | None = None
) -> Case:
    """The owning partner has seen the case: stops escalation, records time to acknowledge."""
    _may_act(actor, case)
    at = at or utcnow()
    if case.status == "closed":
        raise CaseError("the case is closed")
    if case.acknowledged_at is None:
        case.acknowledged_at = at
    if case.status in ("new", "assigned", "referred"):
        case.status = "acknowledged"
    case.ack_due_at = None
    event(case, "acknowledged", actor, at)
    audit(session, actor, "case.acknowledge", "case", case.code, at=at)
    return case


def reassign(
    session: Session,
    case: Case,
    partner: Partner,
    actor: object,
    *,
    reason: str | None = None,
    at: datetime | None = None,
    pol: Policy | None = None,
) -> Case:
    """Gives the case to another partner, which is told and must acknowledge it."""
    _may_act(actor, case)
    if not partner.active:
        raise CaseError("that partner is not active")
    if case.status == "closed":
        raise CaseError("the case is closed")
    at = at or utcnow()
    previous = case.partner_id
    assign(session, case, partner, actor, at, pol or policy())
    audit(
        session,
        actor,
        "case.reassign",
        "case",
        case.code,
        {"from": previous, "to": partner.id, "reason": reason},
        at=at,
    )
    return case


def refer(
    session: Session,
    case: Case,
    actor: object,
    *,
    to_partner: Partner | None = None,
    to_organisation: str | None = None,
    at: datetime | None = None,
    pol: Policy | None = None,
) -> Case:
    """Refers the case: to another partner here (which then owns it) or to an outside body."""
    _may_act(actor, case)
    if case.status == "closed":
        raise CaseError("the case is closed")
    if (to_partner is None) == (not to_organisation):
        raise CaseError("refer to one partner or one outside organisation")
    at = at or utcnow()
    if to_partner is not None:
        if not to_partner.active:
            raise CaseError("that partner is not active")
        assign(session, case, to_partner, actor, at, pol or policy(), status="referred")
        detail: dict[str, object] = {"to": to_partner.id}
    else:
        # The owner stays and has plainly seen the case: no escalation for it.
        case.status, case.ack_due_at = "referred", None
        case.acknowledged_at = case.acknowledged_at or at
        detail = {"organisation": (to_organisation or "")[:200]}
        event(case, "referred", actor, at, organisation=detail["organisation"])
    audit(session, actor, "case.refer", "case", case.code, detail, at=at)
    return case


def change_status(
    session: Session, case: Case, status: str, actor: object, *, at: datetime | None = None
) -> Case:
    """Moves the case to acknowledged or in progress (a closed case is reopened in progress)."""
    _may_act(actor, case)
    if status == "acknowledged":
        return acknowledge(session, case, actor, at=at)
    if status != "in_progress":
        raise CaseError("use acknowledge, reassign, refer or close for that status")
    at = at or utcnow()
    previous = case.status
    if previous == "closed":
        case.closed_at, case.outcome = None, None
    if case.acknowledged_at is None:
        case.acknowledged_at = at
    case.status, case.ack_due_at = status, None
    event(case, "status", actor, at, previous=previous)
    detail = {"from": previous, "to": status}
    audit(session, actor, "case.status", "case", case.code, detail, at=at)
    return case


def close_case(
    session: Session, case: Case, outcome: str, actor: object, *, at: datetime | None = None
) -> Case:
    """Closes the case with what became of the person (for outcome figures)."""
    _may_act(actor, case)
    if outcome not in OUTCOMES:
        raise CaseError(f"outcome must be one of: {', '.join(OUTCOMES)}")
    at = at or utcnow()
    case.status, case.outcome, case.closed_at = "closed", outcome, at
    case.ack_due_at, case.relay_open = None, False
    event(case, "closed", actor, at, outcome=outcome)
    audit(session, actor, "case.close", "case", case.code, {"outcome": outcome}, at=at)
    return case


def add_note(
    session: Session, case: Case, actor: object, text: str, *, at: datetime | None = None
) -> CaseMessage:
    """An internal note on the case, never sent to the reporter; redacted like everything else."""
    _may_act(actor, case)
    if not text.strip():
        raise CaseError("the note is empty")
    at = at or utcnow()
    note = CaseMessage(kind="note", author=actor_label(actor), body=redact(text), at=at)
    case.messages.append(note)
    audit(session, actor, "case.note", "case", case.code, at=at)
    return note


def relay_to_reporter(
    session: Session,
    case: Case,
    partner_user: object,
    text: str,
    *,
    at: datetime | None = None,
    pol: Policy | None = None,
) -> CaseMessage:
    """Sends a partner's message to the reporter over their own channel, through the outbox;
    the partner never sees the number or chat id, and the answer threads back into the case."""
    _may_act(partner_user, case)
    contact = _reachable(session, case)
    text = text.strip()
    if not text or len(text) > MAX_RELAY:
        raise CaseError(f"write between 1 and {MAX_RELAY} characters")
    at, pol = at or utcnow(), pol or policy()
    reply = partner_message(translator(case.lang or "en"), text)
    enqueue(session, contact, contact.channel, [reply])
    open_relay(contact, case.code, at + timedelta(days=pol.relay_open_days), "relay")
    message = CaseMessage(
        kind="to_reporter", author=actor_label(partner_user), body=redact(text), at=at
    )
    case.messages.append(message)
    case.relay_open = True
    if case.acknowledged_at is None:
        case.acknowledged_at = at
    if case.status in ("new", "assigned", "acknowledged", "referred"):
        case.status, case.ack_due_at = "in_progress", None
    event(case, "relayed", partner_user, at)
    audit(session, partner_user, "case.relay", "case", case.code, at=at)
    return message


def _reachable(session: Session, case: Case) -> Contact:
    """The reporter's contact, when they agreed to be written to and can still be reached."""
    if case.status == "closed":
        raise CaseError("the case is closed")
    if not case.consent or case.contact_id is None:
        raise CaseError("the person did not agree to be contacted, or asked to be forgotten")
    contact = session.get(Contact, case.contact_id)
    if contact is None or session.get(ContactAddress, contact.id) is None:
        raise CaseError("no reply address is kept for this person any more")
    if contact.opted_out:
        raise CaseError("the person has asked for no more messages (STOP)")
    return contact


def open_relay(contact: Contact, code: str, until: datetime, node: str) -> None:
    """Puts the person's conversation where their next message answers the helpline's one
    (`report.relay` or `report.followup`); BACK returns to where they were."""
    state: Conversation = repo.load_state(contact)
    here = state.at
    if here not in AWAITS_REPLY and state.flow != "welcome" and here not in state.back[-1:]:
        state.back = [*state.back, here][-10:]
    state.flow, state.node = "report", node
    state.slots = {**state.slots, "case": code, "open_until": until.isoformat()}
    if contact.conversation is None:
        contact.conversation = ConversationRow(state=state.to_dict(), updated_at=utcnow())
    else:
        contact.conversation.state = state.to_dict()
