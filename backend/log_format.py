"""The server's log lines: plain text for a person at a terminal, or one JSON object per line for a log collector
(`onewindow-server serve --log-format json`, or ONEWINDOW_LOG_FORMAT=json; docs/operations.md).

A JSON line: `{"time", "level", "logger", "message", "process"}`, plus `"error"` (the traceback) when one is logged.
The messages are the same as the text lines': the log privacy rules hold either way (no names, ID numbers or phones:
tests/backend/test_log_privacy.py). Rotation is left to the platform: journald under systemd, or logrotate with
`copytruncate` for a file.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime

FORMATS = ("text", "json")
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(log_format: str | None = None) -> None:
    """The root logger's handler in this format (default: ONEWINDOW_LOG_FORMAT, else text). Each server process
    calls it, the workers uvicorn starts included; like `logging.basicConfig`, it leaves a root logger that has
    handlers already (a test run's, an embedding program's) as it is."""
    chosen = (log_format or os.environ.get("ONEWINDOW_LOG_FORMAT") or "text").lower()
    if chosen not in FORMATS:
        raise SystemExit(f"unknown log format {chosen!r}: use one of {', '.join(FORMATS)}")
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonLines() if chosen == "json" else logging.Formatter(TEXT))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)
