"""`helpline telegram set-webhook|poll`: register the webhook, or fetch updates without one."""

from __future__ import annotations

import json
import re
import signal
import threading
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from bot.channels.telegram import ALLOWED_UPDATES, BotApi, bot_api, handle, parse
from bot.outbox import SendFailed

SECRET_FORM = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as secret_token


@click.group("telegram")
def telegram() -> None:
    """The Telegram bot: webhook registration and long polling."""


def _app_and_api() -> tuple[Flask, BotApi]:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    api = bot_api(app)
    if api is None:
        raise click.ClickException("TELEGRAM_BOT_TOKEN is not set")
    return app, api


@telegram.command("set-webhook")
@click.option("--url", help="Default: HELPLINE_PUBLIC_URL + /webhooks/telegram.")
@click.option("--drop-pending-updates", is_flag=True, help="Discard updates waiting at Telegram.")
@click.option("--max-connections", default=40, show_default=True, type=click.IntRange(1, 100))
@with_appcontext
def set_webhook(url: str | None, drop_pending_updates: bool, max_connections: int) -> None:
    """Point Telegram at this helpline's webhook, with the secret token it must send back."""
    app, api = _app_and_api()
    secret = app.config.get("TELEGRAM_WEBHOOK_SECRET") or ""
    if not SECRET_FORM.match(secret):
        raise click.ClickException("TELEGRAM_WEBHOOK_SECRET must be 1-256 of A-Z a-z 0-9 _ -")
    public = app.config.get("PUBLIC_URL")
    url = url or (f"{public.rstrip('/')}/webhooks/telegram" if public else None)
    if not url or not url.startswith("https://"):
        raise click.ClickException("Telegram needs an https:// URL: set HELPLINE_PUBLIC_URL")
    try:
        api.call(
            "setWebhook",
            url=url,
            secret_token=secret,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=drop_pending_updates,
            max_connections=max_connections,
        )
        info: dict[str, Any] = api.call("getWebhookInfo")
    except SendFailed as error:
        raise click.ClickException(f"Telegram refused: {error.reason}") from None
    shown = {k: info.get(k) for k in ("url", "pending_update_count", "allowed_updates")}
    click.echo(json.dumps(shown))


@telegram.command("poll")
@click.option("--timeout", default=30, show_default=True, help="Long-poll seconds per request.")
@click.option("--once", is_flag=True, help="One getUpdates round, then exit.")
@with_appcontext
def poll(timeout: int, once: bool) -> None:
    """Fetch updates with getUpdates (no public URL needed) and answer them like the webhook."""
    app, api = _app_and_api()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    # getUpdates is refused while a webhook is set; keep its waiting updates for us.
    api.call("deleteWebhook", drop_pending_updates=False)
    offset: int | None = None
    while not stop.is_set():
        try:
            offset = _round(app, api, offset, timeout)
        except SendFailed as error:
            click.echo(f"getUpdates failed ({error.reason}); retrying", err=True)
            stop.wait(error.after or 5)
        except Exception as error:  # the database is down: keep the offset, try again
            click.echo(f"answering failed ({type(error).__name__}); retrying", err=True)
            stop.wait(5)
        if once:
            break


def _round(app: Flask, api: BotApi, offset: int | None, timeout: int) -> int | None:
    """One getUpdates call; the offset that acknowledges what was answered."""
    updates = api.call(
        "getUpdates",
        http_timeout=timeout + 10,
        offset=offset,
        timeout=timeout,
        allowed_updates=list(ALLOWED_UPDATES),
    )
    for data in updates or []:
        try:
            incoming = parse(data)
        except ValueError:
            incoming = None  # malformed: skip it rather than fetch it forever
        if incoming is not None:
            # If this raises (database down), the offset stays and the update comes again;
            # the update_id key keeps it from being answered twice.
            handle(app, incoming)
        offset = int(data["update_id"]) + 1
    return offset
