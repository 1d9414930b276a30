"""The Twilio SMS webhook: signatures, TwiML replies, duplicates, opt-out and junk input."""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from bot.storage.db import transaction
from bot.storage.models import Contact, Message, PendingInbound
from tests.channels.conftest import PUBLIC, new_sid, provider_config, signed_post, sms
from tests.channels.standin import StandIn
from tests.conftest import make_test_app


def _count(app: Flask, *where: object) -> int:
    with transaction(app) as session:
        return int(session.scalar(select(func.count(Message.id)).where(*where)) or 0)


def test_a_signed_sms_is_answered_in_twiml(client: FlaskClient) -> None:
    response = sms(client, "hello")
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    xml = response.get_data(as_text=True)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?><Response><Message>')
    assert xml.count("<Message>") >= 1


def test_forged_or_unsigned_requests_are_refused(app: Flask, client: FlaskClient) -> None:
    form = {"MessageSid": new_sid(), "From": "+66812345678", "Body": "hello"}
    wrong = signed_post(client, "/webhooks/twilio/sms", form, token="not-the-token")
    assert wrong.status_code == 403
    assert client.post("/webhooks/twilio/sms", data=form).status_code == 403
    # A valid signature of other parameters does not cover these.
    good = RequestValidator("twilio-auth-token").compute_signature(
        f"{PUBLIC}/webhooks/twilio/sms", {**form, "Body": "something else"}
    )
    forged = client.post("/webhooks/twilio/sms", data=form, headers={"X-Twilio-Signature": good})
    assert forged.status_code == 403
    assert _count(app) == 0


def test_without_an_auth_token_the_webhook_refuses_everything(
    db_url: str, standin: StandIn
) -> None:
    app = make_test_app(db_url, **{**provider_config(standin.url), "TWILIO_AUTH_TOKEN": None})
    response = sms(app.test_client(), "hello")
    assert response.status_code == 503


def test_without_a_public_url_the_request_url_is_signed(db_url: str, standin: StandIn) -> None:
    app = make_test_app(db_url, **{**provider_config(standin.url), "PUBLIC_URL": None})
    form = {"MessageSid": new_sid(), "From": "+66812345678", "Body": "hello"}
    signature = RequestValidator("twilio-auth-token").compute_signature(
        "http://localhost/webhooks/twilio/sms", form
    )
    response = app.test_client().post(
        "/webhooks/twilio/sms", data=form, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200


def test_a_webhook_rule_signature_with_a_shared_key(db_url: str, standin: StandIn) -> None:
    config = {**provider_config(standin.url), "TWILIO_WEBHOOK_SHARED_KEY": "shared-secret"}
    client = make_test_app(db_url, **config).test_client()
    form = {"MessageSid": new_sid(), "From": "+66812345678", "Body": "hello"}
    text = f"{PUBLIC}/webhooks/twilio/sms" + "".join(k + form[k] for k in sorted(form))
    digest = hmac.new(b"shared-secret", text.encode(), hashlib.sha256).digest()
    headers = {
        "X-Twilio-Signature": base64.b64encode(digest).decode(),
        "X-Twilio-Webhooks-Signature-Settings": "key=SK123,algorithm=HMAC_SHA256",
    }
    assert client.post("/webhooks/twilio/sms", data=form, headers=headers).status_code == 200
    unknown = {**headers, "X-Twilio-Webhooks-Signature-Settings": "algorithm=HMAC_MD5"}
    assert client.post("/webhooks/twilio/sms", data=form, headers=unknown).status_code == 403


def test_a_retried_message_sid_gets_one_reply_and_one_stored_message(
    app: Flask, client: FlaskClient
) -> None:
    sid = new_sid()
    first = sms(client, "hello", sid=sid)
    again = sms(client, "hello", sid=sid)
    assert "<Message>" in first.get_data(as_text=True)
    assert again.status_code == 200
    assert again.get_data(as_text=True).endswith("<Response />")
    assert _count(app, Message.direction == "in") == 1


def test_junk_gets_a_4xx_never_a_5xx(client: FlaskClient) -> None:
    path = "/webhooks/twilio/sms"
    full = {"MessageSid": new_sid(), "From": "+66812345678", "Body": "hi"}
    for missing in ("MessageSid", "From", "Body"):
        form = {k: v for k, v in full.items() if k != missing}
        assert signed_post(client, path, form).status_code == 400, missing
    assert signed_post(client, path, {**full, "From": " "}).status_code == 400
    assert signed_post(client, path, {**full, "NumMedia": "lots"}).status_code == 400
    huge = signed_post(client, path, {**full, "Body": "x" * 200_000})
    assert huge.status_code == 413
    raw = client.post(path, data=b"\xff\xfe%%%", content_type="application/x-www-form-urlencoded")
    assert 400 <= raw.status_code < 500
    json_body = client.post(path, json={"From": "+1"}, headers={"X-Twilio-Signature": "x"})
    assert json_body.status_code == 403
    assert client.get(path).status_code == 405


def test_a_photo_gets_the_text_only_notice(client: FlaskClient) -> None:
    response = sms(client, "", NumMedia="1", MediaUrl0="https://api.twilio.com/x.jpg")
    assert response.status_code == 200
    assert "only read text" in response.get_data(as_text=True)


def _contact(app: Flask) -> Contact:
    with transaction(app) as session:
        return session.scalars(select(Contact)).one()


def test_stop_opts_out_and_nothing_more_is_answered(app: Flask, client: FlaskClient) -> None:
    sms(client, "hello")
    stopped = sms(client, "STOP")
    assert "no more messages" in stopped.get_data(as_text=True)
    assert _contact(app).opted_out
    after = sms(client, "hello again")
    assert after.get_data(as_text=True).endswith("<Response />")
    restarted = sms(client, "START")
    assert "<Message>" in restarted.get_data(as_text=True)
    assert not _contact(app).opted_out


def test_advanced_opt_out_types_are_honoured(app: Flask, client: FlaskClient) -> None:
    sms(client, "hello")
    # Twilio recognised the keyword, answered it and now blocks our messages: we stay quiet.
    stop = sms(client, "unsubscribe please", OptOutType="STOP")
    assert stop.get_data(as_text=True).endswith("<Response />")
    assert _contact(app).opted_out
    start = sms(client, "unstop", OptOutType="START")
    assert "<Message>" in start.get_data(as_text=True)
    assert not _contact(app).opted_out
    help_ = sms(client, "info", OptOutType="HELP")
    assert "<Message>" in help_.get_data(as_text=True)


def test_a_failed_answer_is_kept_sealed_for_the_worker(
    app: Flask, client: FlaskClient, monkeypatch: object
) -> None:
    from bot.service import Helpline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("content store down")

    monkeypatch.setattr(Helpline, "_answer", broken)  # type: ignore[attr-defined]
    response = sms(client, "my boss took my passport")
    assert response.status_code == 200
    assert response.get_data(as_text=True).endswith("<Response />")
    with transaction(app) as session:
        pending = session.scalars(select(PendingInbound)).one()
    assert "passport" not in pending.text_sealed
    assert "66812345678" not in pending.address_sealed
