"""Structured JSON logs that Cloud Logging understands (severity, message, campaign, trace).

Call :func:`configure` once from a composition root; modules only call :func:`get_logger`.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

campaign_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("campaign", default=None)
trace_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("trace", default=None)

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
# Bearer tokens, Slack tokens, API keys: never written, whatever a caller passes in.
_SECRET = re.compile(r"(Bearer\s+|xox[abprs]-|sk-ant-|AIza)[A-Za-z0-9._\-]+")


def redact(text: str) -> str:
    return _SECRET.sub(lambda m: m.group(1) + "[redacted]", text)


class JsonFormatter(logging.Formatter):
    def __init__(self, project: str | None = None) -> None:
        super().__init__()
        self._project = project

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": record.levelname,
            "message": redact(record.getMessage()),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        campaign = campaign_var.get()
        if campaign:
            entry["campaign_id"] = campaign
        trace = trace_var.get()
        if trace and self._project:
            entry["logging.googleapis.com/trace"] = f"projects/{self._project}/traces/{trace}"
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["stack_trace"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


def configure(level: str = "INFO", *, project: str | None = None, stream: Any = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(project))
    # waitress (``adloop serve``'s HTTP server) reports refused connections under its own name.
    for name in ("adloop", "waitress"):
        root = logging.getLogger(name)
        root.handlers[:] = [handler]
        root.setLevel(level)
        root.propagate = False


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger("adloop." + name)
