"""Admin fixtures: one account per role, two partner organisations, and logging in with CSRF."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from admin.accounts import create_user
from bot.storage.db import transaction
from bot.storage.models import Partner

PASSWORD = "a long enough password"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass(frozen=True)
class Accounts:
    """Emails by role, and the two partner organisations' ids."""

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
        create_user(db, emails["admin"], PASSWORD, "admin")
        create_user(db, emails["editor"], PASSWORD, "editor")
        create_user(db, emails["analyst"], PASSWORD, "analyst")
        create_user(db, emails["partner"], PASSWORD, "partner", a.id)
        create_user(db, emails["partner_b"], PASSWORD, "partner", b.id)
        return Accounts(emails, a.id, b.id)


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


def post(client: FlaskClient, path: str, data: dict[str, object] | None = None, **kw: object):  # type: ignore[no-untyped-def]
    """A POST with a valid CSRF token, as a browser would send it from the panel."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, "/admin/account")}, **kw)
