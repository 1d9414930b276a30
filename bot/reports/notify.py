"""Telling partners and admins about cases: e-mail over SMTP and signed JSON webhooks, queued.

Rules:
- A notice is queued (a Notification row) in the same transaction as the change it tells of,
  and delivered later by `deliver_due_notifications`, retried with back-off until it is sent:
  none is lost if a partner's server or the mail relay is down. Delivery is at least once (a
  worker that dies mid-send leaves the notice to be sent again after its lease), so each
  carries its id in `X-Helpline-Delivery` for the receiver to drop duplicates.
- A notice holds no identifying data and no free text: only the case code, urgency, category,
  country, language, status and a link into the admin panel, where staff log in to read more.
- A webhook body is signed with the partner's own secret: `X-Helpline-Signature: sha256=<hex>` is
  HMAC-SHA256 over "<timestamp>.<raw body>", and `X-Helpline-Timestamp` lets the receiver refuse
  replays older than a few minutes (`verify_signature` is the reference check).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from flask import Flask
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.privacy.vault import Vault
from bot.reports.policy import Policy, policy
from bot.storage.db import transaction
from bot.storage.models import AdminUser, Case, Notification, Partner, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # about a day of retries with the back-off below
LEASE = timedelta(minutes=2)  # a claimed notice another worker may retry after this
REPLAY_TOLERANCE = 300  # seconds a receiver should accept between our timestamp and its clock
SIGNATURE_HEADER = "X-Helpline-Signature"
TIMESTAMP_HEADER = "X-Helpline-Timestamp"

SUBJECTS = {
    "case.new": "New report {code}",
    "case.assigned": "Report {code} is now yours",
    "case.escalated": "Report {code} was not acknowledged in time",
    "case.unassigned": "Report {code} has no partner",
    "partner.unreachable": "Report {code}: its partner has no e-mail or webhook",
    "case.need_help": "Report {code}: the person says they need help",
    "case.reporter_wrote": "Report {code}: new message from the person",
    "notice.failed": "A notice about report {code} could not be delivered",
}


def queue_partner(
    session: Session, case: Case, partner: Partner, event: str, at: datetime | None = None
) -> int:
    """Queues the notices for one partner on every channel it has; how many were queued."""
    at = at or utcnow()
    targets = [("email", partner.email), ("webhook", partner.webhook_url)]
    for channel, target in targets:
        if target:
            session.add(
                Notification(
                    case_id=case.id,
                    partner_id=partner.id,
                    channel=channel,
                    target=target,
                    event=event,
                    next_try_at=at,
                    created_at=at,
                )
            )
    return sum(1 for _, target in targets if target)


def queue_admins(
    session: Session,
    case: Case | None,
    event: str,
    extra: tuple[str, ...] = (),
    at: datetime | None = None,
) -> int:
    """Queues an e-mail to every active admin and every HELPLINE_ADMIN_EMAILS address."""
    at = at or utcnow()
    users = session.scalars(
        select(AdminUser.email).where(AdminUser.role == "admin", AdminUser.active.is_(True))
    ).all()
    targets = dict.fromkeys([*users, *extra])
    for email in targets:
        session.add(
            Notification(
                case_id=case.id if case else None,
                channel="email",
                target=email,
                event=event,
                next_try_at=at,
                created_at=at,
            )
        )
    return len(targets)


def payload(
    case: Case | None, event: str, delivery: int, pol: Policy, at: datetime
) -> dict[str, Any]:
    """The whole content of a notice: anonymous case fields and a link, nothing else."""
    body: dict[str, Any] = {"event": event, "delivery": delivery, "sent_at": at.isoformat()}
    if case is not None:
        body["case"] = {
            "code": case.code,
            "urgent": case.urgent,
            "category": case.category,
            "country": case.country,
            "language": case.lang,
            "status": case.status,
        }
        body["link"] = f"{pol.public_url}/admin/cases/{case.code}"
    return body


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header value for a body sent at `timestamp` (Unix seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: str, body: bytes, timestamp: str, signature: str, now: datetime | None = None
) -> bool:
    """What a partner's server should check: the signature matches and the timestamp is recent."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    now_s = int((now or datetime.now(UTC)).timestamp())
    if abs(now_s - sent) > REPLAY_TOLERANCE:
        return False
    return hmac.compare_digest(sign(secret, body, sent), signature or "")


def _email(app: Flask, target: str, data: dict[str, Any]) -> None:
    url = app.config.get("SMTP_URL")
    if not url:
        raise RuntimeError("HELPLINE_SMTP_URL is not set")
    parts = urlsplit(url)
    code = data.get("case", {}).get("code", "")
    message = EmailMessage()
    subject = "Helpline: " + SUBJECTS.get(data["event"], "{code}").format(code=code)
    urgent = data.get("case", {}).get("urgent")
    message["Subject"] = f"URGENT {subject}" if urgent else subject
    message["From"] = app.config.get("MAIL_FROM") or "helpline@localhost"
    message["To"] = target
    message["X-Helpline-Delivery"] = str(data["delivery"])
    lines = [f"{key}: {value}" for key, value in data.get("case", {}).items()]
    if "link" in data:
        lines += ["", f"Open the case (login needed): {data['link']}"]
    message.set_content("\n".join(lines) or data["event"])
    smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with smtp_class(parts.hostname or "localhost", parts.port or 25, timeout=15) as smtp:
        if parts.scheme == "smtp+starttls":
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)


def _webhook(app: Flask, session: Session, note: Notification, data: dict[str, Any]) -> None:
    partner = session.get(Partner, note.partner_id) if note.partner_id else None
    sealed = partner.webhook_secret_sealed if partner else None
    secret = Vault(app.config["VAULT_KEY"]).open(sealed) if sealed else None
    if not secret:
        raise RuntimeError("the partner has no webhook secret")
    body = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    stamp = int(datetime.now(UTC).timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "mekong-helpline",
        TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: sign(secret, body, stamp),
        "X-Helpline-Event": data["event"],
        "X-Helpline-Delivery": str(data["delivery"]),
    }
    response = requests.post(note.target, data=body, headers=headers, timeout=15)
    if not 200 <= response.status_code < 300:
        raise RuntimeError(f"HTTP {response.status_code}")


def _claim(app: Flask, now: datetime, limit: int) -> list[int]:
    """Takes due notices for this worker by pushing their next try past the lease."""
    with transaction(app) as session:
        due = (
            select(Notification.id)
            .where(Notification.status == "pending", Notification.next_try_at <= now)
            .order_by(Notification.id)
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list(session.scalars(due))
        if ids:
            session.execute(
                update(Notification)
                .where(Notification.id.in_(ids))
                .values(next_try_at=now + LEASE, attempts=Notification.attempts + 1)
            )
        return ids


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes, at most two hours between tries."""
    return timedelta(minutes=min(120, 2 ** max(attempts - 1, 0)))


def deliver_due_notifications(app: Flask, now: datetime | None = None, limit: int = 50) -> int:
    """Sends the notices that are due; returns how many were delivered. For the worker loop."""
    now = now or datetime.now(UTC)
    pol = policy(app)
    sent = 0
    for note_id in _claim(app, now, limit):
        with transaction(app) as session:
            note = session.get(Notification, note_id)
            if note is None or note.status != "pending":
                continue
            case = session.get(Case, note.case_id) if note.case_id else None
            data = payload(case, note.event, note.id, pol, now)
            try:
                if note.channel == "webhook":
                    _webhook(app, session, note, data)
                else:
                    _email(app, note.target, data)
            except Exception as error:  # any failure: retry later, never drop
                _failed(session, note, case, error, now, pol)
                continue
            note.status, note.sent_at, note.last_error = "sent", now, None
            sent += 1
    return sent


def _failed(
    session: Session,
    note: Notification,
    case: Case | None,
    error: Exception,
    now: datetime,
    pol: Policy,
) -> None:
    note.last_error = f"{type(error).__name__}: {error}"[:300]
    log.warning("notice %s to %s failed: %s", note.id, note.channel, note.last_error)
    if note.attempts < MAX_ATTEMPTS:
        note.next_try_at = now + backoff(note.attempts)
        return
    note.status = "failed"
    if note.partner_id is not None:  # tell the admins; a failed admin notice is only logged
        queue_admins(session, case, "notice.failed", pol.admin_emails, now)


def pending_count(session: Session) -> int:
    """How many notices wait to be delivered (for health checks)."""
    query = select(func.count(Notification.id)).where(Notification.status == "pending")
    return int(session.scalar(query) or 0)
