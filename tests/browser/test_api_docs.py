"""The API documentation renders in a real browser from the bundled Swagger UI, under the page's CSP."""

from tests.browser.conftest import SCREENSHOTS


def test_the_api_documentation_renders_every_operation_without_csp_violations(chromium, live_server):
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    outside = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(live_server)
            else None)
    page.goto(f"{live_server}/api/v1/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 25
    assert "Communicatieplanner API" in page.locator(".info .title").first.inner_text()
    page.locator(".opblock-summary-path", has_text="/plans/{planId}/activities").first.click()
    page.wait_for_selector(".parameters")
    assert "pageSize" in page.inner_text(".opblock-body")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "api-docs.png"))
    assert outside == []  # nothing from a CDN
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    page.close()
