"""The admin panel: accounts, partners' inbox, content editing and the dashboard."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Registers the admin blueprints (filled in as the screens land)."""
