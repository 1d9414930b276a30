"""The worker: answers messages whose first answer failed, and drains the outbox.

Rules:
- Nothing accepted is dropped: a pending message is retried with back-off until it is answered;
  an outbox row ends only as sent, failed (the provider refused it, or retries ran out: visible
  to monitoring) or cancelled (the person opted out).
- A row is sent while this worker holds its lease; if the worker dies the lease runs out and the
  row comes back marked uncertain. Before sending an uncertain row again the worker asks the
  provider whether the earlier attempt arrived: Twilio can say (its message list, and the status
  callback that carries the row id), so SMS goes out exactly once. Telegram cannot say, so a
  Telegram message whose attempt was cut off mid-request is sent again: at least once, and a
  duplicate only in that narrow window.
- Rate limits: each process sends at most TELEGRAM_RATE / TWILIO_RATE messages a second; a 429
  pauses that channel in this process for the Retry-After the provider gave.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select, update

from bot.outbox import Accepted, Sender, SendFailed, backoff, claim, sender_for, settle
from bot.reports import deliver_due_notifications, run_escalations, send_due_followups
from bot.service import get_helpline
from bot.storage.db import transaction
from bot.storage.models import Contact, Message, OutboxMessage, PendingInbound, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20  # with back-off capped at 15 minutes: about four hours of trying
UNKNOWN_WAIT = timedelta(seconds=30)  # time for a late status callback before asking the provider
LOOKBACK = timedelta(minutes=5)  # clock slack when matching an uncertain send at the provider


class RateLimit:
    """A token bucket: `rate` sends a second on average, in bursts of at most `burst`."""

    def __init__(self, rate: float, burst: float = 1.0) -> None:
        self.rate, self.burst = rate, max(burst, 1.0)
        self.tokens, self.stamp = self.burst, time.monotonic()

    def wait(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            time.sleep((1 - self.tokens) / self.rate)
            self.stamp = time.monotonic()
            self.tokens = 1.0
        self.tokens -= 1


@dataclass
class Worker:
    """One worker process (or a web request sending its own replies): claims, sends, records."""

    app: Flask
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    batch: int = 10
    limits: bool = True
    paused: dict[str, float] = field(default_factory=dict)
    rates: dict[str, RateLimit] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cfg = self.app.config
        self.lease = timedelta(seconds=float(cfg.get("OUTBOX_LEASE_SECONDS", 60)))
        if self.limits:
            self.rates = {
                "telegram": RateLimit(float(cfg.get("TELEGRAM_RATE", 25)), burst=5),
                "sms": RateLimit(float(cfg.get("TWILIO_RATE", 10)), burst=5),
            }

    def run(self, stop: threading.Event, once: bool = False, poll: float = 1.0) -> None:
        """Works until `stop` is set (or, with `once`, until nothing is due)."""
        log.info("worker started", extra={"worker": self.name})
        while not stop.is_set():
            try:
                done = self.tick()
            except Exception:
                # The database is down or restarting: wait, and try again rather than exit.
                log.exception("worker round failed", extra={"worker": self.name})
                done = 0
                stop.wait(min(30.0, poll * 10))
            if once and not done:
                break
            if not done:
                stop.wait(poll)
        log.info("worker stopped", extra={"worker": self.name})

    def tick(self) -> int:
        """One round: retry pending answers, then send what is due; how many rows were handled."""
        return self.retry_pending() + self.report_work() + self.drain()

    def report_work(self) -> int:
        """Escalations and check-ins (which queue outbox rows), then partner notices."""
        now = datetime.now(UTC)
        try:
            return (run_escalations(self.app, now) + send_due_followups(self.app, now)
                    + deliver_due_notifications(self.app, now))
        except Exception:
            log.exception("report work failed; it is retried next round")
            return 0

    # -- the outbox ----------------------------------------------------------------------------
    def drain(self, only: Sequence[int] | None = None) -> int:
        """Claims a batch of due rows and sends each; the number claimed."""
        token = f"{self.name}:{uuid.uuid4().hex[:8]}"
        with transaction(self.app) as session:
            ids = claim(session, token, lease=self.lease, limit=self.batch, only=only)
        for row_id in ids:
            try:
                self.deliver(row_id, token)
            except Exception:
                # The row keeps its lease and comes back, uncertain, when the lease runs out.
                log.exception("delivery crashed", extra={"outbox_id": row_id})
        return len(ids)

    def deliver(self, row_id: int, token: str) -> None:
        """Sends one claimed row, unless its contact opted out or the provider already has it."""
        with transaction(self.app) as session:
            row = session.get(OutboxMessage, row_id)
            if row is None or row.locked_by != token:
                return
            contact = session.get(Contact, row.contact_id) if row.contact_id else None
            if contact is not None and contact.opted_out and not row.stop_notice:
                settle(session, row_id, token, status="cancelled", last_error="opted out")
                return
            session.expunge(row)
        sender = sender_for(self.app, row.channel)
        address = get_helpline(self.app).vault.open(row.address_sealed or "")
        if sender is None or address is None:
            reason = "channel not configured" if sender is None else "address cannot be opened"
            self._failed(row, token, SendFailed(reason, retry=sender is None))
            return
        if time.monotonic() < self.paused.get(row.channel, 0.0):
            self._release(row, token)
            return
        try:
            if row.uncertain and (found := self._find(sender, row, address)):
                self._sent(row, token, Accepted(found, "sent"))
                return
            if self.limits:
                self.rates[row.channel].wait()
            accepted = sender.send(address, row.text, row.choices, marker=str(row.id))
        except SendFailed as error:
            self._failed(row, token, error)
            return
        self._sent(row, token, accepted)

    def _find(self, sender: Sender, row: OutboxMessage, address: str) -> str | None:
        with transaction(self.app) as session:
            known = session.scalars(
                select(OutboxMessage.provider_id).where(
                    OutboxMessage.contact_id == row.contact_id,
                    OutboxMessage.provider_id.is_not(None),
                )
            )
            exclude = {pid for pid in known if pid}
        since = _aware(row.created_at) - LOOKBACK
        try:
            return sender.find_sent(address, row.text, row.choices, since, exclude)
        except Exception as error:
            raise SendFailed(f"lookup failed: {type(error).__name__}", unknown=True) from None

    def _sent(self, row: OutboxMessage, token: str, accepted: Accepted) -> None:
        now = utcnow()
        with transaction(self.app) as session:
            took = settle(
                session, row.id, token, status="sent", provider_id=accepted.provider_id,
                delivery_status=accepted.status, sent_at=now, uncertain=False, last_error=None,
            )  # fmt: skip
            if row.message_id:
                session.execute(
                    update(Message)
                    .where(Message.id == row.message_id, Message.provider_id.is_(None))
                    .values(provider_id=accepted.provider_id, delivery_status=accepted.status)
                )
        extra = {"outbox_id": row.id, "channel": row.channel, "attempts": row.attempts}
        if took:
            log.info("sent", extra=extra)
        else:
            # A status callback or another worker settled it first; the provider id is recorded.
            log.warning("row settled by someone else", extra=extra)

    def _failed(self, row: OutboxMessage, token: str, error: SendFailed) -> None:
        extra = {"outbox_id": row.id, "channel": row.channel, "error": error.reason}
        with transaction(self.app) as session:
            if error.opted_out and row.contact_id:
                session.execute(
                    update(Contact).where(Contact.id == row.contact_id).values(opted_out=True)
                )
            if not error.retry or row.attempts >= MAX_ATTEMPTS:
                settle(session, row.id, token, status="failed", last_error=error.reason)
                log.warning("delivery failed for good", extra=extra)
                return
            wait = backoff(row.attempts)
            if error.after:
                wait = max(wait, timedelta(seconds=error.after))
                self.paused[row.channel] = time.monotonic() + error.after
            if error.unknown:
                wait = max(wait, UNKNOWN_WAIT)
            settle(
                session, row.id, token, status="queued", next_try_at=utcnow() + wait,
                uncertain=error.unknown, last_error=error.reason,
            )  # fmt: skip
        log.info("delivery will be retried", extra=extra)

    def _release(self, row: OutboxMessage, token: str) -> None:
        """Hands a row back untried while its channel is paused by a 429."""
        resume = utcnow() + timedelta(seconds=self.paused[row.channel] - time.monotonic())
        with transaction(self.app) as session:
            settle(
                session, row.id, token, status="queued", next_try_at=resume,
                attempts=OutboxMessage.attempts - 1,
            )  # fmt: skip

    # -- pending inbound -------------------------------------------------------------------------
    def retry_pending(self) -> int:
        """Answers messages whose first answer failed; their replies go to the outbox."""
        now = utcnow()
        with transaction(self.app) as session:
            due = session.scalars(
                select(PendingInbound.id)
                .where(PendingInbound.next_try_at <= now)
                .order_by(PendingInbound.id)
                .limit(self.batch)
            ).all()
        handled = 0
        for pending_id in due:
            with transaction(self.app) as session:
                # Compare-and-set: only one worker moves next_try_at past now, the others skip.
                taken = session.execute(
                    update(PendingInbound)
                    .where(PendingInbound.id == pending_id, PendingInbound.next_try_at <= now)
                    .values(next_try_at=now + self.lease, attempts=PendingInbound.attempts + 1)
                ).rowcount  # type: ignore[attr-defined]
            if taken:
                self._answer_pending(pending_id)
                handled += 1
        return handled

    def _answer_pending(self, pending_id: int) -> None:
        helpline = get_helpline(self.app)
        try:
            with transaction(self.app) as session:
                row = session.get(PendingInbound, pending_id)
                if row is None:
                    return
                address = helpline.vault.open(row.address_sealed)
                text = helpline.vault.open(row.text_sealed)
                if address is None or text is None:
                    raise LookupError("sealed message cannot be opened: vault key changed?")
                helpline.answer_queued(
                    session, row.channel, address, text, _aware(row.received_at), row.payload
                )
                session.delete(row)
            log.info("pending message answered", extra={"pending_id": pending_id})
        except Exception as error:
            self._pending_failed(pending_id, error)

    def _pending_failed(self, pending_id: int, error: Exception) -> None:
        reason = f"{type(error).__name__}"[:200]
        with transaction(self.app) as session:
            row = session.get(PendingInbound, pending_id)
            if row is not None:
                row.last_error = reason
                row.next_try_at = utcnow() + backoff(row.attempts, cap=3600)
        extra = {"pending_id": pending_id, "error": reason}
        log.warning("pending message still unanswered", extra=extra)


def deliver_now(app: Flask, ids: Sequence[int]) -> None:
    """Sends just-queued replies from the web process; the worker retries what this misses."""
    worker = Worker(app, name=f"web:{socket.gethostname()}:{os.getpid()}", limits=False)
    try:
        # One row per contact is ready at a time (order), so take the replies one by one.
        for _ in ids:
            if not worker.drain(ids):
                break
    except Exception:
        log.exception("immediate delivery failed; the worker will send", extra={"ids": list(ids)})


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; ours are all UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
