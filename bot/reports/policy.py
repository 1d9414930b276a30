"""The tunable parts of case handling, read once from the app's configuration (HELPLINE_*)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app


@dataclass(frozen=True)
class Policy:
    """Time limits and addresses the case functions need; built from app.config."""

    ack_minutes: int = 30  # an urgent report not acknowledged in this time escalates
    followup_days: int = 7  # with consent, the helpline asks "are you safe?" after this
    followup_window_hours: int = 72  # no answer in this time is recorded as "no answer"
    relay_open_days: int = 14  # a partner's message may be answered for this long
    retention_days: int = 90
    admin_emails: tuple[str, ...] = ()
    public_url: str = ""
    max_escalations: int = 5


def policy(app: Flask | None = None) -> Policy:
    """The policy of `app`, or of the current app."""
    cfg = (app or current_app).config
    emails = cfg.get("ADMIN_EMAILS") or ()
    if isinstance(emails, str):
        emails = [e.strip() for e in emails.split(",")]
    return Policy(
        ack_minutes=int(cfg.get("ACK_MINUTES", 30)),
        followup_days=int(cfg.get("FOLLOWUP_DAYS", 7)),
        followup_window_hours=int(cfg.get("FOLLOWUP_WINDOW_HOURS", 72)),
        relay_open_days=int(cfg.get("RELAY_OPEN_DAYS", 14)),
        retention_days=int(cfg.get("RETENTION_DAYS", 90)),
        admin_emails=tuple(e for e in emails if e),
        public_url=str(cfg.get("PUBLIC_URL") or "").rstrip("/"),
        max_escalations=int(cfg.get("MAX_ESCALATIONS", 5)),
    )
