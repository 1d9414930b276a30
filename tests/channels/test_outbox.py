"""The outbox and the worker: claims, retries, opt-out, ordering, provider look-ups, pending
answers and delivery status callbacks, against the Twilio/Telegram stand-in."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from bot.core.messages import Choice, Reply
from bot.outbox import claim, enqueue, stats
from bot.service import get_helpline
from bot.storage.db import transaction
from bot.storage.models import Contact, Message, OutboxMessage, PendingInbound, utcnow
from bot.worker import Worker
from tests.channels.conftest import OUR_NUMBER, PUBLIC, signed_post, sms
from tests.channels.standin import StandIn

PHONE = "+66812345678"


def _contact(app: Flask, address: str = PHONE, channel: str = "sms", **kw: object) -> int:
    helpline = get_helpline(app)
    with transaction(app) as session:
        contact = Contact(pseudonym=helpline.pseudonym(channel, address), channel=channel, **kw)
        session.add(contact)
        session.flush()
        return contact.id


def _queue(app: Flask, contact_id: int, *texts: str, address: str = PHONE, channel: str = "sms",
           ) -> list[int]:  # fmt: skip
    with transaction(app) as session:
        contact = session.get(Contact, contact_id)
        replies = [Reply(t) for t in texts]
        vault = get_helpline(app).vault
        rows = enqueue(session, contact, channel, replies, address=address, vault=vault)
        return [r.id for r in rows]


def _rows(app: Flask) -> list[OutboxMessage]:
    with transaction(app) as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _due_now(app: Flask) -> None:
    """Skips the back-off: every queued row is due."""
    with transaction(app) as session:
        session.execute(update(OutboxMessage).values(next_try_at=utcnow() - timedelta(seconds=1)))


def test_a_queued_sms_goes_out_through_the_twilio_api(app: Flask, standin: StandIn) -> None:
    contact = _contact(app)
    (row_id,) = _queue(app, contact, "Your case R-7K3Q has an answer.")
    assert Worker(app, limits=False).tick() == 1
    (call,) = standin.of("twilio", "Messages.create")
    assert call.params["To"] == PHONE and call.params["From"] == OUR_NUMBER
    assert call.params["StatusCallback"] == f"{PUBLIC}/webhooks/twilio/status?o={row_id}"
    (row,) = _rows(app)
    assert row.status == "sent" and row.provider_id and row.address_sealed is None
    with transaction(app) as session:
        logged = session.get(Message, row.message_id)
        assert logged is not None and logged.provider_id == row.provider_id
        assert logged.direction == "out" and logged.delivery_status == "queued"


def test_choices_become_numbered_lines_and_buttons(app: Flask, standin: StandIn) -> None:
    reply = Reply("Are you safe?", (Choice("1", "Yes"), Choice("2", "No")))
    vault = get_helpline(app).vault
    sms_id, tg_id = _contact(app), _contact(app, "4242", "telegram")
    with transaction(app) as session:
        sms_contact = session.get(Contact, sms_id)
        enqueue(session, sms_contact, "sms", [reply], address=PHONE, vault=vault)
        tg_contact = session.get(Contact, tg_id)
        enqueue(session, tg_contact, "telegram", [reply], address="4242", vault=vault)
    Worker(app, limits=False).tick()
    body = standin.of("twilio", "Messages.create")[0].params["Body"]
    assert body == "Are you safe?\n1 Yes\n2 No"
    keyboard = standin.of("telegram", "sendMessage")[0].params["reply_markup"]
    assert keyboard == {"inline_keyboard": [[{"text": "Yes", "callback_data": "1"}],
                                            [{"text": "No", "callback_data": "2"}]]}  # fmt: skip


def test_an_opted_out_contact_receives_nothing(
    app: Flask, client: FlaskClient, standin: StandIn
) -> None:
    sms(client, "hello", sender=PHONE)
    with transaction(app) as session:
        contact = session.scalars(select(Contact)).one()
        follow_up = [Reply("A follow-up: are you safe?")]
        enqueue(session, contact, "sms", follow_up, address=PHONE, vault=get_helpline(app).vault)
    sms(client, "STOP", sender=PHONE)
    Worker(app, limits=False).tick()
    assert not standin.of("twilio", "Messages.create")
    assert [r.status for r in _rows(app)] == ["cancelled"]


def test_a_pending_stop_still_gets_its_confirmation(app: Flask, standin: StandIn) -> None:
    helpline = get_helpline(app)
    with transaction(app) as session:
        session.add(PendingInbound(
            key="twilio:SMpending", channel="sms", address_sealed=helpline.vault.seal(PHONE),
            text_sealed=helpline.vault.seal("STOP"), next_try_at=utcnow(),
        ))  # fmt: skip
    Worker(app, limits=False).tick()
    (call,) = standin.of("twilio", "Messages.create")
    assert "no more messages" in call.params["Body"]
    with transaction(app) as session:
        assert session.scalars(select(Contact)).one().opted_out
        assert session.scalar(select(PendingInbound)) is None


def test_a_pending_message_is_retried_with_back_off_and_never_dropped(
    app: Flask, standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    helpline = get_helpline(app)
    with transaction(app) as session:
        session.add(PendingInbound(
            key="twilio:SMlater", channel="sms", address_sealed=helpline.vault.seal(PHONE),
            text_sealed=helpline.vault.seal("hello"), next_try_at=utcnow(),
        ))  # fmt: skip
    real = type(helpline)._answer

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("still broken")

    monkeypatch.setattr(type(helpline), "_answer", broken)
    Worker(app, limits=False).tick()
    with transaction(app) as session:
        pending = session.scalars(select(PendingInbound)).one()
        assert pending.attempts == 1 and pending.last_error == "RuntimeError"
        assert pending.next_try_at.replace(tzinfo=None) > utcnow().replace(tzinfo=None)
        pending.next_try_at = utcnow() - timedelta(seconds=1)
    monkeypatch.setattr(type(helpline), "_answer", real)
    Worker(app, limits=False).tick()
    assert standin.of("twilio", "Messages.create")
    with transaction(app) as session:
        assert session.scalar(select(PendingInbound)) is None


def test_rows_to_one_person_leave_in_order(app: Flask, standin: StandIn) -> None:
    contact = _contact(app)
    _queue(app, contact, "page 1", "page 2", "page 3")
    standin.fail("twilio", "Messages.create", 503, times=1)
    Worker(app, limits=False).tick()
    assert [r.status for r in _rows(app)] == ["queued", "queued", "queued"]
    for _ in range(3):
        _due_now(app)
        Worker(app, limits=False).tick()
    bodies = [c.params["Body"] for c in standin.of("twilio", "Messages.create")]
    assert bodies[-3:] == ["page 1", "page 2", "page 3"]


def test_twilio_429_waits_for_retry_after(app: Flask, standin: StandIn) -> None:
    _queue(app, _contact(app), "hello")
    standin.fail("twilio", "Messages.create", 429, retry_after=120)
    worker = Worker(app, limits=False)
    worker.tick()
    (row,) = _rows(app)
    assert row.status == "queued" and row.last_error == "twilio 429 20429"
    assert (row.next_try_at - row.created_at).total_seconds() >= 119
    assert worker.paused["sms"] > 0


def test_a_recipient_who_unsubscribed_at_the_carrier_is_marked_opted_out(
    app: Flask, standin: StandIn
) -> None:
    contact = _contact(app)
    _queue(app, contact, "hello", "and more")
    standin.fail("twilio", "Messages.create", 400, code=21610)
    Worker(app, limits=False).tick()
    assert _rows(app)[0].status == "failed"
    with transaction(app) as session:
        assert session.get(Contact, contact).opted_out  # type: ignore[union-attr]
    Worker(app, limits=False).tick()
    assert [r.status for r in _rows(app)] == ["failed", "cancelled"]


def test_an_unanswered_send_is_looked_up_before_it_is_sent_again(
    db_url: str, standin: StandIn
) -> None:
    from tests.channels.conftest import provider_config
    from tests.conftest import make_test_app

    app = make_test_app(db_url, **provider_config(standin.url), TWILIO_TIMEOUT=0.5)
    _queue(app, _contact(app), "Are you safe?")
    standin.stall("twilio", "Messages.create", 1.5)  # Twilio takes it, the answer comes too late
    Worker(app, limits=False).tick()
    (row,) = _rows(app)
    assert row.status == "queued" and row.uncertain
    _due_now(app)
    Worker(app, limits=False).tick()
    assert len(standin.of("twilio", "Messages.create")) == 1
    assert len(standin.of("twilio", "Messages.list")) == 1
    (row,) = _rows(app)
    assert row.status == "sent" and row.provider_id == standin.sms[0]["sid"]


def test_an_expired_lease_comes_back_uncertain(app: Flask, standin: StandIn) -> None:
    _queue(app, _contact(app), "hello")
    with transaction(app) as session:
        assert claim(session, "dead-worker", lease=timedelta(seconds=5))
    Worker(app, limits=False).tick()
    assert not standin.of("twilio", "Messages.create")  # still leased by the dead worker
    with transaction(app) as session:
        session.execute(update(OutboxMessage).values(locked_until=utcnow() - timedelta(seconds=1)))
    Worker(app, limits=False).tick()
    # Nothing at Twilio: the dead worker never got it out, so it is sent now, once.
    assert len(standin.of("twilio", "Messages.list")) == 1
    assert len(standin.of("twilio", "Messages.create")) == 1
    assert _rows(app)[0].status == "sent"


def test_concurrent_workers_send_each_row_once(app: Flask, standin: StandIn) -> None:
    for n in range(12):
        _queue(app, _contact(app, f"+6681000{n:04d}"), f"note {n}", address=f"+6681000{n:04d}")

    def work() -> None:
        worker = Worker(app, batch=2, limits=False)
        while worker.tick():
            pass

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bodies = sorted(c.params["Body"] for c in standin.of("twilio", "Messages.create"))
    assert bodies == sorted(f"note {n}" for n in range(12))


def test_status_callbacks_update_the_log_and_the_outbox(
    app: Flask, client: FlaskClient, standin: StandIn
) -> None:
    (row_id,) = _queue(app, _contact(app), "hello")
    Worker(app, limits=False).tick()
    sid = _rows(app)[0].provider_id
    assert sid
    path = "/webhooks/twilio/status"
    form = {"MessageSid": sid, "MessageStatus": "delivered", "To": PHONE}
    assert signed_post(client, path, form, query=f"o={row_id}").status_code == 204
    late = {**form, "MessageStatus": "sent"}  # callbacks can arrive out of order
    assert signed_post(client, path, late, query=f"o={row_id}").status_code == 204
    assert signed_post(client, path, form, token="forged", query=f"o={row_id}").status_code == 403
    assert signed_post(client, path, {"MessageSid": sid}).status_code == 400
    (row,) = _rows(app)
    assert row.delivery_status == "delivered"
    with transaction(app) as session:
        assert session.get(Message, row.message_id).delivery_status == "delivered"  # type: ignore[union-attr]


def test_a_callback_settles_a_row_whose_worker_died(
    app: Flask, client: FlaskClient, standin: StandIn
) -> None:
    (row_id,) = _queue(app, _contact(app), "hello")
    with transaction(app) as session:
        claim(session, "dead-worker", lease=timedelta(seconds=60))
    form = {"MessageSid": "SM" + "f" * 32, "MessageStatus": "sent"}
    signed_post(client, "/webhooks/twilio/status", form, query=f"o={row_id}")
    (row,) = _rows(app)
    assert row.status == "sent" and row.provider_id == "SM" + "f" * 32


def test_stats_show_depth_age_and_pending(app: Flask) -> None:
    _queue(app, _contact(app), "a", "b")
    with transaction(app) as session:
        figures = stats(session)
    assert figures["outbox"]["queued"] == 2
    assert figures["pending_inbound"] == 0
    assert figures["outbox_oldest_queued_seconds"] >= 0
