"""Twilio SMS: the signed inbound webhook answered with TwiML, delivery status callbacks, and the
REST sender the worker uses for everything that is not a direct answer.

Rules:
- Nothing is accepted without a valid X-Twilio-Signature; with no auth token configured the
  webhooks answer 503 rather than trust anyone.
- The signature covers the URL Twilio called, so behind a proxy it is checked against
  HELPLINE_PUBLIC_URL + path (+ query), not the URL the proxy handed us.
- Advanced Opt-Out: Twilio has already answered STOP itself and blocks our messages, so STOP only
  updates the contact; START and HELP are answered as usual.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import requests
from flask import Blueprint, Flask, Response, abort, current_app, request
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import (
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.core.messages import Choice, Reply
from bot.core.shape import render_sms
from bot.outbox import (
    Accepted,
    SendFailed,
    record_delivery,
    register_sender,
    transport_failure,
)
from bot.service import get_helpline
from bot.storage.db import transaction

bp = Blueprint("twilio_sms", __name__)
MAX_BODY = 64 * 1024  # a Twilio form is a few kB; anything bigger is not Twilio
OPT_OUT_TYPES = ("STOP", "START", "HELP")
TWILIO_API = "https://api.twilio.com"
UNSUBSCRIBED = 21610  # Twilio error: the recipient replied STOP


@bp.before_request
def _limit_body() -> None:
    request.max_content_length = MAX_BODY


@bp.post("/webhooks/twilio/sms")
def sms() -> Response:
    """Answers one inbound SMS with TwiML, once per MessageSid."""
    _verify_signature()
    form = request.form
    if not all(form.get(name) is not None for name in ("From", "Body", "MessageSid")):
        abort(400)
    if not form["From"].strip() or not form["MessageSid"].strip():
        abort(400)
    opt_out = form.get("OptOutType", "").strip().upper()
    text = opt_out if opt_out in OPT_OUT_TYPES else form["Body"]
    received = get_helpline().receive(
        "sms", form["From"], text, key=f"twilio:{form['MessageSid']}", media=_num_media() > 0
    )
    replies = [] if opt_out == "STOP" else received.replies
    return Response(render(replies), mimetype="text/xml")


@bp.post("/webhooks/twilio/status")
def status() -> tuple[str, int]:
    """Records a delivery status callback against the message log and the outbox row."""
    _verify_signature()
    sid, state = request.form.get("MessageSid"), request.form.get("MessageStatus")
    if not sid or not state:
        abort(400)
    row_id = request.args.get("o", type=int)
    error = request.form.get("ErrorCode") or None
    with transaction() as session:
        record_delivery(session, sid, state.lower(), row_id=row_id, error=error)
    return "", 204


def render(replies: Sequence[Reply]) -> str:
    """TwiML with one <Message> per reply; no reply gives an empty <Response/>."""
    response = MessagingResponse()
    for reply in replies:
        response.message(render_sms(reply))
    return str(response)


def _num_media() -> int:
    raw = request.form.get("NumMedia", "0").strip() or "0"
    if not raw.isdigit():
        abort(400)
    return int(raw)


def _verify_signature() -> None:
    cfg = current_app.config
    settings = request.headers.get(SIGNATURE_SETTINGS_HEADER)
    # A Webhook Rule signs with a SharedKey and names its algorithm; otherwise the auth token.
    secret = cfg.get("TWILIO_WEBHOOK_SHARED_KEY") if settings else cfg.get("TWILIO_AUTH_TOKEN")
    if not secret:
        current_app.logger.warning("twilio webhook refused: signing secret not configured")
        abort(503)
    signature = request.headers.get("X-Twilio-Signature", "")
    algorithm = get_signature_algorithm(settings)
    if not signature or not RequestValidator(secret).validate(
        public_url(), request.form, signature, algorithm
    ):
        abort(403)


def public_url() -> str:
    """The URL Twilio called: HELPLINE_PUBLIC_URL + path and query when set, else request.url."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        return str(request.url)
    query = request.query_string.decode()
    return str(base).rstrip("/") + request.path + (f"?{query}" if query else "")


class _ApiClient(TwilioHttpClient):  # type: ignore[misc]
    """Twilio's own HTTP client, pointed at TWILIO_API_BASE and remembering Retry-After."""

    def __init__(self, base: str | None, timeout: float) -> None:
        # A quiet logger: the SDK logs recipients and query parameters at INFO.
        quiet = logging.getLogger("bot.channels.twilio_sdk")
        quiet.setLevel(logging.WARNING)
        super().__init__(timeout=timeout, logger=quiet)
        self.base = base.rstrip("/") if base else None
        self.local = threading.local()

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if self.base and url.startswith(TWILIO_API):
            url = self.base + url[len(TWILIO_API) :]
        response = super().request(method, url, *args, **kwargs)
        self.local.retry_after = (response.headers or {}).get("Retry-After")
        return response


class TwilioSender:
    """Sends SMS through the Messages API, with a status callback to the helpline."""

    def __init__(self, app: Flask) -> None:
        cfg = app.config
        self.http = _ApiClient(cfg.get("TWILIO_API_BASE"), float(cfg.get("TWILIO_TIMEOUT", 15)))
        sid, token = cfg["TWILIO_ACCOUNT_SID"], cfg["TWILIO_AUTH_TOKEN"]
        self.client = Client(sid, token, http_client=self.http)
        self.sender: str = cfg["TWILIO_FROM"]
        self.public_url: str | None = cfg.get("PUBLIC_URL")

    @classmethod
    def from_app(cls, app: Flask) -> TwilioSender | None:
        """A sender, or None while the account is not configured."""
        needed = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM")
        return cls(app) if all(app.config.get(k) for k in needed) else None

    def _origin(self) -> dict[str, str]:
        # A Messaging Service SID (MG...) lets Twilio pick the number; else our own number.
        if self.sender.startswith("MG"):
            return {"messaging_service_sid": self.sender}
        return {"from_": self.sender}

    def send(
        self, address: str, text: str, choices: Sequence[dict[str, str]], marker: str
    ) -> Accepted:
        """One Messages API call; the status callback carries the outbox row id."""
        body = _body(text, choices)
        extra: dict[str, Any] = {}
        if self.public_url:
            callback = f"{self.public_url.rstrip('/')}/webhooks/twilio/status?o={marker}"
            extra["status_callback"] = callback
        try:
            message = self.client.messages.create(to=address, body=body, **self._origin(), **extra)
        except TwilioRestException as error:
            raise self._failure(error) from None
        except (requests.ConnectionError, requests.Timeout) as error:
            raise transport_failure("twilio", error) from None
        return Accepted(message.sid or "", message.status or "queued")

    def find_sent(
        self,
        address: str,
        text: str,
        choices: Sequence[dict[str, str]],
        since: datetime,
        exclude: set[str],
    ) -> str | None:
        """The sid of a message with this body sent to `address` since `since`, if any."""
        body = _body(text, choices)
        origin = self._origin()
        filters = {"from_": origin["from_"]} if "from_" in origin else {}
        for message in self.client.messages.list(to=address, limit=20, **filters):
            created = message.date_created
            if message.sid in exclude or (created is not None and created < since):
                continue
            if (message.body or "").strip() == body.strip():
                return str(message.sid)
        return None

    def _failure(self, error: TwilioRestException) -> SendFailed:
        label = f"twilio {error.status} {error.code or ''}".strip()
        if error.status == 429:
            after = getattr(self.http.local, "retry_after", None)
            return SendFailed(label, after=float(after) if after and after.isdigit() else None)
        if error.code == UNSUBSCRIBED:
            return SendFailed(label, retry=False, opted_out=True)
        if error.status >= 500:
            return SendFailed(label, unknown=True)  # a gateway error may follow an accepted send
        return SendFailed(label, retry=False)


def _body(text: str, choices: Sequence[dict[str, str]]) -> str:
    return render_sms(Reply(text, tuple(Choice(c["key"], c["label"]) for c in choices)))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_sender("sms", TwilioSender.from_app)
