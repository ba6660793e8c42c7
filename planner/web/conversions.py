"""At most N PDF conversions at a time on this server, however many workers and threads ask for one.

A LibreOffice conversion takes seconds of CPU. Each conversion holds one of N lock files in the instance
folder (an exclusive `flock`, released by the kernel even when a worker dies). A request that finds every
slot taken waits up to `wait_seconds` for one and is then told politely to come back (`Busy`).

Slot n has its own long-lived LibreOffice (planner.exporters.pdf_worker), shared by every web worker: whoever
holds the slot's lock converts with it, so no two conversions ever meet in one LibreOffice.
"""

from __future__ import annotations

import fcntl
import logging
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from planner.exporters.pdf import convert_to_pdf
from planner.exporters.pdf_worker import LibreOfficeWorker, uno_python

log = logging.getLogger("planner.pdf")

Converter = Callable[[bytes, str], bytes]


class Busy(Exception):
    """Every conversion slot stayed taken for the whole wait."""


class ConversionSlots:
    def __init__(self, folder: Path, count: int, wait_seconds: float, poll_seconds: float = 0.1):
        if count < 1:
            raise ValueError("at least one conversion slot is needed")
        self.paths = [folder / f"pdf-conversion-{n}.lock" for n in range(count)]
        self.wait_seconds, self.poll_seconds = wait_seconds, poll_seconds
        folder.mkdir(parents=True, exist_ok=True)

    def _try(self, index: int):
        handle = open(self.paths[index], "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        return handle

    def _hold(self, indexes: range, wait_seconds: float) -> Iterator[int]:
        deadline = time.monotonic() + wait_seconds
        while True:
            for index in indexes:
                handle = self._try(index)
                if handle is not None:
                    try:
                        yield index
                    finally:
                        fcntl.flock(handle, fcntl.LOCK_UN)
                        handle.close()
                    return
            if time.monotonic() >= deadline:
                raise Busy
            time.sleep(self.poll_seconds)

    @contextmanager
    def slot(self) -> Iterator[int]:
        """Hold any free slot (waiting up to `wait_seconds`); give its number."""
        yield from self._hold(range(len(self.paths)), self.wait_seconds)

    @contextmanager
    def hold(self, index: int, wait_seconds: float) -> Iterator[int]:
        """Hold slot `index` itself."""
        yield from self._hold(range(index, index + 1), wait_seconds)


class PdfConversions:
    """PDF conversions limited by `slots`, each with the LibreOffice worker of its slot."""

    def __init__(self, slots: ConversionSlots, folder: Path):
        self.slots = slots
        self.workers = [LibreOfficeWorker(folder / str(n)) for n in range(len(slots.paths))]
        # At exit (or when this object goes), end the LibreOffices this process started.
        weakref.finalize(self, _stop_started, slots, self.workers)

    @property
    def conversions(self) -> int:
        return sum(worker.conversions for worker in self.workers)

    @contextmanager
    def converter(self) -> Iterator[Converter]:
        """Hold a conversion slot (or raise Busy) and give the function that converts with its worker."""
        with self.slots.slot() as index:
            # Without python3-uno no worker can be driven: convert one-shot, as slowly as before.
            yield self.workers[index].convert if uno_python() is not None else convert_to_pdf

    def stop(self) -> None:
        _stop_started(self.slots, self.workers)


def _stop_started(slots: ConversionSlots, workers: list[LibreOfficeWorker]) -> None:
    for index, worker in enumerate(workers):
        if worker.started_here:
            try:  # let a conversion by another web worker finish first
                with slots.hold(index, wait_seconds=10):
                    worker.stop()
            except Busy:
                worker.stop()
