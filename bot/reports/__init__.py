"""Reports to partner organisations: filing, routing, notices, escalation, relay, follow-up.

The worker loop calls three functions, each in its own transactions:
`deliver_due_notifications(app)`, `run_escalations(app, now)` and `send_due_followups(app, now)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask

if TYPE_CHECKING:
    from datetime import datetime


def init_app(app: Flask) -> None:
    """Registers the report effect handlers, the forget hook and the `cases` command."""
    from bot.commands.cases import cases
    from bot.reports import handlers
    from bot.service import FORGET_HOOKS

    if handlers.forget_reporter not in FORGET_HOOKS:
        FORGET_HOOKS.append(handlers.forget_reporter)
    app.cli.add_command(cases)


def deliver_due_notifications(app: Flask, now: datetime | None = None, limit: int = 50) -> int:
    """Sends due partner and admin notices (e-mail, signed webhook); how many were sent."""
    from bot.reports.notify import deliver_due_notifications as deliver

    return deliver(app, now, limit)


def run_escalations(app: Flask, now: datetime | None = None) -> int:
    """Escalates urgent cases not acknowledged in time; how many were escalated."""
    from bot.reports.schedule import run_escalations as run

    return run(app, now)


def send_due_followups(app: Flask, now: datetime | None = None) -> int:
    """Sends due "are you safe?" check-ins and records unanswered ones; how many were sent."""
    from bot.reports.schedule import send_due_followups as send

    return send(app, now)


def run_due(app: Flask, now: datetime | None = None) -> dict[str, Any]:
    """One pass of all timed report work, for a worker loop that wants a single call."""
    return {
        "escalated": run_escalations(app, now),
        "followups": send_due_followups(app, now),
        "notices": deliver_due_notifications(app, now),
    }
