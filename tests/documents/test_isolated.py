"""The isolated reader: the same text and refusals as reading in-process, and a hard stop
at the time limit (the process is gone, not left running)."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time

import pytest

from backend.documents import DocumentError, extract_text
from backend.documents.isolated import IsolatedParser, ParseLimits, lower_priority
from tests.data.documents import SENIOR_RESUME
from tests.data.hostile import slow_pdf

pytestmark = pytest.mark.timeout(120)


def test_same_text_and_same_refusals_as_in_process():
    parser = IsolatedParser()
    assert parser.parse(SENIOR_RESUME.encode(), "cv.txt") == extract_text(SENIOR_RESUME.encode())
    for data, name in ((b"", "cv.txt"), (b"\xff\xd8\xff\xe0" + b"\0" * 100, "cv.jpg"),
                       (b"%PDF-1.4\n garbage", "cv.pdf")):
        with pytest.raises(DocumentError) as in_process:
            extract_text(data, name)
        with pytest.raises(DocumentError) as isolated:
            parser.parse(data, name)
        assert str(isolated.value) == str(in_process.value)
        assert isolated.value.status_code == in_process.value.status_code


def test_a_slow_file_is_stopped_at_the_limit():
    parser = IsolatedParser(ParseLimits(time_s=3))
    started = time.monotonic()
    with pytest.raises(DocumentError, match="too long"):
        parser.parse(slow_pdf(), "cv.pdf")
    assert time.monotonic() - started < 10
    assert not multiprocessing.active_children(), "the reader was killed, not left running"


def test_closing_stops_a_read_in_progress():
    parser = IsolatedParser(ParseLimits(time_s=60))
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            parser.parse(slow_pdf(), "cv.pdf")
        except DocumentError as e:
            outcome.append(e)

    reading = threading.Thread(target=read)
    reading.start()
    deadline = time.monotonic() + 20
    while not multiprocessing.active_children():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    parser.close()
    reading.join(10)
    assert outcome and getattr(outcome[0], "status_code", None) == 503
    with pytest.raises(DocumentError):
        parser.parse(SENIOR_RESUME.encode(), "cv.txt")  # closed: no new readers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own nice value")
def test_the_uploads_threads_run_at_nice_10_and_lowering_again_keeps_it() -> None:
    """Linux: a thread's nice value is its own and a process it starts inherits it; lowering
    twice stays at 10 (a reader started from an uploads thread must not fall to 19)."""
    import os

    from backend.api.services import make_upload_executor
    from backend.documents.isolated import READER_NICE

    before = os.nice(0)
    pool = make_upload_executor()
    try:
        seen = pool.submit(lambda: os.nice(0)).result()
        again = pool.submit(lambda: (lower_priority(), os.nice(0))[1]).result()
    finally:
        pool.shutdown()
    assert seen == again == max(before, READER_NICE)
    assert os.nice(0) == before  # the server's own threads keep their priority
