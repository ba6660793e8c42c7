"""At most N PDF conversions at a time on this server, however many workers and threads ask for one.

A LibreOffice conversion takes seconds of CPU. Each conversion holds one of N lock files in the instance
folder (an exclusive `flock`, released by the kernel even when a worker dies). A request that finds every
slot taken waits up to `wait_seconds` for one and is then told politely to come back (`Busy`).
"""

from __future__ import annotations

import fcntl
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class Busy(Exception):
    """Every conversion slot stayed taken for the whole wait."""


class ConversionSlots:
    def __init__(self, folder: Path, count: int, wait_seconds: float, poll_seconds: float = 0.1):
        if count < 1:
            raise ValueError("at least one conversion slot is needed")
        self.paths = [folder / f"pdf-conversion-{n}.lock" for n in range(count)]
        self.wait_seconds, self.poll_seconds = wait_seconds, poll_seconds
        folder.mkdir(parents=True, exist_ok=True)

    def _try_each(self):
        for path in self.paths:
            handle = open(path, "a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            return handle
        return None

    @contextmanager
    def slot(self) -> Iterator[None]:
        deadline = time.monotonic() + self.wait_seconds
        handle = self._try_each()
        while handle is None:
            if time.monotonic() >= deadline:
                raise Busy
            time.sleep(self.poll_seconds)
            handle = self._try_each()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
