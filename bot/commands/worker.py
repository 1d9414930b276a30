"""`helpline worker`: answers pending messages and drains the outbox, until stopped."""

from __future__ import annotations

import json
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
@click.option("--batch", default=10, show_default=True, help="Rows claimed at a time.")
@click.option("--poll", default=1.0, show_default=True, help="Seconds to wait when idle.")
@click.option("--stats", is_flag=True, help="Print queue figures as JSON and exit.")
@with_appcontext
def worker(once: bool, batch: int, poll: float, stats: bool) -> None:
    """Send queued messages and retry unanswered ones; run one or more per host."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if stats:
        from bot.outbox import stats as figures
        from bot.storage.db import transaction

        with transaction(app) as session:
            click.echo(json.dumps(figures(session)))
        return
    from bot.worker import Worker

    stop = threading.Event()
    # SIGTERM (systemd, docker stop) finishes the row in hand and exits; SIGKILL is safe too,
    # since a claimed row comes back when its lease runs out.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    Worker(app, batch=batch).run(stop, once=once, poll=poll)
