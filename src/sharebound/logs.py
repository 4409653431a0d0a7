"""Logging for the processes (`serve`, `worker`): plain lines, or one JSON object per line
(SHAREBOUND_LOG_FORMAT=json), each with the id of the request it belongs to.

What goes into a line is what the code logs: never a password, token, cookie, request body
or content. Requests are logged by route template (`/api/v1/disclosures/{disclosure_id}`),
never by raw path or query, which may carry an invitation token.
"""

from __future__ import annotations

import json
import logging
import logging.config
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

#: The id of the request being answered (web/operations.py sets it); None outside a request.
request_id: ContextVar[str | None] = ContextVar("sharebound_request_id", default=None)

TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
#: Fields of a record that are not extras; anything else the code passed in `extra=` is kept.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime",
                                                                          "request_id", "color_message"}


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid and rid != "-":
            line["request_id"] = rid
        line.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def logging_config(log_format: str, level: str = "INFO") -> dict[str, Any]:
    """A dictConfig for the whole process, uvicorn's loggers included (its access log is
    off: web/operations.py logs each request by its route template)."""
    formatter = {"()": JsonFormatter} if log_format == "json" else {"format": TEXT}
    handler = {"class": "logging.StreamHandler", "formatter": "main", "filters": ["request_id"],
               "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"main": formatter},
        "handlers": {"main": handler},
        "root": {"handlers": ["main"], "level": level},
        "loggers": {name: {"handlers": [], "propagate": True}
                    for name in ("uvicorn", "uvicorn.error", "uvicorn.access")},
    }


def configure(log_format: str) -> None:
    logging.config.dictConfig(logging_config(log_format))
