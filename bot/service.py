"""Receiving one message: the one use case every channel calls, in one transaction.

Rules:
- The raw address is turned into a pseudonym at once; it is stored only sealed, and only when a
  later message must reach the person (a failed turn to retry, a consented follow-up).
- A provider message id is claimed in the same transaction as the new state, so a retry of an
  answered message gets no second reply, and a crash leaves nothing half-done.
- If answering fails, the message is kept sealed in `pending_inbound` and retried by the worker:
  an accepted message is never lost.
- The usual turn is short: claim, contact with state (one query, the contact row locked), state
  and log rows written with Core statements; ORM objects only when an effect handler needs them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.effects import (
    Effect,
    EmergencyShown,
    Forget,
    OptIn,
    OptOut,
    TopicShown,
    Unanswered,
)
from bot.core.engine import Engine, EngineSettings
from bot.core.messages import SMS, TELEGRAM, Caps, Inbound, Reply
from bot.core.segments import count
from bot.core.shape import render_sms
from bot.core.state import Conversation
from bot.core.text import Translator
from bot.flows import FLOWS
from bot.i18n import translator
from bot.matching.matcher import Matcher
from bot.privacy.pseudonym import pseudonym
from bot.privacy.redact import redact
from bot.privacy.vault import Vault
from bot.storage import repo
from bot.storage.db import transaction
from bot.storage.models import Contact, PendingInbound, utcnow

log = logging.getLogger(__name__)


@dataclass
class EffectContext:
    """What an effect handler may use: the open transaction and the person, by pseudonym only."""

    session: Session
    contact: Contact
    state: Conversation
    channel: str
    address: str  # raw, for sealing only; handlers must never store or log it in clear
    helpline: Helpline
    tr: Translator
    at: datetime


EffectHandler = Callable[[EffectContext, Any], list[Reply]]
_HANDLERS: dict[type[Effect], EffectHandler] = {}


def handles(kind: type[Effect]) -> Callable[[EffectHandler], EffectHandler]:
    """Registers the function that carries out one kind of effect (reports, relay, status...)."""

    def register(fn: EffectHandler) -> EffectHandler:
        _HANDLERS[kind] = fn
        return fn

    return register


@dataclass
class Received:
    """The outcome of one inbound message for the channel adapter."""

    replies: list[Reply] = field(default_factory=list)
    duplicate: bool = False
    pending: bool = False  # accepted, answer delayed: the worker will send it
    outbox_ids: list[int] = field(default_factory=list)  # replies queued to send (queue=True)


class Helpline:
    """The composition of engine, content, matcher and storage for one app."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        cfg = app.config
        self.settings = EngineSettings(
            idle_minutes=int(cfg["IDLE_MINUTES"]),
            match_threshold=float(cfg["MATCH_THRESHOLD"]),
            vi_plain_sms=_flag(cfg["VI_PLAIN_SMS"]),
        )
        self.vault = Vault(cfg["VAULT_KEY"])
        self.pseudonym_key: str = cfg["PSEUDONYM_KEY"]
        self._built: tuple[object, Engine] | None = None  # (content revision, engine)

    # -- composition ---------------------------------------------------------------------------
    def engine(self, session: Session | None = None) -> Engine:
        """The engine over the newest published content; rebuilt only when content changed."""
        from bot.content_source import current_content

        content, revision = current_content(self.app, session)
        built = self._built
        if built is None or built[0] != revision:
            matcher = matcher_for(content.keywords())
            built = (revision, Engine(FLOWS, content, matcher, translator, self.settings))
            self._built = built
        return built[1]

    def caps(self, channel: str) -> Caps:
        base = TELEGRAM if channel == "telegram" else SMS
        if channel == "sms":
            return Caps(sms_budget=int(self.app.config["SMS_BUDGET"]))
        return base

    def pseudonym(self, channel: str, address: str) -> str:
        return pseudonym(self.pseudonym_key, channel, address)

    # -- the use case --------------------------------------------------------------------------
    def receive(
        self,
        channel: str,
        address: str,
        text: str,
        key: str,
        *,
        at: datetime | None = None,
        payload: str = "",
        media: bool = False,
        queue: bool = False,
    ) -> Received:
        """Answers one message, exactly once per provider id; `queue` puts the replies in the
        outbox in the same transaction (channels that answer by API call, not in the response)."""
        at = at or datetime.now(UTC)
        try:
            with transaction(self.app) as session:
                if not repo.claim(session, key):
                    return Received(duplicate=True)
                if queue:
                    return self.answer_queued(session, channel, address, text, at, payload, media)
                replies = self._answer(session, channel, address, text, at, payload, media)
                return Received(replies)
        except IntegrityError:
            return Received(duplicate=True)
        except Exception:
            log.exception("answering failed; keeping the message to retry", extra={"key": key})
            return self._keep_for_retry(channel, address, text, key, payload)

    def answer_queued(
        self,
        session: Session,
        channel: str,
        address: str,
        text: str,
        at: datetime,
        payload: str = "",
        media: bool = False,
    ) -> Received:
        """Answers an already claimed message in the caller's transaction, replies queued."""
        from bot.outbox import enqueue_answer

        replies = self._answer(session, channel, address, text, at, payload, media, queued=True)
        ids = enqueue_answer(session, self, channel, address, replies)
        return Received(replies, outbox_ids=ids)

    def _answer(
        self,
        session: Session,
        channel: str,
        address: str,
        text: str,
        at: datetime,
        payload: str,
        media: bool,
        queued: bool = False,
    ) -> list[Reply]:
        who = self.pseudonym(channel, address)
        stored = repo.turn_for(session, who, channel)
        inbound = Inbound(text=text, at=at, caps=self.caps(channel), payload=payload, media=media)
        turn = self.engine(session).handle(Conversation.from_dict(stored.state), inbound)
        lang = turn.state.lang
        logged = [repo.log_row(stored.contact_id, "in", channel, redact(text), lang)]
        forgotten = any(isinstance(e, Forget) for e in turn.effects)
        # Effect handlers (reports, relay, forget) work on the ORM contact in the session, and may
        # log messages of their own after the inbound one. A plain turn (the usual one) needs no
        # ORM object: its state and log rows are written with a few Core statements.
        contact: Contact | None = None
        ctx: EffectContext | None = None
        extra: list[Reply] = []
        interactions: list[dict[str, Any]] = []
        if (
            forgotten
            or any(type(e) in _HANDLERS for e in turn.effects)
            or repo.has_orm_contact(session, stored.contact_id)
        ):
            contact = repo.contact_by_id(session, stored.contact_id)
            repo.write_log(session, logged)
            logged = []
            ctx = EffectContext(
                session, contact, turn.state, channel, address, self, translator(lang or "en"), at
            )
        for effect in turn.effects:
            if isinstance(effect, Forget):
                continue
            handler = _HANDLERS.get(type(effect))
            if handler is not None and ctx is not None:
                extra.extend(handler(ctx, effect))
            elif isinstance(effect, OptOut | OptIn):
                if contact is not None:  # else the saved state below sets it
                    contact.opted_out = isinstance(effect, OptOut)
            elif isinstance(effect, TopicShown | EmergencyShown | Unanswered):
                interactions.append(_interaction(turn.state, channel, at, effect))
            else:
                log.warning("no handler for effect %s", type(effect).__name__)
        # Emergency numbers come before anything a handler adds ("we passed your message on").
        urgent = any(isinstance(e, EmergencyShown) for e in turn.effects)
        if urgent:
            replies = [*turn.replies[:1], *extra, *turn.replies[1:]]
        else:
            replies = extra + turn.replies
        if forgotten and ctx is not None:
            repo.write_log(session, (), interactions)
            self._forget(ctx)
            return replies
        if not queued:  # queued: the outbox logs them, with the provider's id once sent
            sms, who_id = channel == "sms", stored.contact_id
            for reply in replies:
                body = render_sms(reply)
                segments = count(body).segments if sms else 0
                logged.append(repo.log_row(who_id, "out", channel, body, lang, segments))
        if contact is not None:
            repo.save_state(contact, turn.state, at)
            session.flush()  # rows the handlers added keep their place before the replies
            repo.write_log(session, logged, interactions)
        else:
            repo.finish_turn(session, stored, turn.state, at, logged, interactions)
        return replies

    def _forget(self, ctx: EffectContext) -> None:
        for hook in FORGET_HOOKS:
            hook(ctx)
        repo.forget(ctx.session, ctx.contact)

    def _keep_for_retry(
        self, channel: str, address: str, text: str, key: str, payload: str
    ) -> Received:
        with transaction(self.app) as session:
            if not repo.claim(session, key):
                return Received(duplicate=True)
            session.add(
                PendingInbound(
                    key=key,
                    channel=channel,
                    address_sealed=self.vault.seal(address),
                    text_sealed=self.vault.seal(text),
                    payload=payload,
                    next_try_at=utcnow() + timedelta(seconds=5),
                )
            )
        return Received(pending=True)


# Called with the EffectContext before a contact is deleted (reports keep anonymous fields).
FORGET_HOOKS: list[Callable[[EffectContext], None]] = []


def _interaction(
    state: Conversation, channel: str, at: datetime, effect: Effect
) -> dict[str, Any]:
    """The Interaction row (bot/storage/models) an effect is recorded as: no one's id in it."""
    kind = {TopicShown: "topic", EmergencyShown: "emergency", Unanswered: "unanswered"}[
        type(effect)
    ]
    return {
        "kind": kind,
        "slug": getattr(effect, "slug", None),
        "lang": getattr(effect, "lang", None),
        "country": state.country,
        "channel": channel,
        "text": redact(effect.text) if isinstance(effect, Unanswered) else None,
        "created_at": at,
    }


_MATCHERS: dict[str, Matcher] = {}


def matcher_for(keywords: dict[str, dict[str, list[str]]]) -> Matcher:
    """The matcher of these keywords; built once per process for the same keywords."""
    fingerprint = hashlib.sha256(
        json.dumps(keywords, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    if fingerprint not in _MATCHERS:
        _MATCHERS.clear()  # only the newest keywords are served
        _MATCHERS[fingerprint] = Matcher.from_keywords(keywords)
    return _MATCHERS[fingerprint]


def _flag(value: object) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def get_helpline(app: Flask | None = None) -> Helpline:
    """The app's helpline, built on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    if "helpline" not in app.extensions:
        app.extensions["helpline"] = Helpline(app)
    helpline: Helpline = app.extensions["helpline"]
    return helpline
