"""The OpenAPI document at /api/v1/openapi.json and its human-readable rendering at /api/v1/docs."""

from __future__ import annotations

import copy
import json
import re

from flask import Blueprint, current_app, render_template

from planner.web.api.problems import PROBLEM_TYPE
from planner.web.api.schemas import camel

API_ROOT = "/api/v1"
bp = Blueprint("api_docs", __name__, url_prefix=API_ROOT)

DESCRIPTION = """\
The plans of the communication planner and what they hold: partners, audiences, core messages with their
translations, channels, moments, embargoes, activities with their computed dates and production start,
checklist items, decision moments, the checks' findings, and the coordinator's overview per region.

Follows the NL API Design Rules: plural resource names, kebab-case paths, camelCase properties, RFC 3339
dates, collections paginated with HAL links, errors as application/problem+json (RFC 9457) in Dutch unless
Accept-Language asks for English, and an API-Version header on every response.

Authenticate with an API key as `Authorization: Bearer <key>`; administrators and advisors make keys under
'API-sleutels'. A key acts as a member of its organisation in the key's role: it sees exactly the plans a
person in that role sees, and another organisation's plans answer 404. Changes need a read-and-write key and
the row's ETag in If-Match (optimistic concurrency: 412 when someone else changed the row meanwhile).
"""


def _links(kind: str, id_name: str) -> dict:
    """OpenAPI links from a created row to reading, replacing and deleting it (Schemathesis follows them)."""
    row = {"planId": "$request.path.planId", id_name: "$response.body#/id"}
    changed = {**row, "header.If-Match": "$response.header.ETag"}
    return {f"Get{kind}": {"operationId": f"get{kind}", "parameters": row},
            f"Replace{kind}": {"operationId": f"replace{kind}", "parameters": changed},
            f"Delete{kind}": {"operationId": f"delete{kind}", "parameters": changed}}


LINKS = {"createActivity": _links("Activity", "activityId"), "createMoment": _links("Moment", "momentId"),
         "createAudience": _links("Audience", "audienceId")}


def document() -> dict:
    """The generated document, with the API-Version header declared on every response."""
    spec = copy.deepcopy(current_app.extensions["planner.api"].spec.to_dict())
    # flask-smorest's own pagination (an X-Pagination header) is not used: the pages carry HAL links.
    spec.get("components", {}).get("schemas", {}).pop("PaginationMetadata", None)
    spec.get("components", {}).get("headers", {}).pop("PAGINATION", None)
    # Paths are relative to the server URL (which ends in /api/v1); Flask's path variables are snake_case, the
    # document names them in camelCase like every other name.
    spec["paths"] = {re.sub(r"{(\w+)}", lambda m: "{" + camel(m.group(1)) + "}", path.removeprefix(API_ROOT)): item
                     for path, item in spec.get("paths", {}).items()}
    for item in spec["paths"].values():
        for parameter in item.get("parameters", []):
            if parameter.get("in") == "path":
                parameter["name"] = camel(parameter["name"])
    for path in spec.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if operation.get("operationId") in LINKS:
                operation["responses"]["201"]["links"] = LINKS[operation["operationId"]]
            for code, response in operation["responses"].items():
                if "$ref" in response:  # a shared response: copy it, to add the header
                    name = response["$ref"].rsplit("/", 1)[-1]
                    response = operation["responses"][code] = copy.deepcopy(spec["components"]["responses"][name])
                headers = response.setdefault("headers", {})
                headers["API-Version"] = {"$ref": "#/components/headers/API-Version"}
                if code == "429":
                    headers["Retry-After"] = {"$ref": "#/components/headers/Retry-After"}
                for content_type in list(response.get("content", {})):
                    if str(code)[0] in "45" and content_type != PROBLEM_TYPE:
                        response["content"][PROBLEM_TYPE] = response["content"].pop(content_type)
    return spec


@bp.get("/openapi.json")
def openapi_json():
    return current_app.response_class(json.dumps(document(), indent=2, ensure_ascii=False),
                                      mimetype="application/json")


@bp.get("/docs")
def page():
    return render_template("api/docs.html")
