"""A worker killed with SIGKILL in the middle of a send loses nothing, and SMS is not sent twice.

`helpline worker` runs as a real subprocess against the test database (an SQLite file, or
PostgreSQL); the stand-in takes the first message and then stalls its answer, the worker is
killed while it waits, and a new worker finishes the queue.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from bot.core.messages import Reply
from bot.outbox import enqueue
from bot.service import get_helpline
from bot.storage.db import get_engine, transaction
from bot.storage.models import Contact, OutboxMessage
from tests.channels.conftest import BOT_TOKEN, OUR_NUMBER, PUBLIC, SECRET, TOKEN, provider_config
from tests.channels.standin import StandIn
from tests.conftest import TEST_KEYS, make_test_app

ROOT = Path(__file__).resolve().parents[2]
HELPLINE = Path(sys.executable).parent / "helpline"
SEND = {"sms": ("twilio", "Messages.create"), "telegram": ("telegram", "sendMessage")}


def _env(db_url: str, standin: StandIn) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELPLINE_", "TWILIO_"))}
    env.update({f"HELPLINE_{k}": v for k, v in TEST_KEYS.items()})
    env.update(
        HELPLINE_DATABASE_URL=db_url,
        HELPLINE_PUBLIC_URL=PUBLIC,
        HELPLINE_OUTBOX_LEASE_SECONDS="2",
        HELPLINE_TWILIO_API_BASE=standin.url,
        HELPLINE_TELEGRAM_API_BASE=standin.url,
        HELPLINE_TWILIO_TIMEOUT="30",
        HELPLINE_TELEGRAM_TIMEOUT="30",
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_FROM=OUR_NUMBER,
        TELEGRAM_BOT_TOKEN=BOT_TOKEN,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
    )
    return env


def _start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen(
            [str(HELPLINE), "worker", "--poll", "0.2"],
            cwd=ROOT, env=env, stdout=sink, stderr=sink,
        )  # fmt: skip


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _fill(db_url: str, standin: StandIn, channel: str, people: int, each: int) -> list[int]:
    app = make_test_app(db_url, **provider_config(standin.url))
    helpline = get_helpline(app)
    ids: list[int] = []
    with transaction(app) as session:
        for n in range(people):
            address = f"+6681{n:07d}" if channel == "sms" else str(700000 + n)
            contact = Contact(pseudonym=helpline.pseudonym(channel, address), channel=channel)
            session.add(contact)
            session.flush()
            replies = [Reply(f"msg-{n}-{k}") for k in range(each)]
            rows = enqueue(session, contact, channel, replies, address=address,
                           vault=helpline.vault)  # fmt: skip
            ids.extend(r.id for r in rows)
    get_engine(app).dispose()
    return ids


def _statuses(db_url: str, standin: StandIn) -> Counter[str]:
    app = make_test_app(db_url, **provider_config(standin.url))
    with transaction(app) as session:
        found = Counter(session.scalars(select(OutboxMessage.status)))
    get_engine(app).dispose()
    return found


@pytest.mark.slow
@pytest.mark.parametrize("channel", ["sms", "telegram"])
def test_sigkill_mid_send_loses_nothing(
    db_url: str, standin: StandIn, channel: str, tmp_path: Path
) -> None:
    api, method = SEND[channel]
    ids = _fill(db_url, standin, channel, people=6, each=2)
    standin.stall(api, method, 15)  # the provider takes the first message, then goes quiet
    env = _env(db_url, standin)
    log = tmp_path / "worker.log"
    first = _start(env, log)
    try:
        _wait(lambda: len(standin.of(api, method)) >= 1, 30, "the first send")
        time.sleep(0.3)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    second = _start(env, log)
    try:
        _wait(lambda: _statuses(db_url, standin)["sent"] == len(ids), 90, "every row sent")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
    calls = standin.of(api, method)
    if channel == "sms":
        # The idempotency marker Twilio holds for us: the outbox row id in the status callback.
        markers = Counter(
            int(parse_qs(urlparse(c.params["StatusCallback"]).query)["o"][0]) for c in calls
        )
        assert markers == Counter(ids), "an SMS was lost or sent twice"
        assert standin.of("twilio", "Messages.list"), "the uncertain row was not looked up"
    else:
        texts = Counter(str(c.params["text"]) for c in calls)
        assert set(texts) == {f"msg-{n}-{k}" for n in range(6) for k in range(2)}
        # Telegram cannot tell whether the cut-off request arrived: that one is sent again.
        assert sum(texts.values()) - len(texts) <= 1
    # The workers' own logs name rows, never people or what they were told.
    logged = log.read_text()
    assert "worker started" in logged
    assert "msg-" not in logged and "+6681" not in logged and "70000" not in logged
