"""Log lines: JSON, one object a line, in production; readable text in development.

Every line carries the request it was written for (request id, user id, method, path; see
``common.request_id``). A line never carries a request's body, cookies or headers, and
anything that looks like a password, a CSRF token or a session id in a message or a traceback
is masked (``redact``).
"""

from __future__ import annotations

import datetime
import json
import logging
import re
from typing import Any

from common.request_id import current

# name=value, name: value, "name": "value", with the names we must never write down.
_SECRET_NAMES = (
    r"password\d?|passwd|new_password\d|old_password|csrfmiddlewaretoken|csrftoken|csrf_token"
    r"|sessionid|session_key|secret_key|api_key|access_key|secret|token|authorization|cookie"
)
_SECRET_VALUE = re.compile(
    rf"""(?P<name>["']?(?:{_SECRET_NAMES})["']?\s*[=:]\s*)(?P<value>"[^"]*"|'[^']*'|(?:Bearer|Basic|Token)\s+[^\s&;,]+|[^\s&;,]+)""",
    re.IGNORECASE,
)
MASK = "[đã ẩn]"


def redact(text: str) -> str:
    """``password=abc`` → ``password=[đã ẩn]``; the same for tokens, session ids, secrets."""
    return _SECRET_VALUE.sub(lambda match: match.group("name") + MASK, text)


class RequestContextFilter(logging.Filter):
    """Adds the current request's id, user id, method and path to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current.get()
        record.request_id = context.request_id if context is not None else ""
        record.user_id = context.user_id if context is not None else None
        record.method = context.method if context is not None else ""
        record.path = context.path if context is not None else ""
        return True


def _status(record: logging.LogRecord) -> int | None:
    status = getattr(record, "status_code", None)
    return status if isinstance(status, int) else None


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", "user_id", "method", "path",
    "status", "duration_ms", "exception"}``; empty fields are left out."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        optional = {
            "request_id": getattr(record, "request_id", ""),
            "user_id": getattr(record, "user_id", None),
            "method": getattr(record, "method", ""),
            "path": getattr(record, "path", ""),
            "status": _status(record),
            "duration_ms": getattr(record, "duration_ms", None),
        }
        entry.update({key: value for key, value in optional.items() if value not in ("", None)})
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        elif record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``05:01:02 INFO thidua.request [3f2a…] GET /my-work/ 200`` with the traceback below."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(request_tag)s%(message)s", "%X")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", "")
        record.request_tag = f"[{request_id[:8]}] " if request_id else ""
        return redact(super().format(record))
