"""Started in the child processes of tests (scheduler, gunicorn): run on the test's clock, not the machine's.

Python imports `sitecustomize` at start-up from its path; `tests.helpers.child_env` puts this
folder there and the test's current instant in PLANNER_TEST_NOW.
"""

import datetime as dt
import os

if os.environ.get("PLANNER_TEST_NOW"):
    import time_machine

    time_machine.travel(dt.datetime.fromisoformat(os.environ["PLANNER_TEST_NOW"]), tick=True).start()
