"""Logs at INFO and above never hold what people wrote or their phone number or chat id."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.core.messages import Reply
from bot.logs import JsonFormatter
from bot.outbox import enqueue
from bot.service import get_helpline
from bot.storage.db import transaction
from bot.storage.models import Contact
from bot.worker import Worker
from tests.channels.conftest import USER, signed_post, sms, tg_message, tg_post
from tests.channels.standin import StandIn

PHONE = "+66 81 555 0199"
WORDS = ("my employer kept my passport", "I am in Chiang Mai hiding", "help me please")


class Capture(logging.Handler):
    """Keeps every record formatted as the production JSON line."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured() -> Iterator[Capture]:
    capture = Capture()
    # "bot" does not propagate (it has its own JSON handler); the rest go through the root.
    loggers = [logging.getLogger(), logging.getLogger("bot")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(capture)
        lg.setLevel(logging.INFO)
    yield capture
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(capture)
        lg.setLevel(level)


def test_a_webhook_conversation_leaves_no_text_or_address_in_the_logs(
    app: Flask, client: FlaskClient, standin: StandIn, captured: Capture
) -> None:
    for n, words in enumerate(("hello", "1", *WORDS)):
        sms(client, words, sender=PHONE)
        tg_post(client, tg_message(words, update_id=880000 + n))
    # A proactive message, a failing send and a delivery callback, so the worker logs too.
    with transaction(app) as session:
        contact = next(c for c in session.query(Contact) if c.channel == "sms")
        enqueue(session, contact, "sms", [Reply(WORDS[0])], address=PHONE,
                vault=get_helpline(app).vault)  # fmt: skip
    standin.fail("twilio", "Messages.create", 500)
    Worker(app, limits=False).tick()
    form = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "undelivered", "To": PHONE}
    signed_post(client, "/webhooks/twilio/status", form)
    assert captured.lines, "nothing was logged: the capture is broken"
    dump = "\n".join(captured.lines)
    digits = "".join(ch for ch in PHONE if ch.isdigit())
    assert digits not in "".join(ch for ch in dump if ch.isdigit() or ch == "\n")
    assert str(USER.id) not in dump
    for words in WORDS:
        assert words not in dump
