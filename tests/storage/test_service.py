"""The conversation service: state is stored (not in memory), per person, and never by address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import inspect, select, text

from bot.core.shape import render_sms
from bot.service import get_helpline
from bot.storage.db import get_engine, transaction
from bot.storage.models import Contact, Message
from tests.conftest import make_test_app

PHONE = "+66 81 234 5678"
START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def say(app: Flask, text_: str, who: str = PHONE, minute: int = 0, channel: str = "sms") -> str:
    key = f"{channel}-{abs(hash((who, minute, text_)))}"
    received = get_helpline(app).receive(
        channel, who, text_, key=key, at=START + timedelta(minutes=minute)
    )
    return "\n\n".join(render_sms(r) for r in received.replies)


def test_state_survives_a_restart(app: Flask, db_url: str) -> None:
    say(app, "hello, I need information", minute=0)
    say(app, "1", minute=1)  # Thailand
    restarted = make_test_app(db_url)
    assert say(restarted, "3", minute=2).startswith("At work: choose a topic.")
    with transaction(restarted) as session:
        contact = session.scalars(select(Contact)).one()
        assert contact.country == "TH"
        assert contact.conversation is not None
        assert contact.conversation.state["flow"] == "guidance"


def test_two_people_never_share_state(app: Flask) -> None:
    say(app, "hello, I need information", who="+66810000001", minute=0)
    say(app, "2", who="+66810000001", minute=1)  # Malaysia
    say(app, "xin chào", who="+66810000002", minute=0)
    say(app, "1", who="+66810000002", minute=1)  # Thailand
    with transaction(app) as session:
        contacts = {c.lang: c.country for c in session.scalars(select(Contact))}
    assert contacts == {"en": "MY", "vi": "TH"}


def test_a_retried_message_is_answered_once(app: Flask) -> None:
    helpline = get_helpline(app)
    first = helpline.receive("sms", PHONE, "hello", key="SM1", at=START)
    again = helpline.receive("sms", PHONE, "hello", key="SM1", at=START)
    assert first.replies and not first.duplicate
    assert again.duplicate and not again.replies
    with transaction(app) as session:
        inbound = session.scalars(select(Message).where(Message.direction == "in")).all()
    assert len(inbound) == 1


def test_no_table_holds_a_raw_address(app: Flask) -> None:
    telegram_id = "918273645"
    lines = ["hello, I need information", "1", "6", "my boss keeps my passport", "help"]
    for i, line in enumerate(lines):
        say(app, line, minute=i)
        say(app, line, who=telegram_id, minute=i, channel="telegram")
    engine = get_engine(app)
    digits = PHONE.replace(" ", "").lstrip("+")
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                dump = " ".join(str(v) for v in row)
                assert digits not in dump.replace(" ", ""), table
                assert telegram_id not in dump, table
