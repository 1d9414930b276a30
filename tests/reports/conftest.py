"""Report fixtures: a local SMTP server (aiosmtpd), a local webhook receiver, an app pointed at
both, partner organisations, and a helper that files a report as a person types it."""

from __future__ import annotations

import itertools
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message as EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from bot.core.shape import render_sms
from bot.reports.partners import add_partner, add_rule
from bot.service import get_helpline
from bot.storage.db import get_engine, transaction
from bot.storage.models import Case
from tests.conftest import make_test_app

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PUBLIC = "https://helpline.example.org"
ADMIN = "duty-admin@example.org"
HOOK_SECRET = "partner-webhook-secret"
_keys = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    """What the local SMTP server received."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content)
        message["X-Rcpt"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["X-Rcpt"]]


@pytest.fixture
def smtp() -> Iterator[tuple[str, Mailbox]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", box
    controller.stop()


@dataclass
class Hook:
    """One request the webhook receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class HookServer:
    """A partner's case-management system on 127.0.0.1: records requests, answers `status`."""

    def __init__(self) -> None:
        self.requests: list[Hook] = []
        self.status = 200
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.requests.append(Hook(self.path, dict(self.headers), body))
                self.send_response(server.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def hooks() -> Iterator[HookServer]:
    server = HookServer()
    yield server
    server.stop()


@pytest.fixture
def app(db_url: str, smtp: tuple[str, Mailbox]) -> Iterator[Flask]:
    """The helpline with notices going to the local SMTP server."""
    app = make_test_app(
        db_url,
        SMTP_URL=smtp[0],
        PUBLIC_URL=PUBLIC,
        ADMIN_EMAILS=ADMIN,
        MAIL_FROM="helpline@example.org",
    )
    yield app
    get_engine(app).dispose()


@pytest.fixture
def mailbox(smtp: tuple[str, Mailbox]) -> Mailbox:
    return smtp[1]


@dataclass(frozen=True)
class Partners:
    """Ids of the partners every report test starts with."""

    union: int
    children: int
    ngo: int
    fallback: int
    police: int


@pytest.fixture
def partners(app: Flask, hooks: HookServer) -> Partners:
    """A Thai labour union, a child-protection NGO, a general NGO with a webhook, a fallback and
    a police unit (which must never be chosen automatically)."""
    vault = get_helpline(app).vault
    with transaction(app) as session:
        union, _ = add_partner(
            session,
            "test",
            vault,
            name="Thai Labour Union",
            kind="union",
            countries=["TH"],
            services=["legal-aid", "wage-claims"],
            email="cases@union.example.org",
        )
        children, _ = add_partner(
            session,
            "test",
            vault,
            name="Child Safe",
            kind="child-protection",
            countries=["TH", "MM"],
            target_groups=["children"],
            email="intake@childsafe.example.org",
        )
        ngo, _ = add_partner(
            session,
            "test",
            vault,
            name="Mekong Aid",
            kind="ngo",
            countries=["TH"],
            languages=["my", "en"],
            on_call=True,
            email="duty@mekongaid.example.org",
            webhook_url=hooks.url + "/cases",
            webhook_secret=HOOK_SECRET,
        )
        fallback, _ = add_partner(
            session,
            "test",
            vault,
            name="Regional Desk",
            fallback=True,
            email="desk@regional.example.org",
        )
        police, _ = add_partner(
            session,
            "test",
            vault,
            name="Police Unit",
            kind="police",
            countries=["TH"],
            email="police@example.org",
        )
        add_rule(
            session,
            "test",
            ngo,
            countries=["TH"],
            categories=[
                "forced-labour",
                "abuse-violence",
                "document-confiscation",
                "sexual-exploitation",
            ],
        )
        return Partners(union.id, children.id, ngo.id, fallback.id, police.id)


def say(app: Flask, channel: str, address: str, text: str, at: datetime) -> list[str]:
    """One message from a person; the replies as they read them. Keys hold no address."""
    received = get_helpline(app).receive(
        channel, address, text, key=f"key-{next(_keys)}", at=at, queue=channel == "telegram"
    )
    return [render_sms(r) for r in received.replies]


def converse(
    app: Flask, channel: str, address: str, lines: list[str], at: datetime = START
) -> list[list[str]]:
    """A conversation one minute a line; every reply of every line."""
    return [
        say(app, channel, address, line, at + timedelta(minutes=i)) for i, line in enumerate(lines)
    ]


# hello, English, Thailand, "in trouble", "report" - then the report's own steps.
TO_REPORT = ["hello", "7", "1", "4", "2"]


def report_lines(
    *,
    category: str = "4",
    info: bool = False,
    danger: str = "1",
    whom: str = "1",
    country: str = "1",
    province: str = "Mae Sot",
    people: str = "1",
    age: str = "2",
    consent: str = "1",
    text: str = "The boss has not paid us for two months.",
) -> list[str]:
    """The answers to every report step, as numbers and words."""
    return [
        *TO_REPORT,
        category,
        "2" if info else "1",
        danger,
        whom,
        country,
        province,
        people,
        age,
        consent,
        text,
    ]


def file_report(
    app: Flask, channel: str, address: str, at: datetime = START, **answers: Any
) -> tuple[Case, list[list[str]]]:
    """Files a report through the service and returns the case and the conversation."""
    replies = converse(app, channel, address, report_lines(**answers), at)
    receipt = next(r for r in replies[-1] if "code is " in r)
    code = receipt.split("code is ")[1].split(".")[0]
    with transaction(app) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        session.expunge(case)
    return case, replies
