"""Keep secrets out of every log line: feed tokens, password-reset tokens, unsubscribe links, API keys, and the
authorization code and state that an identity provider sends back to the single sign-on callback.

Redaction happens in one place that every logger in the process goes through: the log record factory. A
record is cleaned when it is made, whichever logger made it (Flask's app logger with its "Exception on
/feeds/<token>.ics" lines and tracebacks, werkzeug's request lines, gunicorn's access and error logs, our
own), before any handler or formatter sees it.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

# A secret path segment: at least 8 characters up to the next slash, query, space or quote; short segments
# such as a subscription's number are not secrets. Percent-encoded text is decoded first (see redact).
SECRET_PATH = re.compile(r"(/feeds/|/password/reset/|/afmelden/)[^\s/?#\"'<>]{8,}")
PREFIXES = ("/feeds/", "/password/reset/", "/afmelden/")
REDACTED = r"\1[redacted]"
# the query of the single sign-on callback: ?code=...&state=...&iss=...
SSO_CALLBACK = "/login/sso/callback"
SSO_SECRET = re.compile(r"([?&](?:code|state|session_state|id_token|access_token)=)[^&\s#\"'<>]+")
# An API key wherever it appears (a program that put it in a query string or a message): keys start with pln_.
API_KEY = re.compile(r"pln_[A-Za-z0-9_\-]{8,}")
API_KEY_PREFIX = "pln_"


def redact(text: str) -> str:
    if "%" in text:  # a percent-encoded path ("/%66eeds/…") is served as the decoded one: match it decoded
        text = unquote(text)
    if SSO_CALLBACK in text:
        text = SSO_SECRET.sub(REDACTED, text)
    if API_KEY_PREFIX in text:
        text = API_KEY.sub("pln_[redacted]", text)
    if not any(prefix in text for prefix in PREFIXES):  # the common case costs a few substring tests
        return text
    return SECRET_PATH.sub(REDACTED, text)


def _redacting_factory(make_record):
    def factory(*args, **kwargs):
        record = make_record(*args, **kwargs)
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record

    factory.redacts_secrets = True
    return factory


def install_redaction() -> None:
    """Make every log record of this process redacted (idempotent)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "redacts_secrets", False):
        logging.setLogRecordFactory(_redacting_factory(current))
