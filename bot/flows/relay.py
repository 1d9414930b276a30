"""Answers to messages the helpline sent first: a partner's relayed message, a follow-up check-in.

These are the report flow's last nodes (`report.relay`, `report.followup`, `report.need_help`):
a report's afterlife, reached only when the service writes to the person first.

Rules:
- The service puts a person here when it queues a partner's message (`report.relay`) or a
  check-in (`report.followup`), with the case code and an `open_until` time in the slots; until
  then an idle gap does not restart the conversation (the engine's AWAITS_REPLY).
- What the person writes here goes to the case as an effect; the service redacts it and answers.
- MENU (or any global command) leaves; danger words show the numbers and the message still goes on.
- The messages sent first never name the helpline's purpose or the case, in case someone else
  reads the phone.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.effects import FollowUpAnswer, RelayAnswer
from bot.core.messages import Choice, Reply
from bot.core.text import T, Translator
from bot.flows.base import Action, Ctx, Node, Step
from bot.flows.emergency import numbers

PARTNER_SAYS = T(
    "relay.partner_says",
    "A message for you:\n{text}\nReply here to answer. Send MENU for the menu.",
)
TELL_MORE = T(
    "relay.tell_more",
    "Write here what you want the organisation to know. Send MENU for the menu.",
)
TEXT_ONLY = T("relay.text_only", "Please write in words: we cannot pass on voice notes or photos.")
CHECKIN = T("followup.ask", "Hello again from the helpline. Are you safe now?")
SAFE = T("followup.option", "Yes, I am safe")
NEED_HELP = T("followup.option", "I need help")


def checkin(tr: Translator) -> Reply:
    """The check-in question with its two answers, in the person's language."""
    choices = (Choice("1", SAFE.render(tr)), Choice("2", NEED_HELP.render(tr)))
    return Reply(CHECKIN.render(tr), choices)


def partner_message(tr: Translator, text: str) -> Reply:
    """A partner's message framed for the reporter."""
    return Reply(PARTNER_SAYS.render(tr, text=text))


def _expired(ctx: Ctx) -> bool:
    until = ctx.slots.get("open_until")
    return isinstance(until, str) and ctx.inbound.at >= datetime.fromisoformat(until)


def _close(ctx: Ctx) -> Step:
    for key in ("case", "open_until", "urgent"):
        ctx.slots.pop(key, None)
    return Step(goto="main.menu")


def tell_more(ctx: Ctx) -> Step:
    """Invites more words for the case after the person asked for help."""
    return Step([Reply(ctx.t(TELL_MORE))])


def relay_receive(ctx: Ctx) -> Step | None:
    """Passes what the person writes to the case and waits here for more."""
    code = ctx.slots.get("case")
    if not code or _expired(ctx):
        return None if not code else _close(ctx)
    if not ctx.text:
        return Step([Reply(ctx.t(TEXT_ONLY))])
    ctx.slots.pop("urgent", None)  # the service reads danger from the text itself
    ctx.effects.append(RelayAnswer(code, ctx.text))
    return Step()


def followup_receive(ctx: Ctx) -> Step | None:
    """1 safe, 2 needs help (danger words count as 2); other words go to the case as a message."""
    code = ctx.slots.get("case")
    if not code or _expired(ctx):
        return None if not code else _close(ctx)
    answer = ctx.text.strip().rstrip(".)")
    if answer == "1":
        ctx.effects.append(FollowUpAnswer(code, safe=True))
        return _close(ctx)
    if answer == "2" or ctx.slots.pop("urgent", False):
        ctx.effects.append(FollowUpAnswer(code, safe=False))
        return Step(goto="need_help")
    if not ctx.text:
        return Step([Reply(ctx.t(TEXT_ONLY))])
    ctx.effects.append(RelayAnswer(code, ctx.text))
    return Step()


def need_help(ctx: Ctx) -> Step:
    """The emergency numbers, then the case stays open for the person's words."""
    step = numbers(ctx)
    step.goto = "relay"
    return step


def check_in(ctx: Ctx) -> Step:
    """Asks again whether the person is safe (the service sends it the first time)."""
    return Step([checkin(ctx.tr)])


# The report flow's nodes for answers to the helpline's own messages.
NODES: dict[str, Node] = {
    "relay": Action(tell_more, relay_receive),
    "followup": Action(check_in, followup_receive),
    "need_help": Action(need_help),
}
