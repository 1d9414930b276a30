"""`helpline purge`: apply the retention period now (run it daily from cron or a timer)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("purge")
@click.option(
    "--days",
    type=int,
    default=None,
    help="Keep this many days instead of HELPLINE_RETENTION_DAYS.",
)
@with_appcontext
def purge(days: int | None) -> None:
    """Delete message bodies and reply addresses past retention; anonymise old closed cases."""
    from bot.reports.retention import purge as run

    result = run(current_app._get_current_object(), days=days)  # type: ignore[attr-defined]
    click.echo(
        f"purged: {result.message_bodies} message bodies, {result.case_messages} case messages, "
        f"{result.addresses} reply addresses; anonymised {result.cases} closed cases"
    )
