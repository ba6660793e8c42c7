import datetime as dt
import os
import signal
import subprocess

import pytest

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plan_document import plan_document
from planner.domain.plans import get_plan
from planner.exporters.odt import render_odt
from planner.exporters.pdf import convert_to_pdf
from planner.exporters.pdf_worker import LibreOfficeWorker
from tests.exporters.test_documents import needs_libreoffice

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def worker(tmp_path):
    worker = LibreOfficeWorker(tmp_path / "libreoffice")
    yield worker
    worker.stop()


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


@needs_libreoffice
def test_the_worker_is_reused_and_started_again_when_it_was_killed(demo_session, worker):
    document = render_odt(plan_document(get_plan(demo_session, MUNICIPAL_SLUG), TODAY))
    first = worker.convert(document, ".odt")
    pid = worker.pid
    assert first.startswith(b"%PDF") and pid is not None
    assert worker.convert(document, ".odt").startswith(b"%PDF") and worker.pid == pid
    os.killpg(pid, signal.SIGKILL)  # LibreOffice crashes, or the kernel ends it for lack of memory
    again = worker.convert(document, ".odt")
    assert again.startswith(b"%PDF") and worker.pid not in (None, pid) and worker.conversions == 3
    assert "Week tegen Kindermishandeling" in pdf_text(again)
    worker.stop()
    assert worker.pid is None and not os.path.exists(f"/proc/{pid}")
    assert not os.path.exists(f"/tmp/OSL_PIPE_{os.getuid()}_{worker.pipe_name}")  # nothing left behind


@needs_libreoffice
def test_the_worker_makes_the_same_tagged_pdf_as_a_one_shot_conversion(demo_session, worker):
    document = render_odt(plan_document(get_plan(demo_session, MUNICIPAL_SLUG), TODAY))
    through_worker, one_shot = worker.convert(document, ".odt"), convert_to_pdf(document, ".odt")
    assert pdf_text(through_worker) == pdf_text(one_shot)
    info = subprocess.run(["pdfinfo", "-"], input=through_worker, capture_output=True, check=True).stdout.decode()
    assert "Tagged:          yes" in info


@needs_libreoffice
def test_a_worker_whose_connection_keeps_crashing_still_gives_the_pdf(demo_session, worker, tmp_path, monkeypatch,
                                                                      caplog):
    """The UNO client dying of a signal twice (seen once in CI) falls back to a one-shot conversion."""
    import planner.exporters.pdf_worker as pdf_worker

    crashing = tmp_path / "crashing_client.py"
    crashing.write_text("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n")
    monkeypatch.setattr(pdf_worker, "SCRIPT", crashing)  # a fault injected at the process boundary
    document = render_odt(plan_document(get_plan(demo_session, MUNICIPAL_SLUG), TODAY))
    data = worker.convert(document, ".odt")
    assert "Week tegen Kindermishandeling" in pdf_text(data) and worker.conversions == 0
    messages = [record.getMessage() for record in caplog.records]
    assert sum("signal SIGSEGV" in message for message in messages) == 2
    assert any("one-shot" in message for message in messages)


def test_without_libreoffice_the_worker_says_so(worker, monkeypatch):
    from planner.exporters.pdf import PdfUnavailable

    monkeypatch.setenv("PATH", "/nonexistent")  # the machine without LibreOffice, not a mock of our code
    with pytest.raises(PdfUnavailable):
        worker.convert(b"any document", ".odt")
    assert worker.pid is None and worker.conversions == 0
