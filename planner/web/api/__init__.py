"""The public REST/JSON API under /api/v1 (NL API Design Rules), built with flask-smorest.

flask-smorest validates requests and shapes responses with marshmallow schemas and generates the OpenAPI
document from the same schemas and routes, so the document cannot drift from the code. The API has its own
authentication (API keys as Bearer tokens; the session cookie counts for nothing here, so there is no CSRF
surface), its own errors (problem+json) and its own headers (API-Version, CORS), all wired in `register_api`.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from planner.web.api.problems import API_VERSION, PROBLEM_TYPE
from planner.web.api.schemas import ProblemSchema


class PlannerApi(Api):
    """flask-smorest's Api with problem+json as the error format and without its own error handler (the
    app's handler answers API paths with problems and the web pages with Dutch pages)."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        import http

        from flask_smorest.utils import prepare_response

        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)


def register_api(app: Flask) -> None:
    from planner.web.api import docs, hooks, reads
    from planner.web.api import writes  # noqa: F401 (its routes join reads.blp before it is registered)
    from planner.web.extensions import csrf

    base_url = app.config["BASE_URL"]
    # in development (http) the document still names an https server, as it will be in production
    server = base_url if base_url.startswith("https://") else "https://planner.example.nl"
    contact = {"name": "Communicatieplanner", "url": server, "email": app.config["PLANNER_SETTINGS"].mail_from}
    app.config.update(API_TITLE="Communicatieplanner API", API_VERSION=API_VERSION, OPENAPI_VERSION="3.0.3")
    api = PlannerApi(app, spec_kwargs={
        "info": {"description": docs.DESCRIPTION, "contact": contact,
                 "license": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"}},
        "servers": [{"url": f"{server}/api/v1", "description": "This installation"}],
        "security": [{"apiKey": []}],
    })
    api.spec.components.security_scheme("apiKey", {
        "type": "http", "scheme": "bearer",
        "description": "An API key, made under 'API-sleutels' by an administrator or advisor."})
    api.spec.components.header("API-Version", {
        "description": "The full semantic version of the API.", "schema": {"type": "string", "example": API_VERSION}})
    api.spec.components.header("ETag", {"description": "The version of the row; send it in If-Match to change it.",
                                        "schema": {"type": "string"}})
    api.spec.components.header("Location", {"description": "Where the new row is.",
                                            "schema": {"type": "string", "format": "uri"}})
    api.spec.components.header("Link", {"description": "The other pages (RFC 8288).", "schema": {"type": "string"}})
    api.spec.components.header("Retry-After", {"description": "Seconds to wait.", "schema": {"type": "integer"}})
    api.register_blueprint(reads.blp)
    csrf.exempt(reads.blp)
    app.register_blueprint(docs.bp)
    app.after_request(hooks.decorate_response)
    app.extensions["planner.api"] = api
