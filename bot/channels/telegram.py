"""Telegram: the webhook (secret token, Update.de_json, update_id key), inline-keyboard menus,
and the Bot API calls the worker and the CLI make over plain HTTP.

Rules:
- Only private chats are served; the address is the chat id, which stops at the service.
- Replies are not returned in the webhook response, where their delivery could not be confirmed:
  the service queues them in the outbox in the same transaction as the answer, and the view
  sends them right away. What that first try does not deliver (Telegram down, 429) the worker
  sends later, so nothing is lost. Only answerCallbackQuery, which stops a button's spinner and
  needs no confirmation, rides in the webhook response.
- python-telegram-bot parses updates only; its Bot is async, and a synchronous call per reply is
  all the helpline needs, so the Bot API is called with requests.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
from flask import Blueprint, Flask, Response, abort, current_app, jsonify, request
from telegram import Update

from bot.outbox import Accepted, SendFailed, register_sender, transport_failure
from bot.service import get_helpline

bp = Blueprint("telegram", __name__)
MAX_BODY = 256 * 1024  # an update is a few kB
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_API = "https://api.telegram.org"
ALLOWED_UPDATES = ("message", "callback_query")
NOT_TEXT = (
    "voice", "audio", "photo", "sticker", "document", "video", "video_note", "animation",
    "location", "contact", "venue", "poll", "dice",
)  # fmt: skip


@dataclass(frozen=True)
class Incoming:
    """What the helpline takes from an update: nothing about the person but the chat id."""

    update_id: int
    chat_id: str
    text: str
    payload: str = ""
    media: bool = False
    callback_id: str | None = None


@bp.before_request
def _limit_body() -> None:
    request.max_content_length = MAX_BODY


@bp.post("/webhooks/telegram")
def webhook() -> Response | tuple[str, int]:
    """Handles one update; 200 for anything valid, even updates the helpline ignores."""
    secret = current_app.config.get("TELEGRAM_WEBHOOK_SECRET")
    if not secret:
        current_app.logger.warning("telegram webhook refused: TELEGRAM_WEBHOOK_SECRET not set")
        abort(503)
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), str(secret).encode()):
        abort(403)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    try:
        incoming = parse(data)
    except ValueError:
        abort(400)
    if incoming is None:
        return "", 200
    handle(current_app._get_current_object(), incoming, answer_button=False)  # type: ignore[attr-defined]
    if incoming.callback_id:
        # Telegram takes one method call as the webhook's response: no request of our own.
        return jsonify(method="answerCallbackQuery", callback_query_id=incoming.callback_id)
    return "", 200


def handle(app: Flask, incoming: Incoming, answer_button: bool = True) -> None:
    """Answers one update: the service queues the replies, which are then sent at once."""
    received = get_helpline(app).receive(
        "telegram",
        incoming.chat_id,
        incoming.text,
        key=f"telegram:{incoming.update_id}",
        payload=incoming.payload,
        media=incoming.media,
        queue=True,
    )
    api = bot_api(app)
    if answer_button and incoming.callback_id and api is not None:
        api.answer_callback(incoming.callback_id)
    if received.outbox_ids:
        from bot.worker import deliver_now

        deliver_now(app, received.outbox_ids)


def parse(data: dict[str, Any]) -> Incoming | None:
    """The helpline's view of an update, None for updates it ignores; ValueError if malformed."""
    try:
        update = Update.de_json(data, None)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"malformed update: {type(error).__name__}") from None
    if not isinstance(update.update_id, int) or isinstance(update.update_id, bool):
        raise ValueError("update_id is not an integer")
    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message else None
        if query.data is None or (chat is not None and chat.type != "private"):
            return None
        chat_id = chat.id if chat is not None else query.from_user.id
        return Incoming(update.update_id, str(chat_id), query.data, callback_id=query.id)
    message = update.message
    if message is None or message.chat.type != "private":
        return None
    text, payload = _command(message.text or message.caption or "")
    media = any(getattr(message, kind, None) for kind in NOT_TEXT)
    return Incoming(update.update_id, str(message.chat.id), text, payload[:64], media)


def _command(text: str) -> tuple[str, str]:
    """"/start poster-my" -> ("/start", "poster-my"); "/menu@HelpBot" -> ("menu", "")."""
    if not text.startswith("/"):
        return text, ""
    head, _, rest = text.partition(" ")
    name = head.split("@", 1)[0].lower()
    if name == "/start":
        return "/start", rest.strip()
    return (name[1:], "") if not rest.strip() else (text, "")


class BotApi:
    """The few Bot API methods the helpline calls, over HTTP with requests."""

    def __init__(self, token: str, base: str | None = None, timeout: float = 15.0) -> None:
        self.url = f"{(base or DEFAULT_API).rstrip('/')}/bot{token}/"
        self.http = requests.Session()
        # One connection per web thread, kept alive: the default pool of 10 would churn.
        self.http.mount("https://", requests.adapters.HTTPAdapter(pool_maxsize=32))
        self.http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=32))
        self.timeout = timeout

    def call(self, method: str, http_timeout: float | None = None, **params: Any) -> Any:
        """One method call; its `result`, or SendFailed saying whether a retry may help."""
        url, timeout = self.url + method, http_timeout or self.timeout
        try:
            response = self.http.post(url, json=params, timeout=timeout)
        except (requests.ConnectionError, requests.Timeout) as error:
            raise transport_failure("telegram", error) from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.ok and body.get("ok"):
            return body.get("result")
        raise _failure(response.status_code, body)

    def send_message(self, chat_id: str, text: str, choices: Sequence[dict[str, str]]) -> int:
        """Sends one message, its choices as an inline keyboard; the message id."""
        params: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if choices:
            rows = [[{"text": c["label"], "callback_data": c["key"]}] for c in choices]
            params["reply_markup"] = {"inline_keyboard": rows}
        result = self.call("sendMessage", **params)
        return int(result["message_id"])

    def answer_callback(self, callback_id: str) -> None:
        """Stops the button's spinner; best effort, since the answer itself is a message."""
        try:
            self.call("answerCallbackQuery", http_timeout=3.0, callback_query_id=callback_id)
        except SendFailed as error:
            current_app.logger.info("answerCallbackQuery failed", extra={"error": error.reason})


def _failure(status: int, body: dict[str, Any]) -> SendFailed:
    code = int(body.get("error_code") or status)
    label = f"telegram {code}"
    if code == 429:
        after = (body.get("parameters") or {}).get("retry_after")
        return SendFailed(label, after=float(after) if after is not None else None)
    if code == 403:  # the person blocked the bot or deleted the chat
        return SendFailed(label, retry=False, opted_out=True)
    if code >= 500:
        return SendFailed(label, unknown=True)
    return SendFailed(label, retry=False)


def bot_api(app: Flask) -> BotApi | None:
    """The app's Bot API client, or None while no bot token is configured."""
    token = app.config.get("TELEGRAM_BOT_TOKEN")
    if not token:
        return None
    if "helpline.telegram" not in app.extensions:
        base, timeout = app.config.get("TELEGRAM_API_BASE"), app.config.get("TELEGRAM_TIMEOUT", 15)
        app.extensions["helpline.telegram"] = BotApi(token, base, float(timeout))
    api: BotApi = app.extensions["helpline.telegram"]
    return api


class TelegramSender:
    """The worker's Telegram sender. Telegram cannot tell whether an earlier attempt arrived."""

    def __init__(self, api: BotApi) -> None:
        self.api = api

    def send(
        self, address: str, text: str, choices: Sequence[dict[str, str]], marker: str
    ) -> Accepted:
        return Accepted(str(self.api.send_message(address, text, choices)), "sent")

    def find_sent(
        self,
        address: str,
        text: str,
        choices: Sequence[dict[str, str]],
        since: datetime,
        exclude: set[str],
    ) -> str | None:
        return None


def _sender(app: Flask) -> TelegramSender | None:
    api = bot_api(app)
    return TelegramSender(api) if api else None


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_sender("telegram", _sender)
