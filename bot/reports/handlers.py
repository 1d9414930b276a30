"""The service's side of the report effects: file, status, relay answers, check-ins, forget.

Rules:
- The reply address is sealed into ContactAddress only when the person agreed to be written to;
  it is never stored anywhere else, and never in clear.
- STATUS answers only the pseudonym that filed the case; every other case reads "not found".
"""

from __future__ import annotations

from sqlalchemy import delete, select

from bot.core.effects import CaseStatusQuery, FileReport, FollowUpAnswer, RelayAnswer
from bot.core.messages import Reply
from bot.core.text import T
from bot.matching.urgency import is_urgent
from bot.reports import texts
from bot.reports.filing import (
    anonymise,
    file_case,
    followup_answered,
    record_reporter_message,
    reporter_case,
)
from bot.reports.policy import policy
from bot.service import EffectContext, handles
from bot.storage.models import Case, ContactAddress


def _t(ctx: EffectContext, message: T, **values: object) -> str:
    return message.render(ctx.tr, **values)


def keep_address(ctx: EffectContext) -> None:
    """Seals the raw address for later messages (consent given); nothing else keeps it."""
    sealed = ctx.helpline.vault.seal(ctx.address)
    stored = ctx.session.get(ContactAddress, ctx.contact.id)
    if stored is None:
        stored = ContactAddress(contact_id=ctx.contact.id, sealed=sealed, updated_at=ctx.at)
        ctx.session.add(stored)
    else:
        stored.sealed, stored.updated_at = sealed, ctx.at


@handles(FileReport)
def on_file_report(ctx: EffectContext, effect: FileReport) -> list[Reply]:
    """Files the report and answers with its code and what happens next."""
    ctx.session.flush()  # the contact needs its id
    pol = policy(ctx.helpline.app)
    case = file_case(ctx.session, dict(effect.answers), ctx.contact, ctx.at, pol)
    if case.consent:
        keep_address(ctx)
    parts = [_t(ctx, texts.FILED, code=case.code)]
    parts.append(_t(ctx, texts.NEXT_CONTACT if case.consent else texts.NEXT_NO_CONTACT))
    if case.urgent:
        parts.append(_t(ctx, texts.NEXT_URGENT))
    return [Reply(" ".join(parts))]


@handles(CaseStatusQuery)
def on_status(ctx: EffectContext, effect: CaseStatusQuery) -> list[Reply]:
    """The case's state in plain words, only for the person who filed it."""
    ctx.session.flush()
    case = reporter_case(ctx.session, effect.code, ctx.contact)
    if case is None:
        return [Reply(_t(ctx, texts.NOT_FOUND))]
    words = texts.STATUS_WORDS.get(case.status, texts.STATUS_WORDS["new"])
    return [Reply(_t(ctx, words, code=case.code))]


@handles(RelayAnswer)
def on_relay_answer(ctx: EffectContext, effect: RelayAnswer) -> list[Reply]:
    """Threads the reporter's answer into the case (redacted) while the relay is open."""
    case = reporter_case(ctx.session, effect.code, ctx.contact)
    if case is None or case.status == "closed":
        ctx.state.flow, ctx.state.node = "main", "menu"
        for key in ("case", "open_until"):
            ctx.state.slots.pop(key, None)
        return [Reply(_t(ctx, texts.RELAY_CLOSED))]
    urgent = is_urgent(effect.text, ctx.state.lang)
    pol = policy(ctx.helpline.app)
    record_reporter_message(ctx.session, case, effect.text, ctx.at, pol, urgent=urgent)
    return [Reply(_t(ctx, texts.RELAY_SENT))]


@handles(FollowUpAnswer)
def on_followup(ctx: EffectContext, effect: FollowUpAnswer) -> list[Reply]:
    """Records "safe" or "need help"; need help raises the case with its partner."""
    case = reporter_case(ctx.session, effect.code, ctx.contact)
    if case is None:
        return [Reply(_t(ctx, texts.NOT_FOUND))]
    followup_answered(ctx.session, case, effect.safe, ctx.at, policy(ctx.helpline.app))
    return [Reply(_t(ctx, texts.FOLLOWUP_SAFE if effect.safe else texts.FOLLOWUP_HELP))]


def forget_reporter(ctx: EffectContext) -> None:
    """DELETE: the person's cases keep only anonymous fields; the sealed address goes now."""
    cases = ctx.session.scalars(select(Case).where(Case.contact_id == ctx.contact.id)).all()
    for case in cases:
        anonymise(ctx.session, case, ctx.at, "forgotten")
    ctx.session.execute(delete(ContactAddress).where(ContactAddress.contact_id == ctx.contact.id))
    ctx.session.flush()
