"""Accounts: argon2 hashes, login, lockout, CSRF, cookies, logout, password change, first run."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from admin.accounts import LOCKOUT_FAILURES, authenticate, find_user
from admin.auth import setup_token, token_path
from bot.storage.db import transaction
from bot.storage.models import AdminUser, AuditEntry, utcnow
from tests.admin.conftest import PASSWORD, Accounts, csrf_token, logged_in, login, post


def _login(client, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/admin/login", data={"email": email, "password": password,
                                              "csrf_token": csrf_token(client)})


def test_passwords_are_stored_as_argon2id(app: Flask, accounts: Accounts) -> None:
    with transaction(app) as db:
        user = find_user(db, "ADMIN@example.org ")
        assert user is not None and user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_login_redirects_home_by_role(app: Flask, accounts: Accounts) -> None:
    homes = {"admin": "/admin/dashboard/", "analyst": "/admin/dashboard/",
             "editor": "/admin/content/", "partner": "/admin/cases/"}
    for role, home in homes.items():
        client = logged_in(app, accounts.emails[role])
        assert client.get("/admin/").location == home


def test_login_returns_to_the_page_asked_for_but_never_off_site(app: Flask,
                                                                 accounts: Accounts) -> None:
    client = app.test_client()
    assert client.get("/admin/audit/").location == "/admin/login?next=/admin/audit/"
    token = csrf_token(client)
    form = {"email": accounts.emails["admin"], "password": PASSWORD, "csrf_token": token}
    sent = client.post("/admin/login", data={**form, "next": "/admin/audit/"})
    assert sent.location == "/admin/audit/"
    client = app.test_client()
    token = csrf_token(client)
    form = {"email": accounts.emails["admin"], "password": PASSWORD, "csrf_token": token}
    sent = client.post("/admin/login", data={**form, "next": "//evil.example/"})
    assert sent.location == "/admin/"


def test_five_failures_lock_the_account_for_fifteen_minutes(app: Flask,
                                                             accounts: Accounts) -> None:
    client = app.test_client()
    email = accounts.emails["editor"]
    for _ in range(LOCKOUT_FAILURES):
        response = _login(client, email, "wrong password!!")
        assert response.status_code == 400
    assert "15 minutes" in response.get_data(as_text=True)
    # Even the right password is refused while locked.
    locked = _login(client, email, PASSWORD)
    assert locked.status_code == 400 and "15 minutes" in locked.get_data(as_text=True)
    with transaction(app) as db:
        user = find_user(db, email)
        assert user is not None and user.locked_until is not None
        left = user.locked_until.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
        assert timedelta(minutes=14) < left <= timedelta(minutes=15)
        # A quarter of an hour later the right password works again.
        later = utcnow() + timedelta(minutes=16)
        assert authenticate(db, email, PASSWORD, now=later).user is not None


def test_an_admin_can_unlock_an_account(app: Flask, accounts: Accounts) -> None:
    client = app.test_client()
    for _ in range(LOCKOUT_FAILURES):
        _login(client, accounts.emails["analyst"], "nope nope nope")
    admin = logged_in(app, accounts.emails["admin"])
    with transaction(app) as db:
        analyst_id = find_user(db, accounts.emails["analyst"]).id  # type: ignore[union-attr]
    assert post(admin, f"/admin/users/{analyst_id}/unlock").status_code == 303
    login(app.test_client(), accounts.emails["analyst"])


def test_unknown_email_and_wrong_password_look_the_same(app: Flask, accounts: Accounts) -> None:
    client = app.test_client()
    unknown = _login(client, "nobody@example.org", PASSWORD).get_data(as_text=True)
    wrong = _login(client, accounts.emails["admin"], "not the password").get_data(as_text=True)
    assert "Wrong email or password." in unknown and "Wrong email or password." in wrong


def test_every_form_needs_its_csrf_token(app: Flask, accounts: Accounts) -> None:
    client = app.test_client()
    refused = client.post("/admin/login", data={"email": accounts.emails["admin"],
                                                "password": PASSWORD})
    assert refused.status_code == 400
    client = logged_in(app, accounts.emails["admin"])
    for path in ("/admin/logout", "/admin/users/1/unlock", "/admin/account"):
        assert client.post(path, data={"pw-current": PASSWORD}).status_code == 400
        assert client.post(path, data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/admin/dashboard/").status_code == 200  # still logged in


def test_session_cookie_is_secure_httponly_and_lax(app: Flask, accounts: Accounts) -> None:
    client = app.test_client()
    token = csrf_token(client)
    response = client.post("/admin/login", data={"email": accounts.emails["admin"],
                                                 "password": PASSWORD, "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookie_security_can_be_relaxed_for_local_http(db_url: str) -> None:
    from tests.conftest import make_test_app

    app = make_test_app(db_url, SESSION_COOKIE_SECURE=False)
    response = app.test_client().get("/admin/login")
    assert "Secure" not in response.headers["Set-Cookie"]


def test_admin_pages_refuse_framing_and_caching(app: Flask, accounts: Accounts) -> None:
    response = logged_in(app, accounts.emails["admin"]).get("/admin/dashboard/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_logout_ends_the_session_and_a_stolen_cookie(app: Flask, accounts: Accounts) -> None:
    client = logged_in(app, accounts.emails["admin"])
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)  # type: ignore[union-attr]
    assert copy.get("/admin/dashboard/").status_code == 200
    assert post(client, "/admin/logout").status_code == 303
    assert client.get("/admin/dashboard/").status_code == 302
    assert copy.get("/admin/dashboard/").status_code == 302


def test_password_change_needs_the_current_one_and_ends_other_sessions(
    app: Flask, accounts: Accounts
) -> None:
    email = accounts.emails["editor"]
    client, other = logged_in(app, email), logged_in(app, email)
    wrong = post(client, "/admin/account", {"pw-current": "not it at all", "pw-password":
                                            "a brand new password", "pw-confirm":
                                            "a brand new password"})
    assert wrong.status_code == 400
    changed = post(client, "/admin/account", {"pw-current": PASSWORD, "pw-password":
                                              "a brand new password", "pw-confirm":
                                              "a brand new password"})
    assert changed.status_code == 303
    assert client.get("/admin/content/").status_code == 200  # this session continues
    assert other.get("/admin/content/").status_code == 302  # the other one ended
    assert _login(app.test_client(), email, PASSWORD).status_code == 400
    login(app.test_client(), email, "a brand new password")


def test_user_chooses_the_panel_language(app: Flask, accounts: Accounts) -> None:
    client = logged_in(app, accounts.emails["analyst"])
    assert post(client, "/admin/account", {"lang-lang": "th"}).status_code == 303
    page = client.get("/admin/dashboard/").get_data(as_text=True)
    assert '<html lang="th">' in page
    assert "แดชบอร์ด" in page  # "Dashboard" in Thai


def test_a_switched_off_account_cannot_log_in_and_loses_its_session(
    app: Flask, accounts: Accounts
) -> None:
    editor = logged_in(app, accounts.emails["editor"])
    admin = logged_in(app, accounts.emails["admin"])
    with transaction(app) as db:
        editor_id = find_user(db, accounts.emails["editor"]).id  # type: ignore[union-attr]
    assert post(admin, f"/admin/users/{editor_id}/active", {"active": "0"}).status_code == 303
    assert editor.get("/admin/content/").status_code == 302
    refused = _login(app.test_client(), accounts.emails["editor"], PASSWORD)
    assert "switched off" in refused.get_data(as_text=True)


def test_first_admin_through_setup_page_with_the_console_token(app: Flask) -> None:
    token_path(app).unlink(missing_ok=True)
    client = app.test_client()
    page = client.get("/admin/setup")
    assert page.status_code == 200
    form = {"email": "first@example.org", "password": "first admin password",
            "confirm": "first admin password", "csrf_token": csrf_token(client, "/admin/setup")}
    assert client.post("/admin/setup", data={**form, "token": "guess"}).status_code == 400
    done = client.post("/admin/setup", data={**form, "token": setup_token(app)})
    assert done.status_code == 303
    assert client.get("/admin/users/").status_code == 200
    assert not token_path(app).exists()
    assert app.test_client().get("/admin/setup").status_code == 404  # closed for good


def test_cli_adds_users_and_the_first_admin(app: Flask, runner: FlaskCliRunner) -> None:
    from bot.commands.users import users

    first = runner.invoke(users, ["add", "boss@example.org", "--first-admin", "--password-stdin"],
                          input="the first admin pass\n")
    assert first.exit_code == 0, first.output
    again = runner.invoke(users, ["add", "two@example.org", "--first-admin", "--password-stdin"],
                          input="the first admin pass\n")
    assert again.exit_code != 0 and "exist" in again.output
    with transaction(app) as db:
        from bot.storage.models import Partner

        db.add(Partner(name="Gamma Help"))
    partner = runner.invoke(users, ["add", "g@example.org", "--role", "partner", "--partner",
                                    "Gamma Help", "--password-stdin"], input="partner password\n")
    assert partner.exit_code == 0, partner.output
    unknown = runner.invoke(users, ["add", "h@example.org", "--role", "partner", "--partner",
                                    "Nobody", "--password-stdin"], input="partner password\n")
    assert unknown.exit_code != 0
    prompted = runner.invoke(users, ["add", "e@example.org", "--role", "editor"],
                             input="editor password!\neditor password!\n")
    assert prompted.exit_code == 0, prompted.output
    listed = runner.invoke(users, ["list"])
    assert "g@example.org\tpartner\tGamma Help" in listed.output
    with transaction(app) as db:
        roles = dict(db.execute(select(AdminUser.email, AdminUser.role)).all())
        assert roles == {"boss@example.org": "admin", "g@example.org": "partner",
                         "e@example.org": "editor"}
        assert db.scalar(select(AuditEntry).where(AuditEntry.actor == "cli")) is not None
