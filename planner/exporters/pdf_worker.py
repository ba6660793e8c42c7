"""A long-lived headless LibreOffice that converts documents to PDF without starting up for each one.

Starting LibreOffice takes most of a one-shot `soffice --convert-to`. A worker starts it once, with a private
profile in its own folder, accepting UNO connections on a named pipe; each conversion is then handed to it by
a short script (`uno_convert.py`) run by the Python that can import `uno` (Debian: python3-uno). A worker that
died (crash, OOM kill) is started again on the next conversion, which is then retried once; should the new one
fail as well, that document is converted by a one-shot LibreOffice (slower, but the user gets the PDF).

A worker is shared by every process that uses the same folder; callers make sure that only one of them
converts with it at a time (the web app holds the matching conversion slot, see planner.web.conversions).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import subprocess
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from planner.exporters.pdf import (
    EXPORT_OPTIONS, TIMEOUT_SECONDS, PdfUnavailable, check_pdf, convert_to_pdf, fontconfig_env, soffice,
)

log = logging.getLogger("planner.pdf")

SCRIPT = Path(__file__).with_name("uno_convert.py")
START_SECONDS = 60  # a cold LibreOffice on a busy machine
# How long a running LibreOffice may take to accept a connection before it counts as hung and is started anew:
# long enough for a busy machine (a second was not), short enough that a hung one is replaced soon.
ANSWER_SECONDS = 10
NO_OFFICE, OFFICE_LOST = 3, 4  # exit statuses of uno_convert.py
UNO_PYTHONS = ("/usr/lib/libreoffice/program/python", "/usr/bin/python3")


@lru_cache(maxsize=1)
def uno_python() -> str | None:
    """A Python that can import `uno`: LibreOffice's own, or the system one with python3-uno."""
    for candidate in UNO_PYTHONS:
        if os.access(candidate, os.X_OK) and subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0:
            return candidate
    return None


class LibreOfficeWorker:
    """One headless LibreOffice with its profile in `folder`, started on first use and restarted if it died."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.profile_url = (self.folder / "profile").resolve().as_uri()
        self.pipe_name = "planner-" + hashlib.sha256(self.profile_url.encode()).hexdigest()[:24]
        self.conversions = 0  # conversions by this object, for tests and the benchmark
        self._started: subprocess.Popen | None = None

    @property
    def started_here(self) -> bool:
        """Whether this process started the LibreOffice (and so ends it at exit)."""
        return self._started is not None

    @property
    def _pid_file(self) -> Path:
        return self.folder / "soffice.pid"

    @property
    def pid(self) -> int | None:
        """The process id of the running LibreOffice (its launcher, which leads its process group)."""
        try:
            pid = int(self._pid_file.read_text())
        except (OSError, ValueError):
            return None
        if self._started is not None and self._started.pid == pid and self._started.poll() is not None:
            return None  # our own child that died (and is reaped now)
        try:  # a dead process or a reused pid has another (or an empty) command line
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return None
        return pid if self.profile_url.encode() in command else None

    def start(self) -> int:
        binary = soffice()
        if binary is None:
            raise PdfUnavailable("PDF needs LibreOffice")
        self.folder.mkdir(parents=True, exist_ok=True)
        # A killed LibreOffice leaves its profile lock behind, which would stop the next one.
        (self.folder / "profile" / ".lock").unlink(missing_ok=True)
        with open(self.folder / "soffice.log", "ab") as output:
            self._started = subprocess.Popen(
                [binary, f"-env:UserInstallation={self.profile_url}", "--headless", "--invisible", "--nologo",
                 "--norestore", "--nodefault", "--nolockcheck", f"--accept=pipe,name={self.pipe_name};urp;"],
                stdin=subprocess.DEVNULL, stdout=output, stderr=output, start_new_session=True,
                env={**os.environ, **fontconfig_env(str(self.folder))})
        self._pid_file.write_text(str(self._started.pid))
        log.info("started LibreOffice worker %s (pid %d)", self.folder, self._started.pid)
        return self._started.pid

    def stop(self) -> None:
        """End the LibreOffice of this folder (its whole process group)."""
        pid = self.pid
        if pid is not None and (self._started is None or self._started.pid != pid):
            _end_group(pid)
        if self._started is not None:
            _end_group(self._started.pid, self._started)
            self._started = None
        self._pid_file.unlink(missing_ok=True)
        # An ended LibreOffice leaves its pipe's socket file behind in /tmp.
        Path(f"/tmp/OSL_PIPE_{os.getuid()}_{self.pipe_name}").unlink(missing_ok=True)

    def convert(self, data: bytes, suffix: str) -> bytes:
        """Convert a .docx or .odt document to PDF (PDF/UA, as planner.exporters.pdf does)."""
        python = uno_python()
        if python is None:
            raise PdfUnavailable("the PDF worker needs Python's uno module (Debian: apt-get install python3-uno)")
        with tempfile.TemporaryDirectory(prefix="planner-pdf-") as folder:
            source, target = Path(folder) / f"document{suffix}", Path(folder) / "document.pdf"
            source.write_bytes(data)
            for attempt in (1, 2):
                fresh = self.pid is None
                if fresh:
                    self.stop()  # whatever is left of a dead one
                    self.start()
                status = self._run(python, source, target, START_SECONDS if fresh else ANSWER_SECONDS)
                if status == 0:
                    self.conversions += 1
                    return check_pdf(target)
                if status not in (NO_OFFICE, OFFICE_LOST):
                    raise PdfUnavailable(f"LibreOffice could not convert the document (status {status})")
                log.warning("LibreOffice worker %s did not answer (status %d); starting it again", self.folder, status)
                self.stop()
        # Twice no answer from a freshly started LibreOffice: the document still gets made, only slower.
        log.warning("LibreOffice worker %s failed twice; converting this document with a one-shot LibreOffice",
                    self.folder)
        return convert_to_pdf(data, suffix)

    def _run(self, python: str, source: Path, target: Path, connect_seconds: float) -> int:
        command = [python, str(SCRIPT), self.pipe_name, str(source), str(target),
                   json.dumps(EXPORT_OPTIONS), str(connect_seconds)]
        try:
            result = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            return OFFICE_LOST  # a hung LibreOffice: start a new one
        if result.returncode:
            log.warning("uno_convert ended with %s: %s", _status_text(result.returncode),
                        result.stderr.decode(errors="replace").strip()[-500:])
        if result.returncode < 0:  # the client died of a signal (its bridge to a dying LibreOffice): start anew
            return OFFICE_LOST
        return result.returncode


def _status_text(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"status {returncode}"


def _end_group(pid: int, child: subprocess.Popen | None = None) -> None:
    """SIGTERM the process group led by `pid`, SIGKILL whatever is left after a few seconds."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        if child is not None:
            child.wait()
        return
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if child is not None:
            child.poll()  # reap our own child, or its zombie keeps the group alive
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if child is not None:
        child.wait()
