"""A live planner in a thread, Debian's Chromium driven by Playwright, and axe-core from npm."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import ADMIN_PASSWORD, IN_CI

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PLANNER_TEST_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"


def browser_problem() -> str | None:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if not AXE.is_file():
        return f"axe-core not found at {AXE} (npm ci)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def chromium():
    problem = browser_problem()
    if problem:
        if IN_CI:
            pytest.fail(f"{problem} (CI requires the browser tests to run)")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Debian's Chromium; Playwright never downloads a browser of its own here
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


class _ClosingResponse:
    """A response body that is closed when the server lets go of it, whatever happened.

    werkzeug's development server calls close() only after draining the request; when the browser hangs up
    meanwhile (it navigates on while a stylesheet is answered), that raises first and the open file of a static
    response is left to the garbage collector, which warns in whichever test runs then. Production servers
    (gunicorn) close the body themselves."""

    def __init__(self, body):
        self.body, self.closed = body, False

    def __iter__(self):
        return iter(self.body)

    def close(self):
        if not self.closed:
            self.closed = True
            getattr(self.body, "close", lambda: None)()

    def __del__(self):
        self.close()


def _closing(app):
    return lambda environ, start_response: _ClosingResponse(app(environ, start_response))


@pytest.fixture
def live_server(db_url, tmp_path):
    """The app on a free loopback port, served by werkzeug in a thread."""
    from planner.web import create_app

    app = create_app({"PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "instance"),
                      "PLANNER_SECRET_KEY": "browser-test"})
    server = make_server("127.0.0.1", 0, _closing(app), threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    app.extensions["planner.engine"].dispose()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server, locale="nl-NL", timezone_id="Europe/Amsterdam",
                                   viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                   bypass_csp=True)  # lets axe-core be injected into the page
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, email: str, password: str = ADMIN_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/login" not in url)


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page for WCAG 2.0/2.1 A and AA; return the violations."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def demo_admin(session):
    """The demo plans and an administrator (ADMIN_EMAIL) to log in as."""
    from planner.domain.accounts import create_user
    from planner.domain.demo import load_demo
    from planner.domain.plans import find_or_create_organisation
    from planner.enums import OrganisationKind, Role
    from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

    load_demo(session)
    create_user(session, ADMIN_EMAIL, find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER),
                Role.ADMINISTRATOR, ADMIN_PASSWORD)
    session.commit()
    return session
