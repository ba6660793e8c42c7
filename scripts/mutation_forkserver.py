"""A fork server that takes Python's start-up out of each mutant's test run (see README, "Mutation testing").

cosmic-ray runs the test command once per mutant. Most of a short run is spent starting Python and importing
pytest, Flask, SQLAlchemy and the other libraries; the tests themselves take a second or two.

    python scripts/mutation_forkserver.py serve SOCKET
        imports the third-party libraries the tests use (never `planner` or `tests`), then waits on the Unix
        socket SOCKET. For each request it forks a child that changes to the caller's directory, takes the
        caller's environment and arguments, and runs `python -m MODULE ARGS` there. The child imports
        `planner` and the tests itself, so it sees the mutant that is on disk at that moment.

    python scripts/mutation_forkserver.py run MODULE ARGS...
        the test command: asks the server named by $MUTATION_FORKSERVER to run `python -m MODULE ARGS` in the
        current directory, passes on its output and exits with its exit status. Without a server (variable
        unset, or nobody listening) it runs `python -m MODULE ARGS` itself, which gives the same result, only
        slower.

When the caller goes away (cosmic-ray kills a test command that runs past its timeout), the server kills the
child and everything the child started. One request is served at a time.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import signal
import socket
import struct
import sys

# Third-party libraries the tests and the application import; a missing one is skipped. Never `planner`, and
# nothing from a distribution that provides a pytest plugin (time-machine, hypothesis, xdist, anyio,
# schemathesis): pytest rewrites the asserts of those modules when it loads them, which it cannot do to a module
# imported already (preload() refuses such an import).
PRELOAD = [
    "pytest", "_pytest.main", "_pytest.config", "_pytest.python", "_pytest.fixtures", "_pytest.runner",
    "_pytest.terminal", "_pytest.assertion.rewrite", "_pytest.capture", "_pytest.logging", "_pytest.tmpdir",
    "_pytest.monkeypatch", "_pytest.skipping", "_pytest.junitxml", "_pytest.doctest", "_pytest.unittest",
    "pluggy", "iniconfig", "click", "click.testing", "attr", "sortedcontainers", "jsonschema_rs", "graphql",
    "werkzeug.wrappers", "harfile", "pyrate_limiter",
    "sqlalchemy", "sqlalchemy.orm", "sqlalchemy.orm.exc", "sqlalchemy.orm.attributes", "sqlalchemy.engine",
    "sqlalchemy.exc", "sqlalchemy.dialects.sqlite", "sqlalchemy.dialects.postgresql", "sqlalchemy.ext.hybrid",
    "alembic", "alembic.config", "alembic.command", "alembic.migration", "alembic.script", "alembic.autogenerate",
    "alembic.operations", "alembic.runtime.environment",
    "flask", "flask.testing", "flask_babel", "flask_wtf", "flask_wtf.csrf", "flask_wtf.file", "flask_smorest",
    "flask_smorest.utils", "marshmallow", "wtforms", "wtforms.validators", "werkzeug", "werkzeug.test",
    "werkzeug.exceptions", "werkzeug.security", "werkzeug.serving", "werkzeug.http",
    "werkzeug.middleware.proxy_fix", "jinja2", "markupsafe", "itsdangerous", "blinker",
    "babel", "babel.core", "babel.dates", "babel.numbers", "babel.support", "babel.messages.pofile",
    "babel.messages.mofile", "authlib.integrations.flask_client", "authlib.integrations.base_client",
    "authlib.common.urls", "joserfc", "joserfc.jwk", "joserfc.errors",
    "icalendar", "recurring_ical_events", "vobject", "dateutil.rrule", "dateutil.relativedelta", "holidays",
    "docx", "docx.shared", "docx.enum.text", "docx.enum.style", "docx.enum.section", "docx.oxml", "docx.oxml.ns",
    "docx.opc.constants", "docx2python", "odf.opendocument", "odf.text", "odf.table", "odf.style", "odf.draw",
    "odf.svg", "odf.namespaces", "pypdf", "fontTools.ttLib", "PIL", "PIL.Image", "lxml", "lxml.etree",
    "slugify", "zxcvbn", "yaml", "requests", "aiosmtpd.controller", "gunicorn.config",
    "apscheduler.schedulers.blocking", "apscheduler.triggers.cron", "apscheduler.triggers.interval",
    "psycopg",
]

EXIT_MARK = b"\0mutation-forkserver-exit:"


def plugin_modules() -> set[str]:
    """The top-level modules of the distributions that provide pytest plugins."""
    from importlib import metadata

    names = set()
    for entry_point in metadata.entry_points(group="pytest11"):
        names.add(entry_point.module.split(".")[0])
        for file in (entry_point.dist.files or []) if entry_point.dist else []:
            top = file.parts[0]
            if file.suffix == ".py" or len(file.parts) > 1 and not top.endswith((".dist-info", ".data")):
                names.add(top.removesuffix(".py"))
    names -= {"..", "__pycache__"}
    return names


def preload() -> list[str]:
    forbidden = plugin_modules()
    skipped = []
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # an optional library that is not installed, or cannot load here
            skipped.append(name)
        plugins = sorted({module.split(".")[0] for module in sys.modules} & forbidden)
        if plugins:
            raise SystemExit(f"preloading {name} imported {plugins}, which pytest must load itself: leave it out")
    loaded = [name for name in sys.modules if name == "planner" or name.startswith(("planner.", "tests."))]
    if loaded or "tests" in sys.modules:
        raise SystemExit(f"the fork server must not import the project, but imported {loaded}")
    return skipped


def receive(connection: socket.socket) -> dict:
    header = b""
    while len(header) < 4:
        chunk = connection.recv(4 - len(header))
        if not chunk:
            raise ConnectionError("caller went away")
        header += chunk
    (size,) = struct.unpack("!I", header)
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("caller went away")
        data += chunk
    return json.loads(data)


def child(connection: socket.socket, request: dict) -> None:
    """In the forked child: become the caller's `python -m MODULE ARGS` and never return."""
    code = 1
    try:
        os.setsid()  # a group of its own, so that everything it starts can be killed with it
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        descriptor = connection.fileno()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(descriptor, 1)
        os.dup2(descriptor, 2)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.dont_write_bytecode = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
        sys.path[0] = request["cwd"]  # what `python -m` puts first
        sys.argv = [request["module"], *request["args"]]
        import runpy

        try:
            runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
            if exit_.code is not None and not isinstance(exit_.code, int):
                print(exit_.code, file=sys.stderr)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve_one(connection: socket.socket) -> None:
    request = receive(connection)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        child(connection, request)
    status = None
    while status is None:
        readable, _, _ = select.select([connection], [], [], 0.1)
        if readable and not connection.recv(1):  # the caller is gone: stop the child and all it started
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(raw)
    try:  # a child that died of a signal reports 128 + the signal, like a shell
        connection.sendall(EXIT_MARK + str(status if status >= 0 else 128 - status).encode() + b"\n")
    except OSError:
        pass
    try:  # whatever the child left running goes with it
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def serve(path: str) -> None:
    skipped = preload()
    if skipped:
        print(f"mutation fork server: not preloaded (not installed here): {', '.join(skipped)}", file=sys.stderr)
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path + ".new")
    server.listen(4)
    os.rename(path + ".new", path)  # the socket appears only when the server is ready
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            connection, _ = server.accept()
            with connection:
                try:
                    serve_one(connection)
                except (ConnectionError, OSError) as error:
                    print(f"mutation fork server: {error}", file=sys.stderr)
    finally:
        server.close()
        if os.path.exists(path):
            os.unlink(path)


def run(module: str, args: list[str]) -> int:
    path = os.environ.get("MUTATION_FORKSERVER", "")
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        if not path:
            raise ConnectionError
        connection.connect(path)
    except OSError:  # no server: run it here, with the same result
        connection.close()
        os.execv(sys.executable, [sys.executable, "-m", module, *args])
    request = json.dumps({"module": module, "args": args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    connection.sendall(struct.pack("!I", len(request)) + request)
    output = bytearray()
    while chunk := connection.recv(65536):
        output += chunk
    mark = output.rfind(EXIT_MARK)
    if mark < 0:
        sys.stdout.buffer.write(bytes(output))
        print("mutation fork server: no exit status received", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(bytes(output[:mark]))
    sys.stdout.flush()
    return int(output[mark + len(EXIT_MARK):].split(b"\n")[0])


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "serve":
        serve(argv[1])
        return 0
    if len(argv) >= 2 and argv[0] == "run":
        return run(argv[1], argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
