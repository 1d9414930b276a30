"""Configuration: safe defaults, then HELPLINE_* environment variables, then a test override."""

from __future__ import annotations

import json
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # default: SQLite file in the instance folder
    "SECRET_KEY": None,  # default: generated once and kept in the instance folder
    "PSEUDONYM_KEY": None,  # HMAC key for pseudonyms; same rule as SECRET_KEY
    "VAULT_KEY": None,  # Fernet key for reply addresses; same rule as SECRET_KEY
    "PUBLIC_URL": None,  # https://helpline.example.org, for signature checks behind a proxy
    "AUTO_MIGRATE": True,
    "IDLE_MINUTES": 30,  # a conversation idle this long restarts gently at the main menu
    "SMS_BUDGET": 3,  # segments one SMS reply may cost before MORE paging
    "VI_PLAIN_SMS": False,  # Vietnamese over SMS without diacritics: about half the cost
    "MATCH_THRESHOLD": 62.0,  # matcher score under which the bot says it did not understand
    "SERVE_UNREVIEWED": True,  # serve needs-review translations rather than fall back to English
    "RETENTION_DAYS": 90,  # message bodies and reply addresses older than this are purged
    "ACK_MINUTES": 30,  # an urgent report not acknowledged in this time escalates
    "MAX_ESCALATIONS": 5,  # reminders to the admins about one unacknowledged urgent report
    "FOLLOWUP_DAYS": 7,  # with consent, "are you safe?" this many days after a report
    "FOLLOWUP_WINDOW_HOURS": 72,  # a check-in unanswered this long is recorded as "no answer"
    "RELAY_OPEN_DAYS": 14,  # a partner's relayed message may be answered for this long
    "ADMIN_EMAILS": "",  # comma list, told of escalations besides the admin accounts
    # Admin session cookie: HttpOnly, SameSite=Lax and Secure; HELPLINE_SESSION_COOKIE_SECURE=false
    # only for a panel served over plain http on a developer's machine.
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SMTP_URL": None,
    "MAIL_FROM": "helpline@localhost",
    "TWILIO_ACCOUNT_SID": None,
    "TWILIO_AUTH_TOKEN": None,
    "TWILIO_FROM": None,
    "TWILIO_API_BASE": None,  # points the REST client elsewhere, e.g. a local stand-in in tests
    "TELEGRAM_BOT_TOKEN": None,
    "TELEGRAM_WEBHOOK_SECRET": None,
    "TELEGRAM_API_BASE": None,
}

# Provider credentials keep the names their own documentation uses.
UNPREFIXED = (
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_SECRET",
)

GENERATED_SECRETS = ("SECRET_KEY", "PSEUDONYM_KEY", "VAULT_KEY")


def load(app: Flask, test_config: dict[str, Any] | None = None) -> None:
    """Fill app.config from defaults, the environment and an optional test mapping."""
    app.config.from_mapping(DEFAULTS)
    for name in UNPREFIXED:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("HELPLINE")
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'helpline.sqlite3'}"
    _fill_secrets(app)


def _fill_secrets(app: Flask) -> None:
    missing = [name for name in GENERATED_SECRETS if not app.config.get(name)]
    if not missing:
        return
    path = Path(app.instance_path) / "dev-secrets.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    for name in missing:
        if name not in stored:
            stored[name] = _new_secret(name)
        app.config[name] = stored[name]
    path.write_text(json.dumps(stored, indent=1))
    path.chmod(0o600)
    if not app.testing:
        log.warning(
            "HELPLINE_%s not set: using development keys kept in %s. Set them in production.",
            "/".join(missing),
            path,
        )


def _new_secret(name: str) -> str:
    if name == "VAULT_KEY":
        from cryptography.fernet import Fernet

        return Fernet.generate_key().decode()
    return secrets.token_hex(32)
