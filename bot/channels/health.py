"""`/healthz`: the load balancer's check that the app can reach its database."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from sqlalchemy import text

from bot.storage.db import get_session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """200 when the database answers, 503 when it does not."""
    try:
        get_session().execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
