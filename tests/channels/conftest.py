"""Channel fixtures: an app wired to a local stand-in for Twilio and Telegram, and helpers that
sign webhooks with Twilio's own validator and build updates from python-telegram-bot objects."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from telegram import CallbackQuery, Chat, Message, Update, User
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from tests.channels.standin import StandIn
from tests.conftest import make_test_app

PUBLIC = "https://helpline.example.org"
TOKEN = "twilio-auth-token"
ACCOUNT = "AC" + "0" * 32
OUR_NUMBER = "+15550001111"
BOT_TOKEN = "123456:TEST-token"
SECRET = "telegram-webhook-secret"


def provider_config(standin_url: str) -> dict[str, Any]:
    """Configuration pointing both providers' clients at the stand-in."""
    return {
        "PUBLIC_URL": PUBLIC,
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_FROM": OUR_NUMBER,
        "TWILIO_API_BASE": standin_url,
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE": standin_url,
        "OUTBOX_LEASE_SECONDS": 5,
    }


@pytest.fixture
def standin() -> Iterator[StandIn]:
    server = StandIn().start()
    yield server
    server.stop()


@pytest.fixture
def app(db_url: str, standin: StandIn) -> Iterator[Flask]:
    app = make_test_app(db_url, **provider_config(standin.url))
    yield app
    from bot.storage.db import get_engine

    get_engine(app).dispose()


_sids = itertools.count(1)


def new_sid() -> str:
    return f"SM{next(_sids):032x}"


def signed_post(
    client: FlaskClient,
    path: str,
    form: dict[str, str],
    token: str = TOKEN,
    query: str = "",
) -> TestResponse:
    """POSTs a form signed as Twilio signs it, for the public URL of `path`."""
    url = f"{PUBLIC}{path}" + (f"?{query}" if query else "")
    signature = RequestValidator(token).compute_signature(url, form)
    target = path + (f"?{query}" if query else "")
    return client.post(target, data=form, headers={"X-Twilio-Signature": signature})


def sms(
    client: FlaskClient,
    body: str,
    sender: str = "+66812345678",
    sid: str | None = None,
    **extra: str,
) -> TestResponse:
    """An inbound SMS webhook as Twilio sends it."""
    form = {
        "MessageSid": sid or new_sid(),
        "AccountSid": ACCOUNT,
        "From": sender,
        "To": OUR_NUMBER,
        "Body": body,
        "NumMedia": "0",
        **extra,
    }
    return signed_post(client, "/webhooks/twilio/sms", form)


_updates = itertools.count(5000)
USER = User(id=918273645, first_name="Aye", is_bot=False, language_code="my")
CHAT = Chat(id=918273645, type=Chat.PRIVATE)


def tg_message(text: str | None = None, update_id: int | None = None, **kw: Any) -> dict[str, Any]:
    """An update carrying one private message, built from python-telegram-bot's own classes."""
    message = Message(
        message_id=next(_updates),
        date=datetime.now(UTC),
        chat=kw.pop("chat", CHAT),
        from_user=USER,
        text=text,
        **kw,
    )
    return Update(update_id=update_id or next(_updates), message=message).to_dict()


def tg_button(data: str, update_id: int | None = None) -> dict[str, Any]:
    """An update for a press on an inline-keyboard button."""
    shown = Message(message_id=1, date=datetime.now(UTC), chat=CHAT, from_user=USER, text="menu")
    query = CallbackQuery(
        id=f"cq{next(_updates)}", from_user=USER, chat_instance="ci", data=data, message=shown
    )
    return Update(update_id=update_id or next(_updates), callback_query=query).to_dict()


def tg_post(client: FlaskClient, update: Any, secret: str | None = SECRET) -> TestResponse:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post("/webhooks/telegram", json=update, headers=headers)
