"""The Mekong migrant helpline: an SMS and Telegram helpline for migrant workers."""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from flask import Flask

# Optional parts register themselves when present: channels, reports, admin.
BLUEPRINT_MODULES = (
    "bot.channels.health",
    "bot.channels.twilio_sms",
    "bot.channels.telegram",
    "bot.reports",
    "admin",
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The composition root: configuration, database, channels, admin and CLI commands."""
    app = Flask(__name__, instance_relative_config=True)
    from bot import config
    from bot.logs import setup_logging
    from bot.storage import db

    config.load(app, test_config)
    setup_logging(app)
    if int(app.config.get("PROXY_FIX", 0)):
        # Behind N trusted TLS proxies: take scheme, host and client address from X-Forwarded-*.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    db.init_app(app)
    for name in BLUEPRINT_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name and name.startswith(missing.name):
                continue
            raise
        module.init_app(app)
    logging.getLogger(__name__).debug("helpline app ready")
    return app
