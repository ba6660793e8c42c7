"""The test identity provider (tests/oidc/provider.mjs, the npm package oidc-provider) as a pytest fixture."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "provider.mjs"
PASSWORD = "test-wachtwoord"  # every test user's password at the provider
ADVISOR, ADMINISTRATOR, COORDINATOR, OUTSIDER = ("fatima@ede.example", "beheer@ede.example", "kees@ede.example",
                                                 "onbekend@ede.example")
ROLE_MAP = "planner-beheerders=beheerder,planner-adviseurs=adviseur,planner-coordinatoren=coördinator"


def provider_problem() -> str | None:
    if shutil.which("node") is None:
        return "Node.js not found (apt-get install nodejs npm): the single sign-on tests need its identity provider"
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    if int(version.lstrip("v").split(".")[0] or 0) < 20:
        return f"Node.js {version} is too old for oidc-provider (20 or later)"
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        return "the npm package oidc-provider is not installed (npm ci)"
    return None


class IdentityProvider:
    """A running provider: its issuer URL, and what the tests change through its /test/ endpoints."""

    def __init__(self, log: Path):
        from tests.helpers import child_env

        self.log = log.open("w")
        self.process = subprocess.Popen(["node", str(SCRIPT)], cwd=ROOT, env=child_env(), stdout=subprocess.PIPE,
                                        stderr=self.log, text=True)
        line = self.process.stdout.readline().strip()  # "ready <issuer>" once it listens
        if not line.startswith("ready "):
            self.stop()
            raise RuntimeError(f"the identity provider did not start: {line!r}, see {log}")
        self.issuer = line.split()[1]

    def post(self, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(self.issuer + path, data=json.dumps(body or {}).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")

    def register_client(self, base_url: str) -> tuple[str, str]:
        """Register the planner at `base_url` (dynamic client registration); returns its id and secret."""
        client = self.post("/reg", {
            "client_name": "Communicatieplanner", "redirect_uris": [f"{base_url}/login/sso/callback"],
            "post_logout_redirect_uris": [f"{base_url}/login"],
            "backchannel_logout_uri": f"{base_url}/login/sso/backchannel-logout",
            "backchannel_logout_session_required": True})
        return client["client_id"], client["client_secret"]

    def subject(self, email: str) -> str:
        return self.post("/test/subject", {"email": email})["sub"]

    def set_groups(self, email: str, groups: list[str]) -> None:
        self.post("/test/groups", {"email": email, "groups": groups})

    def disable(self, email: str, client_id: str) -> None:
        """Disable the account and sign it out everywhere (a back-channel logout to the planner)."""
        self.post("/test/disable", {"email": email, "clients": [client_id]})

    def spoil_id_tokens(self, mode: str) -> None:
        """From now on the token endpoint hands out ID tokens spoiled so (tampered, expired, nonce, audience)."""
        self.post("/test/id-token", {"mode": mode})

    def reset(self) -> None:
        self.post("/test/reset")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.log.close()


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory):
    problem = provider_problem()
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{problem} (CI requires the single sign-on tests to run)")
        pytest.skip(problem)
    provider = IdentityProvider(tmp_path_factory.mktemp("oidc") / "provider.log")
    yield provider
    provider.stop()


@pytest.fixture
def oidc_provider(identity_provider):
    """The provider, with its users' groups as the script starts them and honest ID tokens."""
    identity_provider.reset()
    yield identity_provider
    identity_provider.reset()


def sso_settings(provider: IdentityProvider, client_id: str, client_secret: str, **more) -> dict:
    """The planner's settings for single sign-on with the test provider (groups give role and organisation)."""
    return {"PLANNER_OIDC_ISSUER": provider.issuer, "PLANNER_OIDC_CLIENT_ID": client_id,
            "PLANNER_OIDC_CLIENT_SECRET": client_secret, "PLANNER_OIDC_NAME": "Gemeente Ede",
            "PLANNER_OIDC_ROLE_MAP": ROLE_MAP, "PLANNER_OIDC_ORGANISATION_CLAIM": "groups",
            "PLANNER_OIDC_ORGANISATION_MAP": "org-gemeente-ede=Gemeente Ede", **more}
