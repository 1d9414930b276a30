"""What reporters do to cases: file one, answer a relay or a check-in, ask for its status, forget.

Rules:
- Cases are looked up for a reporter only by code AND their own contact: anyone else, and anyone
  asking by a name, learns nothing, not even whether the code exists.
- Free text is redacted here before it is kept, whatever the flow already did.
- "I need help" at a check-in, or danger words in a relay answer, raise the case: urgent again,
  reopened if closed, and the owning partner must acknowledge it again in time.
- Forgetting keeps only the anonymous fields of a case (category, urgency, place, dates, outcome).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.flows.common import COUNTRIES
from bot.flows.report import AGES, CATEGORIES, COUNTS
from bot.privacy.redact import redact
from bot.reports import notify, routing
from bot.reports.audit import audit, event
from bot.reports.cases import assign
from bot.reports.codes import unique_code
from bot.reports.policy import Policy
from bot.storage.models import Case, CaseMessage, Contact, ContactAddress, Notification

REPORTER = "reporter"
NOTIFY_GAP = timedelta(minutes=30)  # at most one "the person wrote" notice per case in this time


def _known(value: Any, allowed: object) -> str | None:
    return value if isinstance(value, str) and value in allowed else None  # type: ignore[operator]


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _description(answers: dict[str, Any]) -> str | None:
    parts = [redact(str(answers[k])) for k in ("text", "notes") if answers.get(k)]
    return "\n".join(parts)[:4000] or None


def file_case(
    session: Session, answers: dict[str, Any], contact: Contact | None, at: datetime, pol: Policy
) -> Case:
    """Files a report from the flow's answers, routes it, and queues the partner's notices."""
    consent = answers.get("contact_ok") is True and contact is not None
    province = redact(str(answers["province"]))[:120] if answers.get("province") else None
    case = Case(
        code=unique_code(session),
        status="new",
        category=_known(answers.get("category"), CATEGORIES) or "other",
        urgent=bool(answers.get("urgent")),
        danger=_flag(answers.get("danger")),
        for_self=_flag(answers.get("for_self")),
        age_group=_known(answers.get("age_group"), AGES),
        people=_known(answers.get("people"), COUNTS),
        country=_known(answers.get("country"), COUNTRIES),
        province=province,
        lang=str(answers.get("lang") or "en")[:8],
        channel=str(answers.get("channel") or "")[:16] or None,
        consent=consent,
        description=_description(answers),
        contact_id=contact.id if contact else None,
        created_at=at,
        followup_due_at=at + timedelta(days=pol.followup_days) if consent else None,
        followup_state="pending" if consent else "none",
        tried_partner_ids=[],
    )
    session.add(case)
    session.flush()
    event(case, "filed", "helpline", at, urgent=case.urgent)
    partner = routing.choose(session, case)
    if partner is not None:
        assign(session, case, partner, "helpline", at, pol, notice="case.new")
    else:
        notify.queue_admins(session, case, "case.unassigned", pol.admin_emails, at)
    detail = {"urgent": case.urgent, "partner": partner.id if partner else None}
    audit(session, "helpline", "case.file", "case", case.code, detail, at=at)
    return case


def reporter_case(session: Session, code: str, contact: Contact) -> Case | None:
    """The case with this code filed by this contact; None for anyone else's or an unknown code."""
    return session.scalar(
        select(Case).where(Case.code == code.strip().upper(), Case.contact_id == contact.id)
    )


def record_reporter_message(
    session: Session, case: Case, text: str, at: datetime, pol: Policy, *, urgent: bool = False
) -> CaseMessage:
    """Threads the reporter's answer into the case, redacted, and tells the owning partner."""
    message = CaseMessage(kind="from_reporter", author=REPORTER, body=redact(text)[:4000], at=at)
    case.messages.append(message)
    event(case, "reporter_wrote", REPORTER, at, urgent=urgent)
    _keep_address(session, case.contact_id, at)
    if urgent:
        raise_case(session, case, at, pol, "danger_words")
    elif case.partner is not None and not _recently_told(session, case, at):
        notify.queue_partner(session, case, case.partner, "case.reporter_wrote", at)
    return message


def _recently_told(session: Session, case: Case, at: datetime) -> bool:
    since = at - NOTIFY_GAP
    query = select(Notification.id).where(
        Notification.case_id == case.id,
        Notification.event == "case.reporter_wrote",
        Notification.created_at > since,
    )
    return session.scalar(query.limit(1)) is not None


def _keep_address(session: Session, contact_id: int | None, at: datetime) -> None:
    """The person is still in touch: the retention clock of their sealed address starts again."""
    stored = session.get(ContactAddress, contact_id) if contact_id else None
    if stored is not None:
        stored.updated_at = at


def raise_case(session: Session, case: Case, at: datetime, pol: Policy, reason: str) -> None:
    """Makes the case urgent again: reopened if closed, re-acknowledged in time, partner told."""
    case.urgent = True
    if case.status == "closed":
        case.closed_at, case.outcome = None, None
        event(case, "reopened", REPORTER, at, reason=reason)
    partner = case.partner if case.partner is not None and case.partner.active else None
    partner = partner or routing.choose(session, case)
    if partner is None:
        case.status = "new"
        notify.queue_admins(session, case, "case.unassigned", pol.admin_emails, at)
    else:
        assign(session, case, partner, "helpline", at, pol, notice="case.need_help")
    audit(session, "helpline", "case.raise", "case", case.code, {"reason": reason}, at=at)


def followup_answered(session: Session, case: Case, safe: bool, at: datetime, pol: Policy) -> None:
    """Records the check-in answer; "I need help" raises the case."""
    case.followup_state = "safe" if safe else "need_help"
    event(case, "followup", REPORTER, at, answer=case.followup_state)
    _keep_address(session, case.contact_id, at)
    if not safe:
        raise_case(session, case, at, pol, "followup_need_help")


def anonymise(session: Session, case: Case, at: datetime, reason: str) -> None:
    """Keeps only the anonymous fields: no link to the person, no text, no way to reach them."""
    case.contact_id = None
    case.description = None
    case.province = None
    case.consent = False
    case.relay_open = False
    case.followup_due_at = None
    if case.followup_state in ("pending", "sent"):
        case.followup_state = "skipped"
    for message in case.messages:
        message.body = None
    case.anonymised_at = at
    event(case, "anonymised", "helpline", at, reason=reason)
