"""The transactional outbox: messages written with what caused them, claimed and sent later.

Rules:
- `enqueue` runs inside the caller's transaction, so a message exists exactly when what caused
  it (a reply, a partner's answer, a follow-up) was committed.
- A claim is one UPDATE over ready rows: queued and due, or `sending` with an expired lease (the
  worker died: that attempt's outcome is unknown, so the row is marked `uncertain`). PostgreSQL
  picks the rows with FOR UPDATE SKIP LOCKED, so workers on several hosts never wait on each
  other; SQLite has one writer, which makes the same UPDATE atomic.
- Per contact, rows leave in order: a row is ready only when every earlier row of its contact is
  finished, and a Telegram row only when the chat's last message left at least a second ago.
- After the claim every write is guarded by the claim token, so a worker whose lease expired
  cannot overwrite a row another worker now holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, cast

from flask import Flask, current_app
from requests import ConnectTimeout
from sqlalchemy import (
    DateTime,
    Table,
    Update,
    and_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.core.messages import Reply
from bot.core.segments import count
from bot.core.shape import render_sms
from bot.privacy.redact import redact
from bot.privacy.vault import Vault
from bot.storage import repo
from bot.storage.models import (
    Contact,
    ContactAddress,
    Message,
    OutboxMessage,
    PendingInbound,
    utcnow,
)

if TYPE_CHECKING:
    from bot.service import Helpline

TELEGRAM_LIMIT = 4096  # characters in one Telegram message
CHAT_INTERVAL = timedelta(seconds=1)  # Telegram: about one message a second to one chat


@dataclass(frozen=True)
class Accepted:
    """The provider took the message: its id there and the status it reported."""

    provider_id: str
    status: str = "sent"


class SendFailed(Exception):
    """The provider did not take the message (or we cannot tell: `unknown`)."""

    def __init__(
        self,
        reason: str,
        *,
        retry: bool = True,
        after: float | None = None,
        unknown: bool = False,
        opted_out: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason[:200]
        self.retry = retry
        self.after = after  # seconds the provider asked us to wait (429 Retry-After)
        self.unknown = unknown  # the request may have reached the provider
        self.opted_out = opted_out  # the provider refuses: the person unsubscribed or blocked us


def transport_failure(provider: str, error: Exception) -> SendFailed:
    """A network error as a SendFailed: the outcome is unknown unless the connection itself
    failed, in which case the request surely never left."""
    never_left = isinstance(error, ConnectTimeout) or "NewConnectionError" in repr(error)
    return SendFailed(f"{provider} {type(error).__name__}", unknown=not never_left)


class Sender(Protocol):
    """What a channel offers the worker: send, and (if the provider can tell) find a past send."""

    def send(
        self, address: str, text: str, choices: Sequence[dict[str, str]], marker: str
    ) -> Accepted: ...

    def find_sent(
        self,
        address: str,
        text: str,
        choices: Sequence[dict[str, str]],
        since: datetime,
        exclude: set[str],
    ) -> str | None: ...


SENDERS: dict[str, Callable[[Flask], Sender | None]] = {}


def register_sender(channel: str, factory: Callable[[Flask], Sender | None]) -> None:
    """Channels call this from init_app: how the worker sends on them."""
    SENDERS[channel] = factory


def sender_for(app: Flask, channel: str) -> Sender | None:
    """The app's sender for a channel, built once; None when the channel is not configured."""
    cache: dict[str, Sender | None] = app.extensions.setdefault("helpline.senders", {})
    if channel not in cache:
        factory = SENDERS.get(channel)
        cache[channel] = factory(app) if factory else None
    return cache[channel]


def enqueue(
    session: Session,
    contact: Contact | None,
    channel: str,
    replies: Sequence[Reply],
    *,
    address: str | None = None,
    key: str | None = None,
    stop_notice: bool = False,
    vault: Vault | None = None,
    private: bool = True,
) -> list[OutboxMessage]:
    """Queues replies to a contact in the caller's transaction; the address defaults to the
    contact's sealed reply address. `private` text (a partner's words) is logged redacted."""
    sealed = _sealed_address(contact, address, vault)
    key = key or uuid.uuid4().hex
    rows: list[OutboxMessage] = []
    for n, (text, choices) in enumerate(_parts(channel, replies)):
        body = render_sms(Reply(text, tuple(choices))) if channel == "sms" else text
        segments = count(body).segments if channel == "sms" else 0
        lang = contact.lang if contact else None
        shown = redact(body) if private else body
        logged = repo.log(session, contact, "out", channel, shown, lang, segments)
        logged.delivery_status = "queued"
        row = OutboxMessage(
            contact_id=contact.id if contact else None,
            channel=channel,
            address_sealed=sealed,
            text=text,
            choices=[{"key": c.key, "label": c.label} for c in choices],
            stop_notice=stop_notice,
            idempotency_key=f"{key}:{n}",
            next_try_at=utcnow(),
            created_at=utcnow(),
            message=logged,
        )
        session.add(row)
        rows.append(row)
    session.flush()  # the ids, for a caller that sends them at once
    return rows


def enqueue_answer(
    session: Session, helpline: Helpline, channel: str, address: str, replies: Sequence[Reply]
) -> list[int]:
    """Queues the answer to a message just handled; ids of the rows, for an immediate send."""
    if not replies:
        return []
    contact = repo.find_contact(session, helpline.pseudonym(channel, address))
    # The engine answers an opted-out person only with the confirmation of their STOP.
    notice = bool(contact and contact.opted_out)
    rows = enqueue(
        session, contact, channel, replies, address=address, stop_notice=notice,
        vault=helpline.vault, private=False,
    )
    return [row.id for row in rows]


def _sealed_address(contact: Contact | None, address: str | None, vault: Vault | None) -> str:
    if address is not None:
        if vault is None:
            from bot.service import get_helpline

            vault = get_helpline(current_app._get_current_object()).vault  # type: ignore[attr-defined]
        return vault.seal(address)
    stored = None
    if contact is not None:
        session = Session.object_session(contact)
        stored = session.get(ContactAddress, contact.id) if session else None
    if stored is None:
        raise ValueError("no address to send to: pass address= or keep a ContactAddress")
    return stored.sealed


def _parts(channel: str, replies: Sequence[Reply]) -> list[tuple[str, tuple[Any, ...]]]:
    """Replies as (text, choices); long Telegram text is cut, its buttons on the last part."""
    parts: list[tuple[str, tuple[Any, ...]]] = []
    for reply in replies:
        if channel != "telegram" or len(reply.text) <= TELEGRAM_LIMIT:
            parts.append((reply.text, reply.choices))
            continue
        text, size = reply.text, TELEGRAM_LIMIT
        chunks = [text[i : i + size] for i in range(0, len(text), size)]
        parts.extend((chunk, ()) for chunk in chunks[:-1])
        parts.append((chunks[-1], reply.choices))
    return parts


def claim(
    session: Session,
    token: str,
    *,
    lease: timedelta,
    limit: int = 10,
    only: Sequence[int] | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Takes up to `limit` ready rows for the holder of `token` and returns their ids."""
    now = now or utcnow()
    postgres = session.get_bind().dialect.name == "postgresql"
    values: dict[str, Any] = {
        "now": now, "until": now + lease, "token": token, "limit": limit,
        "recent": now - CHAT_INTERVAL, "only": list(only or ()),
    }  # fmt: skip
    session.execute(_claim_statement(only is not None, postgres), values)
    return list(session.scalars(_HELD, {"token": token}))


_OUTBOX = cast(Table, OutboxMessage.__table__)
_HELD = (
    select(_OUTBOX.c.id)
    .where(_OUTBOX.c.locked_by == bindparam("token"), _OUTBOX.c.status == "sending")
    .order_by(_OUTBOX.c.id)
)


@cache
def _claim_statement(direct: bool, postgres: bool) -> Update:
    """The claim UPDATE, built once: building its aliases costs more than running it."""
    o = _OUTBOX
    cand, prior = o.alias("cand"), o.alias("prior")
    earlier_open = exists().where(
        prior.c.contact_id == cand.c.contact_id,
        prior.c.id < cand.c.id,
        prior.c.status.in_(("queued", "sending")),
    )
    chat_busy = exists().where(
        cand.c.channel == "telegram",
        prior.c.contact_id == cand.c.contact_id,
        prior.c.status == "sent",
        prior.c.sent_at > bindparam("recent"),
    )
    now = bindparam("now", type_=DateTime(timezone=True))
    ready = or_(
        and_(cand.c.status == "queued", cand.c.next_try_at <= now),
        and_(cand.c.status == "sending", cand.c.locked_until < now),
    )
    pick = select(cand.c.id).where(ready, ~earlier_open).order_by(cand.c.id)
    # Direct answers go out at once: a short burst to one chat is within Telegram's limits.
    only = cand.c.id.in_(bindparam("only", expanding=True))
    pick = pick.where(only if direct else ~chat_busy).limit(bindparam("limit")).correlate(None)
    if postgres:
        pick = pick.with_for_update(skip_locked=True)
    return (
        update(o)
        .where(o.c.id.in_(pick.scalar_subquery()))
        .values(
            # A lease that ran out means the worker died mid-send: the outcome is unknown.
            uncertain=case((o.c.status == "sending", True), else_=o.c.uncertain),
            status="sending",
            locked_by=bindparam("token"),
            locked_until=bindparam("until"),
            attempts=o.c.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )


def settle(session: Session, row_id: int, token: str, **values: Any) -> bool:
    """Writes the outcome of an attempt, only if `token` still holds the row."""
    o = _OUTBOX
    done = values.get("status") in ("sent", "failed", "cancelled")
    if done:
        values.update(locked_by=None, locked_until=None, address_sealed=None)
    elif values.get("status") == "queued":
        values.update(locked_by=None, locked_until=None)
    result = session.execute(
        update(o)
        .where(o.c.id == row_id, o.c.locked_by == token, o.c.status == "sending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# Provider statuses in the order they can happen; a late callback never moves one backwards.
DELIVERY_RANK = {
    "accepted": 0, "scheduled": 0, "queued": 1, "sending": 2, "sent": 3,
    "delivered": 4, "undelivered": 4, "failed": 4, "read": 5,
}
DELIVERY_FAILED = ("undelivered", "failed")


def record_delivery(
    session: Session, provider_id: str, status: str, *, row_id: int | None = None,
    error: str | None = None,
) -> None:
    """Applies a provider's delivery report to the message log and the outbox row."""
    row = session.get(OutboxMessage, row_id) if row_id else None
    if row is None:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.provider_id == provider_id))
    if row is not None and row.provider_id in (None, provider_id):
        if row.status in ("queued", "sending"):
            # The provider took it while our worker was unsure (it died, or timed out).
            row.status, row.sent_at, row.locked_by, row.locked_until = "sent", utcnow(), None, None
            row.address_sealed = None
        row.provider_id = provider_id
        if _later(status, row.delivery_status):
            row.delivery_status = status
        if error and status in DELIVERY_FAILED:
            row.last_error = f"provider error {error}"[:200]
        if row.message_id:
            logged = session.get(Message, row.message_id)
            if logged is not None and logged.provider_id is None:
                logged.provider_id = provider_id
    for logged in session.scalars(select(Message).where(Message.provider_id == provider_id)):
        if _later(status, logged.delivery_status):
            logged.delivery_status = status


def _later(new: str, old: str | None) -> bool:
    return old is None or DELIVERY_RANK.get(new, 3) > DELIVERY_RANK.get(old, -1)


def backoff(attempts: int, base: float = 5.0, cap: float = 900.0) -> timedelta:
    """Exponential back-off: 5 s, 10 s, 20 s ... up to 15 minutes."""
    return timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def stats(session: Session, now: datetime | None = None) -> dict[str, Any]:
    """What monitoring watches: queue depth and age, pending answers, recent failures."""
    now = now or utcnow()
    oldest = session.scalar(
        select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status == "queued")
    )
    pending_oldest = session.scalar(select(func.min(PendingInbound.received_at)))
    by_status = dict(
        session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    day_ago = now - timedelta(days=1)
    failed_day = session.scalar(
        select(func.count()).where(
            OutboxMessage.status == "failed", OutboxMessage.created_at > day_ago
        )
    )
    return {
        "outbox": {s: int(by_status.get(s, 0)) for s in ("queued", "sending", "sent", "failed")},
        "outbox_oldest_queued_seconds": _age(now, oldest),
        "outbox_failed_24h": int(failed_day or 0),
        "pending_inbound": int(session.scalar(select(func.count(PendingInbound.id))) or 0),
        "pending_inbound_oldest_seconds": _age(now, pending_oldest),
    }


def _age(now: datetime, then: datetime | None) -> float:
    if then is None:
        return 0.0
    if then.tzinfo is None:  # SQLite hands back naive UTC
        then = then.replace(tzinfo=now.tzinfo)
    return round((now - then).total_seconds(), 1)
