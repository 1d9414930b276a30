"""`helpline users`: accounts of the admin panel from the command line (and the first admin)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import or_, select

from admin.accounts import AccountError, count_users, create_user, find_user, set_password
from bot.storage.db import transaction
from bot.storage.models import ROLES, AdminUser, AuditEntry, Partner, utcnow


@click.group("users")
def users() -> None:
    """Accounts of the admin panel."""


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


def _partner_id(session, org: str | None) -> int | None:  # type: ignore[no-untyped-def]
    if org is None:
        return None
    query = select(Partner).where(or_(Partner.name == org, Partner.id == _int_or(org)))
    partner = session.scalar(query)
    if partner is None:
        raise click.ClickException(f"No partner organisation {org!r} (name or id).")
    return int(partner.id)


def _int_or(text: str) -> int:
    return int(text) if text.isdigit() else -1


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), help="What the account may do.")
@click.option("--partner", "org", help="Partner organisation (name or id) of a partner account.")
@click.option("--first-admin", is_flag=True, help="The first admin; refused once accounts exist.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin's first line.")
@click.option("--lang", default="en", show_default=True, help="The user's panel language.")
@with_appcontext
def add(
    email: str,
    role: str | None,
    org: str | None,
    first_admin: bool,
    password_stdin: bool,
    lang: str,
) -> None:
    """Add an account; the password is prompted for (or read from stdin), never an argument."""
    if first_admin:
        role = role or "admin"
        if role != "admin":
            raise click.UsageError("--first-admin creates an admin.")
    if role is None:
        raise click.UsageError("Give --role (admin, editor, partner or analyst) or --first-admin.")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with transaction(app) as session:
        if first_admin and count_users(session) > 0:
            raise click.ClickException("Accounts exist already; an admin adds the next ones.")
        partner_id = _partner_id(session, org)
        password = _password(password_stdin)
        try:
            user = create_user(session, email, password, role, partner_id, lang)
        except AccountError as problem:
            raise click.ClickException(str(problem)) from problem
        detail = {"email": user.email, "role": role, "partner_id": partner_id}
        session.add(AuditEntry(actor="cli", action="user.create", target_type="user",
                               target_id=str(user.id), at=utcnow(), detail=detail))
    if first_admin:
        from admin.auth import token_path

        token_path(app).unlink(missing_ok=True)
    click.echo(f"Added {user.email} ({role}).")


@users.command("list")
@with_appcontext
def list_users() -> None:
    """Every account with its role, organisation and state."""
    with transaction(current_app._get_current_object()) as session:  # type: ignore[attr-defined]
        names = {p.id: p.name for p in session.scalars(select(Partner))}
        for user in session.scalars(select(AdminUser).order_by(AdminUser.email)):
            state = "active" if user.active else "off"
            org = names.get(user.partner_id, "") if user.partner_id else ""
            click.echo(f"{user.email}\t{user.role}\t{org}\t{state}")


@users.command("password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin's first line.")
@with_appcontext
def password(email: str, password_stdin: bool) -> None:
    """Set a new password (and unlock the account); its sessions end."""
    with transaction(current_app._get_current_object()) as session:  # type: ignore[attr-defined]
        user = find_user(session, email)
        if user is None:
            raise click.ClickException(f"No account {email}.")
        try:
            set_password(user, _password(password_stdin))
        except AccountError as problem:
            raise click.ClickException(str(problem)) from problem
        session.add(AuditEntry(actor="cli", action="user.password_reset", target_type="user",
                               target_id=str(user.id), at=utcnow(), detail={}))
    click.echo(f"New password set for {email}.")


@users.command("setup-token")
@with_appcontext
def setup_token() -> None:
    """Print the one-time token for /admin/setup (only while no account exists)."""
    from admin.auth import setup_token as token

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with transaction(app) as session:
        if count_users(session) > 0:
            raise click.ClickException("Accounts exist already: /admin/setup is closed.")
    click.echo(token(app))
