"""The Telegram webhook and commands: secret token, updates from PTB objects, buttons, deep links,
media, duplicates and junk, with replies sent to a local Bot API stand-in."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from telegram import Chat, Voice

from bot.channels.telegram import parse
from bot.cli import cli
from bot.storage.db import transaction
from bot.storage.models import Contact, Message, OutboxMessage
from bot.worker import Worker
from tests.channels.conftest import (
    CHAT,
    PUBLIC,
    SECRET,
    provider_config,
    tg_button,
    tg_message,
    tg_post,
)
from tests.channels.standin import StandIn
from tests.conftest import make_test_app


def _sent(standin: StandIn) -> list[dict[str, object]]:
    return [c.params for c in standin.of("telegram", "sendMessage")]


def test_a_message_is_answered_through_the_bot_api(client: FlaskClient, standin: StandIn) -> None:
    response = tg_post(client, tg_message("hello"))
    assert response.status_code == 200
    sent = _sent(standin)
    assert sent, "no reply was sent"
    assert all(p["chat_id"] == str(CHAT.id) for p in sent)
    menus = [p for p in sent if "reply_markup" in p]
    if menus:
        buttons = menus[-1]["reply_markup"]["inline_keyboard"]  # type: ignore[index]
        assert all(len(row) == 1 and row[0]["callback_data"] for row in buttons)


def test_the_secret_token_is_required(db_url: str, standin: StandIn, client: FlaskClient) -> None:
    assert tg_post(client, tg_message("hello"), secret=None).status_code == 403
    assert tg_post(client, tg_message("hello"), secret="guess").status_code == 403
    config = {**provider_config(standin.url), "TELEGRAM_WEBHOOK_SECRET": ""}
    unset = make_test_app(db_url, **config)
    assert tg_post(unset.test_client(), tg_message("hello")).status_code == 503
    assert not _sent(standin)


def test_a_repeated_update_is_answered_once(
    app: Flask, client: FlaskClient, standin: StandIn
) -> None:
    update = tg_message("hello", update_id=777)
    tg_post(client, update)
    first = len(_sent(standin))
    assert tg_post(client, update).status_code == 200
    assert len(_sent(standin)) == first
    with transaction(app) as session:
        inbound = session.scalar(select(func.count()).where(Message.direction == "in"))
    assert inbound == 1


def test_a_button_press_is_that_choice_and_is_acknowledged(
    client: FlaskClient, standin: StandIn
) -> None:
    tg_post(client, tg_message("hello"))
    menus = [p for p in _sent(standin) if "reply_markup" in p]
    assert menus, "the first answer has no buttons"
    key = menus[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]  # type: ignore[index]
    before = len(_sent(standin))
    press = tg_button(key)
    response = tg_post(client, press)
    assert response.status_code == 200
    # The button's spinner is stopped by the webhook's response itself.
    assert response.get_json() == {
        "method": "answerCallbackQuery", "callback_query_id": press["callback_query"]["id"]
    }
    assert len(_sent(standin)) > before


def test_start_with_a_payload_passes_the_deep_link(app: Flask, client: FlaskClient) -> None:
    incoming = parse(tg_message("/start lang-my"))
    assert incoming is not None
    assert (incoming.text, incoming.payload) == ("/start", "lang-my")
    assert tg_post(client, tg_message("/start lang-my")).status_code == 200
    with transaction(app) as session:
        assert session.scalars(select(Contact)).one().lang == "my"


def test_commands_from_the_menu_read_as_words() -> None:
    menu = parse(tg_message("/menu@MekongHelpBot"))
    assert menu is not None and menu.text == "menu"


def test_a_voice_note_gets_the_text_only_notice(client: FlaskClient, standin: StandIn) -> None:
    voice = Voice(file_id="f1", file_unique_id="u1", duration=3)
    tg_post(client, tg_message(None, voice=voice))
    texts = [str(p["text"]) for p in _sent(standin)]
    assert any("only read text" in t for t in texts)


def test_junk_gets_a_4xx_and_other_updates_are_ignored(
    client: FlaskClient, standin: StandIn
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    post = client.post
    assert post("/webhooks/telegram", data=b"{not json", headers=headers).status_code == 400
    assert post("/webhooks/telegram", data=b"[1, 2]", headers=headers).status_code == 400
    assert tg_post(client, {"message": {"text": "hi"}}).status_code == 400
    assert tg_post(client, {"update_id": "x"}).status_code == 400
    assert tg_post(client, {"update_id": 1, "message": {"text": "no date"}}).status_code == 400
    assert tg_post(client, {"update_id": 2, "message": "text"}).status_code == 400
    huge = {"update_id": 3, "message": {"text": "x" * 400_000}}
    assert tg_post(client, huge).status_code == 413
    group = Chat(id=-100123, type=Chat.SUPERGROUP)
    assert tg_post(client, tg_message("hello", chat=group)).status_code == 200
    assert tg_post(client, {"update_id": 4, "edited_message": None}).status_code == 200
    assert not _sent(standin)


def test_replies_wait_in_the_outbox_while_telegram_is_down(
    app: Flask, client: FlaskClient, standin: StandIn
) -> None:
    standin.fail("telegram", "sendMessage", 502, times=10)
    assert tg_post(client, tg_message("hello")).status_code == 200
    with transaction(app) as session:
        rows = session.scalars(select(OutboxMessage)).all()
        assert rows and all(r.status == "queued" for r in rows)
        session.execute(OutboxMessage.__table__.update().values(next_try_at=rows[0].created_at))
    standin.rules.clear()
    Worker(app, limits=False).tick()
    with transaction(app) as session:
        statuses = {r.status for r in session.scalars(select(OutboxMessage))}
    assert statuses == {"sent"}


def test_too_many_requests_backs_off(app: Flask, client: FlaskClient, standin: StandIn) -> None:
    standin.fail("telegram", "sendMessage", 429, times=1, retry_after=40)
    tg_post(client, tg_message("hello"))
    with transaction(app) as session:
        first = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
        assert first is not None and first.status == "queued"
        assert (first.next_try_at - first.created_at).total_seconds() >= 39


def test_set_webhook_registers_url_secret_and_updates(
    runner: FlaskCliRunner, standin: StandIn
) -> None:
    result = runner.invoke(cli, ["telegram", "set-webhook", "--drop-pending-updates"])
    assert result.exit_code == 0, result.output
    (call,) = standin.of("telegram", "setWebhook")
    assert call.params["url"] == f"{PUBLIC}/webhooks/telegram"
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query"]
    assert call.params["drop_pending_updates"] is True


def test_poll_answers_updates_once(runner: FlaskCliRunner, standin: StandIn) -> None:
    standin.updates = [tg_message("hello", update_id=9001)]
    poll = ["telegram", "poll", "--once", "--timeout", "0"]
    assert runner.invoke(cli, poll).exit_code == 0
    assert standin.of("telegram", "deleteWebhook")
    answered = len(_sent(standin))
    assert answered
    # A second poller that starts from scratch sees the same update again: no second answer.
    assert runner.invoke(cli, poll).exit_code == 0
    assert len(_sent(standin)) == answered
