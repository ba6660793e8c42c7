"""Errors as RFC 9457 problem details (application/problem+json), in Dutch unless Accept-Language asks English.

Every error of the API passes through `problem_response`: HTTP errors raised by Flask, webargs or the views,
validation errors with the fields that are wrong (`invalidParams`), and unexpected errors (500).
"""

from __future__ import annotations

import json
import re

from flask import Response, current_app, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from planner.enums import N_

PROBLEM_TYPE = "application/problem+json"
API_VERSION = "1.0.0"

# Title and detail per status, in English msgids (translated into the reader's language).
PROBLEMS = {
    400: (N_("Bad request"), N_("The request cannot be read.")),
    401: (N_("Not authenticated"), N_("Send a valid API key as 'Authorization: Bearer <key>'.")),
    403: (N_("Forbidden"), N_("This API key may not do this.")),
    404: (N_("Not found"), N_("There is nothing at this address, or this API key may not see it.")),
    405: (N_("Method not allowed"), N_("This address does not accept this method.")),
    406: (N_("Not acceptable"), N_("The API answers in JSON only.")),
    409: (N_("Conflict"), N_("The change conflicts with the stored data.")),
    412: (N_("Precondition failed"), N_("The row was changed by someone else since you read it: read it again "
                                       "and send its new ETag in If-Match.")),
    413: (N_("Request too large"), N_("The request is too large.")),
    415: (N_("Unsupported media type"), N_("Send the body as application/json.")),
    422: (N_("Invalid input"), N_("One or more fields are not right; see invalidParams.")),
    428: (N_("Precondition required"), N_("Send the ETag of the row you read in If-Match, so that nobody's "
                                         "change is overwritten unseen.")),
    429: (N_("Too many requests"), N_("This API key sent too many requests. Wait the number of seconds in "
                                     "Retry-After.")),
    500: (N_("Internal server error"), N_("Something went wrong on the server. Try again later.")),
    503: (N_("Service unavailable"), N_("The service is busy. Try again later.")),
}

# marshmallow's and webargs's own messages, so that they are translated too.
VALIDATION_MESSAGES = (
    N_("Missing data for required field."), N_("Unknown field."), N_("Field may not be null."),
    N_("Not a valid string."), N_("Not a valid integer."), N_("Not a valid boolean."), N_("Not a valid date."),
    N_("Not a valid UUID."), N_("Not a valid list."), N_("Not a valid number."), N_("Invalid input type."),
    N_("Invalid value."), N_("Must be one of: {choices}."), N_("Must be greater than or equal to {min} and less "
                                                               "than or equal to {max}."),
    N_("Longer than maximum length {max}."), N_("Shorter than minimum length {min}."),
    N_("Length must be between {min} and {max}."), N_("Invalid JSON body."), N_("Not a valid time."),
    N_("String does not match expected pattern."), N_("Not a valid mapping type."),
    N_("Use https: outside development the API answers only over https."),
    N_("The end date lies before the start date."), N_("Enter a date, or anchor the activity to a moment."),
    N_("Enter a start time as well."),
)
# Formatted marshmallow messages and the template they came from, to translate them with their values.
_FORMATTED = [(re.compile("^" + re.escape(m).replace(r"\{", "{").replace(r"\}", "}")
                          .replace("{choices}", "(?P<choices>.+)").replace("{min}", "(?P<min>-?[0-9.]+)")
                          .replace("{max}", "(?P<max>-?[0-9.]+)") + "$"), m)
              for m in VALIDATION_MESSAGES if "{" in m]


def translate_message(message: str) -> str:
    for pattern, template in _FORMATTED:
        match = pattern.match(message)
        if match:
            return gettext(template).format(**match.groupdict())
    return gettext(message)


def _flatten(errors, prefix: str = "") -> list[dict]:
    """webargs' nested {location: {field: [messages]}} as ADR invalidParams: name (the field's path) and reason."""
    found = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            if prefix == "" and key in ("json", "query", "headers", "path", "form", "view_args"):
                found += _flatten(value, "")
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
                found += _flatten(value, name)
    elif isinstance(errors, (list, tuple)):
        if all(isinstance(e, str) for e in errors):
            found += [{"name": prefix or "body", "code": "invalid", "reason": translate_message(e)} for e in errors]
        else:
            for item in errors:
                found += _flatten(item, prefix)
    elif isinstance(errors, str):
        found.append({"name": prefix or "body", "code": "invalid", "reason": translate_message(errors)})
    return found


def problem_response(status: int, detail: str | None = None, invalid_params: list[dict] | None = None,
                     headers: dict | None = None) -> Response:
    title, default_detail = PROBLEMS.get(status, (N_("Error"), N_("The request could not be handled.")))
    body = {"type": "about:blank", "title": gettext(title), "status": status,
            "detail": detail if detail is not None else gettext(default_detail), "instance": request.path}
    if invalid_params:
        body["invalidParams"] = invalid_params
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype=PROBLEM_TYPE)
    response.headers["Content-Language"] = _language()
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _language() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "nl")


def http_problem(error: HTTPException) -> Response:
    """An HTTP error raised anywhere under /api as a problem, keeping headers such as Allow and Retry-After."""
    data = getattr(error, "data", None) or {}
    invalid = _flatten(data.get("messages") or data.get("errors") or {}) if error.code == 422 else None
    headers = {k: v for k, v in error.get_headers() if k.lower() not in ("content-type", "content-length")}
    headers.update(data.get("headers") or {})
    detail = translate_message(data["message"]) if data.get("message") else None
    return problem_response(error.code or 500, detail, invalid, headers)
