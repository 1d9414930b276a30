"""Runs the app under gunicorn from `helpline serve`, with the settings of gunicorn.conf.py."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class HelplineServer(BaseApplication):  # type: ignore[misc]
    """gunicorn, configured in code so `helpline serve` needs no separate config file."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from bot import create_app

        return create_app()


def run_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Serve until interrupted."""
    HelplineServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": None,  # access logs would hold Telegram paths and IPs
            "timeout": 30,
        }
    ).run()
