"""Worker processes: results and the project's errors come back; a hang is killed at its
time limit; a crash takes only its worker; closing stops them all. No Qt."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import jpeg_bytes
from viewer.errors import TimeLimitError
from viewer.imaging.pixels import DecodeError, load_display_image_sized
from viewer.isolation import ProcessPool, WorkerCrashError


def crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)  # what a decoder's memory error looks like


def hang(seconds: float) -> str:
    time.sleep(seconds)
    return "late"


def pid() -> int:
    return os.getpid()


def fail() -> None:
    raise ValueError("a bug in the worker")


@pytest.fixture
def pool() -> Iterator[ProcessPool]:
    processes = ProcessPool(2, time_limit=5.0, warm=True)
    deadline = time.monotonic() + 20
    while not processes.is_ready() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert processes.is_ready()
    yield processes
    processes.close()
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children(), "closing stops every worker"


def test_results_and_the_projects_errors_come_back(pool: ProcessPool, tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(jpeg_bytes(size=(300, 200)))
    image, size = pool.call("a.jpg", load_display_image_sized, photo, (150, 150))
    assert image.size == (150, 100) and size == (300, 200)
    assert pool.call("pid", pid) != os.getpid(), "it ran in another process"
    broken = tmp_path / "b.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 nothing more")
    with pytest.raises(DecodeError) as caught:
        pool.call("b.jpg", load_display_image_sized, broken, None)
    assert caught.value.path == broken and "damaged" in caught.value.reason
    with pytest.raises(ValueError, match="a bug in the worker"):
        pool.call("bug", fail)


def test_a_hang_is_killed_at_its_time_limit(pool: ProcessPool) -> None:
    start = time.monotonic()
    with pytest.raises(TimeLimitError, match=r"slow\.tif: took longer than 0\.3 seconds"):
        pool.call("slow.tif", hang, 30, time_limit=0.3)
    assert time.monotonic() - start < 2, "not waiting for the 30 s sleep"
    assert pool.replaced == 1
    assert len(multiprocessing.active_children()) <= pool.size, "the hung worker is gone"
    assert pool.call("after", hang, 0) == "late", "a fresh worker took its place"


def test_a_crash_takes_only_its_worker(pool: ProcessPool) -> None:
    with pytest.raises(WorkerCrashError, match=r"evil\.heic: reading this file made the decoder"):
        pool.call("evil.heic", crash)
    assert pool.replaced == 1
    assert pool.call("after", hang, 0) == "late", "the pool carries on"


def test_even_the_first_call_runs_in_a_worker() -> None:
    """A cold pool starts a worker for the first call and waits for it: no file is ever
    read in the app's own process."""
    cold = ProcessPool(2, time_limit=5.0)
    try:
        assert not cold.is_ready()
        assert cold.call("pid", pid) != os.getpid()
        assert cold.is_ready()
        assert cold.workers_running() == 1, "a second worker only when the first is busy"
    finally:
        cold.close()


def test_a_second_worker_starts_when_the_first_is_busy(pool: ProcessPool) -> None:
    import threading  # noqa: PLC0415

    busy = threading.Thread(target=pool.call, args=("busy", hang, 1.0))
    busy.start()
    try:
        assert pool.call("pid", pid) != os.getpid()
        assert pool.workers_running() == 2
    finally:
        busy.join()


def test_where_workers_cannot_start_calls_run_here() -> None:
    broken = ProcessPool(1, time_limit=5.0, preload_modules=["viewer.no_such_module"])
    try:
        assert broken.call("pid", pid) == os.getpid()
        assert not broken.is_ready()
    finally:
        broken.close()


def test_a_closed_pool_refuses_work(pool: ProcessPool) -> None:
    pool.call("pid", pid)
    pool.close()
    with pytest.raises(Exception, match="closing"):
        pool.call("pid", pid)


def test_closing_lets_a_waiting_caller_go_at_once(pool: ProcessPool) -> None:
    import threading  # noqa: PLC0415

    outcome: list[BaseException] = []

    def wait_for_hang() -> None:
        try:
            pool.call("stuck.jpg", hang, 30, time_limit=60)
        except Exception as exc:
            outcome.append(exc)

    caller = threading.Thread(target=wait_for_hang)
    caller.start()
    time.sleep(0.5)
    start = time.monotonic()
    pool.close()
    caller.join(timeout=5)
    assert not caller.is_alive() and time.monotonic() - start < 3
    assert outcome and "closing" in str(outcome[0])
