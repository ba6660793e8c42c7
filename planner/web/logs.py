"""Keep feed tokens out of every log line: the development server's and gunicorn's access logs."""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

FEED_TOKEN = re.compile(r"(/feeds/|/password/reset/)[A-Za-z0-9_\-]{8,}")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return FEED_TOKEN.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    """Rewrite a record's message so that a feed token never reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install_redaction() -> None:
    """Attach the filter to the loggers that print request lines (idempotent)."""
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())


class GunicornLogger(Logger):
    """Gunicorn's logger with feed tokens removed from the request atoms of the access log."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
