"""Admin fixtures: one account per role, two partner organisations, cases, and logging in."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from admin.accounts import create_user
from bot.privacy.vault import Vault
from bot.storage.db import transaction
from bot.storage.models import Case, Contact, ContactAddress, Partner, utcnow

PASSWORD = "a long enough password"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_codes = itertools.count(1000)


@dataclass(frozen=True)
class Accounts:
    """Emails by role ("partner" is Alpha Aid's, "partner_b" Beta Rights'), the partners' ids."""

    emails: dict[str, str]
    partner_a: int
    partner_b: int


@pytest.fixture
def accounts(app: Flask) -> Accounts:
    with transaction(app) as db:
        a = Partner(name="Alpha Aid", countries=["TH"], categories=[], languages=["my"])
        b = Partner(name="Beta Rights", countries=["MY"], categories=[], languages=["km"])
        db.add_all([a, b])
        db.flush()
        emails = {
            "admin": "admin@example.org",
            "editor": "editor@example.org",
            "analyst": "analyst@example.org",
            "partner": "alpha@example.org",
            "partner_b": "beta@example.org",
        }
        for role in ("admin", "editor", "analyst"):
            create_user(db, emails[role], PASSWORD, role)
        create_user(db, emails["partner"], PASSWORD, "partner", a.id)
        create_user(db, emails["partner_b"], PASSWORD, "partner", b.id)
        return Accounts(emails, a.id, b.id)


def make_case(
    app: Flask, partner_id: int | None, *, reachable: bool = False, **fields: Any
) -> str:
    """A case owned by `partner_id`; with `reachable`, a consenting reporter with an address."""
    code = fields.pop("code", f"R-T{next(_codes)}")
    now = utcnow()
    values: dict[str, Any] = {
        "status": "assigned", "category": "unpaid-wages", "country": "TH", "lang": "my",
        "channel": "sms", "urgent": False, "description": f"what happened {code}",
        "province": "Mae Sot", "created_at": now - timedelta(hours=1), "assigned_at": now,
    }  # fmt: skip
    values.update(fields)
    with transaction(app) as db:
        contact_id = None
        if reachable:
            contact = Contact(pseudonym=f"p-{code}", channel=values["channel"], lang="my")
            db.add(contact)
            db.flush()
            db.add(ContactAddress(contact_id=contact.id,
                                  sealed=Vault(app.config["VAULT_KEY"]).seal("+66800000001")))
            contact_id = contact.id
        db.add(Case(code=code, partner_id=partner_id, contact_id=contact_id,
                    consent=reachable, **values))
    return code


def csrf_token(client: FlaskClient, path: str = "/admin/login") -> str:
    """A CSRF token for the client's current session, read from a page's form."""
    page = client.get(path)
    found = CSRF.search(page.get_data(as_text=True))
    assert found, f"no csrf token on {path} ({page.status_code})"
    return found.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_token(client)
    response = client.post(
        "/admin/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def logged_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    login(client, email)
    return client


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None,
         **kw: Any) -> TestResponse:
    """A POST with a valid CSRF token, as the panel's own forms send it."""
    token = csrf_token(client)
    return client.post(path, data={**(data or {}), "csrf_token": token}, **kw)
