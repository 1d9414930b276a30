"""Account rules: argon2 password hashes, creating users, and the login lockout.

Rules:
- Passwords are stored only as argon2id hashes; an old hash is upgraded at the next login.
- After LOCKOUT_FAILURES wrong passwords in a row the account is locked for LOCKOUT_MINUTES,
  and even the right password is refused until then.
- An unknown email costs the same work as a known one: timing does not tell who has an account.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.models import ROLES, AdminUser, utcnow

LOCKOUT_FAILURES = 5
LOCKOUT_MINUTES = 15
MIN_PASSWORD = 10

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password, only spends the same time")


class AccountError(ValueError):
    """A user cannot be created or changed as asked (the message says why, in English)."""


@dataclass(frozen=True)
class LoginResult:
    """The outcome of one login attempt: the user, or why not."""

    user: AdminUser | None
    reason: str = ""  # "" | "bad" | "locked" | "inactive"
    locked_until: datetime | None = None


def aware(moment: datetime | None) -> datetime | None:
    """A stored time as UTC-aware (SQLite hands back naive datetimes)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    """Raises AccountError when the password is too weak to keep."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"The password needs at least {MIN_PASSWORD} characters.")


def new_stamp() -> str:
    """A fresh session stamp; changing it ends every session of the user."""
    return secrets.token_hex(16)


def find_user(session: Session, email: str) -> AdminUser | None:
    """The user with this email (case does not matter)."""
    return session.scalar(select(AdminUser).where(AdminUser.email == normal_email(email)))


def normal_email(email: str) -> str:
    return email.strip().lower()


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AdminUser)) or 0


def create_user(
    session: Session,
    email: str,
    password: str,
    role: str,
    partner_id: int | None = None,
    lang: str = "en",
) -> AdminUser:
    """Adds a user; a partner account must name its organisation and no other role may."""
    email = normal_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError("That is not an email address.")
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    if (role == "partner") != (partner_id is not None):
        raise AccountError("A partner account needs its organisation; other roles have none.")
    check_password_rules(password)
    if find_user(session, email) is not None:
        raise AccountError(f"{email} already has an account.")
    user = AdminUser(
        email=email,
        password_hash=hash_password(password),
        role=role,
        partner_id=partner_id,
        lang=lang,
        active=True,
        failed_logins=0,
        session_stamp=new_stamp(),
        password_changed_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: AdminUser, password: str) -> None:
    """Replaces the password and ends the user's other sessions."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_stamp = new_stamp()
    user.failed_logins = 0
    user.locked_until = None


def verify(user: AdminUser, password: str) -> bool:
    """Whether the password is the user's; rehashes an outdated hash in place."""
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


def authenticate(
    session: Session, email: str, password: str, now: datetime | None = None
) -> LoginResult:
    """Checks a login and counts failures; the caller commits the session either way."""
    now = now or utcnow()
    user = find_user(session, email)
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return LoginResult(None, "bad")
    locked = aware(user.locked_until)
    if locked is not None and locked > now:
        return LoginResult(None, "locked", locked)
    if not verify(user, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= LOCKOUT_FAILURES:
            user.locked_until = now + timedelta(minutes=LOCKOUT_MINUTES)
            user.failed_logins = 0
            return LoginResult(None, "locked", user.locked_until)
        return LoginResult(None, "bad")
    if not user.active:
        return LoginResult(None, "inactive")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return LoginResult(user)
