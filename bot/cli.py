"""The `helpline` command: chat, serve, and the commands each part registers."""

from __future__ import annotations

from importlib import import_module

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from bot import create_app


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False)
def cli() -> None:
    """The Mekong migrant helpline."""


@cli.command("chat")
@click.option("--from", "address", default="console-user", help="Who is writing (any id).")
@click.option("--channel", type=click.Choice(["sms", "telegram"]), default="sms")
@with_appcontext
def chat(address: str, channel: str) -> None:
    """Talk to the helpline in the terminal, as a migrant would over SMS or Telegram."""
    from bot.channels.console import run

    run(current_app._get_current_object(), address, channel)  # type: ignore[attr-defined]


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn processes")
@click.option("--threads", default=8, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Run the web application (webhooks, admin) with gunicorn."""
    from bot.server import run_gunicorn

    run_gunicorn(host, port, workers, threads)


# Commands owned by other parts of the helpline, registered when those parts are present.
COMMANDS = (
    ("bot.commands.match", "match"),
    ("bot.commands.content", "content"),
    ("bot.commands.i18n", "i18n"),
    ("bot.commands.worker", "worker"),
    ("bot.commands.telegram", "telegram"),
    ("bot.commands.partners", "partners"),
    ("bot.commands.purge", "purge"),
    ("bot.commands.users", "users"),
)

for _module, _name in COMMANDS:
    try:
        cli.add_command(getattr(import_module(_module), _name))
    except ModuleNotFoundError as _missing:
        if not (_missing.name and _module.startswith(_missing.name)):
            raise
