"""The NL API Design Rules: the served OpenAPI document linted with Spectral, and the headers of live responses."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[3]
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"
RULESET = ROOT / "spectral" / "adr-core.yaml"


def spectral(document: dict, tmp_path) -> list[dict]:
    """Spectral's findings for `document` under the project's ADR ruleset."""
    if shutil.which("node") is None or not SPECTRAL.exists():
        if IN_CI:
            pytest.fail("Spectral is missing: run `npm ci` (CI installs Node.js and runs it through `make test`)")
        pytest.skip("Node.js or @stoplight/spectral-cli is not installed (npm ci)")
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = subprocess.run([str(SPECTRAL), "lint", "--ruleset", str(RULESET), "--format", "json", "--quiet",
                             str(path)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout or "[]")


@pytest.fixture
def document(anonymous_client):
    response = anonymous_client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.headers["API-Version"] == "1.0.0"
    return response.get_json()


def test_the_served_document_follows_the_adr_core_rules(document, tmp_path):
    assert spectral(document, tmp_path) == []
    assert document["info"]["contact"]["email"] and document["servers"][0]["url"].startswith("https://")
    assert document["servers"][0]["url"].endswith("/api/v1")


def test_the_ruleset_catches_each_kind_of_breach(document, tmp_path):
    broken = json.loads(json.dumps(document))
    broken["info"]["version"] = "1.0"
    del broken["info"]["contact"]["email"]
    broken["servers"] = [{"url": "http://planner.example.nl/api"}]
    broken["paths"]["/plans/"] = broken["paths"]["/plans"]
    broken["paths"]["/planItems/{planId}"] = broken["paths"]["/plans/{planId}"]
    get = broken["paths"]["/plans"]["get"]
    del get["responses"]["200"]["headers"]["API-Version"]
    problem = get["responses"]["401"]["content"]
    problem["application/json"] = problem.pop("application/problem+json")
    broken["components"]["schemas"]["Problem"]["required"].remove("detail")
    broken["components"]["schemas"]["Plan"]["properties"]["start_date"] = {"type": "string"}
    codes = {finding["code"] for finding in spectral(broken, tmp_path)}
    assert codes == {"adr-semver", "adr-contact", "adr-uri-major-version", "adr-https-servers",
                     "adr-no-trailing-slash", "adr-kebab-case-plural-paths", "adr-api-version-header",
                     "adr-problem-json", "adr-problem-fields", "adr-camel-case-properties"}


def test_live_responses_carry_api_version_and_errors_are_problems(api):
    plan = api.plan_id()
    for path, key, status in (("/api/v1/plans", "reader", 200), (f"/api/v1/plans/{plan}/moments", "reader", 200),
                              (f"/api/v1/plans/{plan}", None, 401), (f"/api/v1/plans/{plan}", "elsewhere", 404),
                              ("/api/v1/plans/", "reader", 404), (f"/api/v1/plans/{plan}", "reader", 200)):
        response = api.get(path, key=key)
        assert response.status_code == status, path
        assert response.headers["API-Version"] == "1.0.0"
        if status >= 400:
            problem = response.get_json()
            assert response.mimetype == "application/problem+json"
            assert problem["status"] == status and problem["title"] and problem["detail"]
    not_allowed = api.client.patch("/api/v1/plans", headers={"Authorization": f"Bearer {api.keys['reader']}"})
    assert not_allowed.status_code == 405 and "GET" in not_allowed.headers["Allow"]
    assert not_allowed.mimetype == "application/problem+json"


def test_cors_only_for_configured_origins(db_url, tmp_path, api_world):
    from planner.web import create_app

    _session, keys = api_world
    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_SECRET_KEY": "x",
                      "PLANNER_INSTANCE_PATH": str(tmp_path / "i"),
                      "PLANNER_API_CORS_ORIGINS": "https://www.arnhem.nl"})
    try:
        client = app.test_client()
        auth = {"Authorization": f"Bearer {keys['reader']}"}
        allowed = client.get("/api/v1/plans", headers={**auth, "Origin": "https://www.arnhem.nl"})
        assert allowed.headers["Access-Control-Allow-Origin"] == "https://www.arnhem.nl"
        other = client.get("/api/v1/plans", headers={**auth, "Origin": "https://evil.example"})
        assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other.headers
        preflight = client.options("/api/v1/plans", headers={"Origin": "https://www.arnhem.nl",
                                                             "Access-Control-Request-Method": "GET",
                                                             "Access-Control-Request-Headers": "Authorization"})
        assert preflight.status_code == 200 and "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    finally:
        app.extensions["planner.engine"].dispose()


def test_https_is_required_outside_development(db_url, tmp_path, api_world):
    from planner.web import create_app

    _session, keys = api_world
    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_SECRET_KEY": "x",
                      "PLANNER_INSTANCE_PATH": str(tmp_path / "i"), "PLANNER_BASE_URL": "https://planner.example.nl"})
    try:
        client = app.test_client()
        auth = {"Authorization": f"Bearer {keys['reader']}"}
        plain = client.get("/api/v1/plans", headers=auth)
        assert plain.status_code == 403 and "https" in plain.get_json()["detail"]
        assert client.get("/api/v1/plans", headers=auth, base_url="https://planner.example.nl").status_code == 200
        document = client.get("/api/v1/openapi.json").get_json()
        assert document["servers"][0]["url"] == "https://planner.example.nl/api/v1"
        forwarded = {**auth, "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.7"}
        assert client.get("/api/v1/plans", headers=forwarded).status_code == 403  # no proxy is trusted
    finally:
        app.extensions["planner.engine"].dispose()
    behind_proxy = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_SECRET_KEY": "x",
                               "PLANNER_INSTANCE_PATH": str(tmp_path / "j"), "PLANNER_TRUSTED_PROXIES": "127.0.0.1",
                               "PLANNER_BASE_URL": "https://planner.example.nl"})
    try:
        response = behind_proxy.test_client().get("/api/v1/plans", headers=forwarded)
        assert response.status_code == 200  # the TLS-terminating proxy on 127.0.0.1 says https
    finally:
        behind_proxy.extensions["planner.engine"].dispose()


def test_the_documentation_page_uses_the_bundled_renderer_without_inline_code(anonymous_client):
    page = anonymous_client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    csp = page.headers["Content-Security-Policy"]
    assert page.status_code == 200 and "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html and "<script>" not in html and "style=" not in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    bundle = anonymous_client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and b"SwaggerUIBundle" in bundle.data
    bundle.close()


def test_the_bundled_renderer_is_the_one_package_json_locks():
    installed = ROOT / "node_modules" / "swagger-ui-dist"
    if not installed.exists():
        if IN_CI:
            pytest.fail("node_modules/swagger-ui-dist is missing: run `npm ci`")
        pytest.skip("npm ci has not been run")
    vendored = ROOT / "planner" / "web" / "static" / "vendor" / "swagger-ui"
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert (vendored / name).read_bytes() == (installed / name).read_bytes(), name
