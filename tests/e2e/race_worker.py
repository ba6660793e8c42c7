"""One browser in its own process, for the concurrent-save test: log in, open an edit form, wait, save.

Protocol on stdin/stdout: prints "ready" once the form is open, reads one line ("go"), posts the form with
the fields given as JSON, and prints the status code and whether the answer says the save succeeded.
"""

from __future__ import annotations

import json
import re
import sys

from planner.web import create_app


def main() -> None:
    db_url, instance, email, password, url, fields = sys.argv[1:7]
    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": instance,
                      "PLANNER_SECRET_KEY": "test-secret"})
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    assert client.post("/login", data={"csrf_token": token, "email": email, "password": password}).status_code == 302
    form = client.get(url).get_data(as_text=True)
    hidden = {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', form).group(1)
              for name in ("csrf_token", "version")}
    print("ready", flush=True)
    sys.stdin.readline()
    response = client.post(url, data={**hidden, **json.loads(fields)}, follow_redirects=True)
    page = response.get_data(as_text=True)
    print(json.dumps({"status": response.status_code, "saved": "Wijzigingen opgeslagen" in page,
                      "conflict": "intussen gewijzigd" in page}), flush=True)


if __name__ == "__main__":
    main()
