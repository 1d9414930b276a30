"""Structured logs: one JSON object a line; message text and raw addresses never appear at INFO."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from flask import Flask

_STANDARD = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    """Formats a record as JSON with its `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def setup_logging(app: Flask) -> None:
    """JSON logs to stderr at the level HELPLINE_LOG_LEVEL names (INFO by default)."""
    root = logging.getLogger("bot")
    if getattr(root, "_helpline_configured", False):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    root.propagate = False
    root._helpline_configured = True  # type: ignore[attr-defined]
