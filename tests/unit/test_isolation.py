"""Worker processes: results and the project's errors come back; a hang is killed at its
time limit; a crash takes only its worker; closing stops them all. No Qt."""

from __future__ import annotations

import os
import select
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import jpeg_bytes
from tests.processes import loaded_modules, wait_for_no_workers, worker_processes
from viewer.errors import TimeLimitError
from viewer.imaging.pixels import DecodeError, load_display_image_sized
from viewer.isolation import ProcessPool, WorkerCrashError

SAFETY = 60.0  # seconds: only a broken pool ever waits this long


def crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)  # what a decoder's memory error looks like


def hang(seconds: float) -> str:
    time.sleep(seconds)  # the hang under test, in the worker
    return "late"


def pid() -> int:
    return os.getpid()


def fail() -> None:
    raise ValueError("a bug in the worker")


def busy_until_released(started: Path, release: Path) -> str:
    """Say through the FIFO ``started`` that the task runs, then wait for a byte on ``release``."""
    with open(started, "wb") as told:
        told.write(b"x")
    with open(release, "rb") as released:
        released.read(1)
    return "released"


def hang_after_telling(started: Path, seconds: float) -> str:
    with open(started, "wb") as told:
        told.write(b"x")
    return hang(seconds)


class Started:
    """The reading end of a FIFO a worker writes to when its task has begun."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self._fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # before any writer

    def wait(self) -> None:
        readable, _, _ = select.select([self._fd], [], [], SAFETY)
        assert readable, "the task never started"
        assert os.read(self._fd, 1) == b"x"

    def close(self) -> None:
        os.close(self._fd)


def stop_and_check_no_worker_is_left(processes: ProcessPool) -> None:
    processes.close()
    for thread in threading.enumerate():
        if thread.name == "photodesk-start":  # a worker starting as the pool closed
            thread.join(SAFETY)
    assert not wait_for_no_workers(1.0), "closing stops every worker (sooner than idleness)"


@pytest.fixture
def pool() -> Iterator[ProcessPool]:
    """A pool of two with one worker started and ready (the first call waits for it)."""
    processes = ProcessPool(2, time_limit=5.0)
    assert processes.call("ready", pid) != os.getpid()
    assert processes.is_ready() and processes.workers_running() == 1
    yield processes
    stop_and_check_no_worker_is_left(processes)


def test_a_warm_pool_starts_its_first_worker_without_being_asked() -> None:
    warm = ProcessPool(2, time_limit=5.0, warm=True)
    try:
        assert warm.workers_running() == 1, "started as the pool is made, before any call"
        assert warm.call("pid", pid) != os.getpid()
        assert warm.is_ready()
    finally:
        stop_and_check_no_worker_is_left(warm)


def test_results_and_the_projects_errors_come_back(
    pool: ProcessPool, tmp_path: Path, expected_logs: list[str]
) -> None:
    expected_logs.append(r"unexpected error in a worker process \(bug\)")
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


def test_a_hang_is_killed_at_its_time_limit(pool: ProcessPool, expected_logs: list[str]) -> None:
    expected_logs.append(r"slow\.tif: killed after 0\.3 s")
    hung = pool.call("pid", pid)  # the pool's one worker, which takes the next task too
    # Waiting for the sleep would have given "late", not the error.
    with pytest.raises(TimeLimitError, match=r"slow\.tif: took longer than 0\.3 seconds"):
        pool.call("slow.tif", hang, 3600, time_limit=0.3)
    assert pool.replaced == 1
    with pytest.raises(ProcessLookupError):
        os.kill(hung, 0)  # killed and reaped, not left running
    assert hung not in worker_processes(), "the hung worker is gone"
    assert pool.call("after", hang, 0) == "late", "a fresh worker took its place"


def test_a_crash_takes_only_its_worker(pool: ProcessPool, expected_logs: list[str]) -> None:
    expected_logs.append(r"evil\.heic: the worker died")
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


def test_a_second_worker_starts_when_the_first_is_busy(pool: ProcessPool, tmp_path: Path) -> None:
    started = Started(tmp_path / "started")
    release = tmp_path / "release"
    os.mkfifo(release)
    outcome: list[str] = []

    def run_busy() -> None:
        outcome.append(pool.call("busy", busy_until_released, started.path, release))

    busy = threading.Thread(target=run_busy, daemon=True)
    busy.start()
    try:
        started.wait()  # the first worker has the busy task
        assert pool.workers_running() == 1
        assert pool.call("pid", pid) != os.getpid()
        assert pool.workers_running() == 2
    finally:
        with open(release, "wb") as releasing:
            releasing.write(b"x")
        busy.join(SAFETY)
        started.close()
    assert outcome == ["released"]


def test_where_workers_cannot_start_calls_run_here(expected_logs: list[str]) -> None:
    expected_logs.append("a worker process could not start: .*no_such_module")
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


def test_closing_lets_a_waiting_caller_go_at_once(pool: ProcessPool, tmp_path: Path) -> None:
    started = Started(tmp_path / "started")
    outcome: list[BaseException] = []

    def wait_for_hang() -> None:
        try:
            pool.call("stuck.jpg", hang_after_telling, started.path, 3600, time_limit=7200)
        except Exception as exc:
            outcome.append(exc)

    caller = threading.Thread(target=wait_for_hang, daemon=True)
    caller.start()
    started.wait()
    started.close()
    pool.close()
    caller.join(SAFETY)  # an hour's hang and a two-hour limit: only closing frees it
    assert not caller.is_alive()
    assert outcome and "closing" in str(outcome[0])


def test_a_worker_loads_only_what_its_tasks_need() -> None:
    """A worker is not a copy of the app: neither Qt, nor multiprocessing, nor the app's
    start-up code is in it, and no helper process runs beside it."""
    lean = ProcessPool(2, time_limit=5.0)
    try:
        loaded = lean.call("modules", loaded_modules)  # its first task: nothing else loaded
        assert "PIL.Image" in loaded, "the decoder is preloaded for the first photo"
        for heavy in ("PySide6", "multiprocessing", "viewer.app", "viewer.metadata", "argparse"):
            assert heavy not in loaded
        assert worker_processes() == lean.worker_ids(), "the worker, no other child process"
    finally:
        stop_and_check_no_worker_is_left(lean)


def test_an_idle_worker_stops_and_the_next_call_starts_one() -> None:
    quick = ProcessPool(2, time_limit=5.0, idle_limit=0.3)
    try:
        first = quick.call("pid", pid)
        assert first != os.getpid()
        assert not wait_for_no_workers(SAFETY), "idle for 0.3 s: stopped"
        assert quick.workers_running() == 0 and quick.retired == 1
        second = quick.call("pid", pid)
        assert second not in (first, os.getpid()), "a new worker, never the app itself"
    finally:
        stop_and_check_no_worker_is_left(quick)


def test_a_busy_worker_is_not_stopped_for_idleness(tmp_path: Path) -> None:
    quick = ProcessPool(1, time_limit=5.0, idle_limit=0.2)
    started = Started(tmp_path / "started")
    release = tmp_path / "release"
    os.mkfifo(release)
    outcome: list[str] = []
    busy = threading.Thread(
        target=lambda: outcome.append(
            quick.call("busy", busy_until_released, started.path, release)
        ),
        daemon=True,
    )
    busy.start()
    try:
        started.wait()
        time.sleep(0.6)  # three idle limits, working all along
        assert quick.retired == 0 and quick.workers_running() == 1
    finally:
        with open(release, "wb") as releasing:
            releasing.write(b"x")
        busy.join(SAFETY)
        started.close()
        stop_and_check_no_worker_is_left(quick)
    assert outcome == ["released"]


def test_the_worker_started_with_the_app_has_the_metadata_readers_loaded() -> None:
    """The first photo's details must not wait for the readers to load; a worker started
    later for thumbnails does not load them before it needs them."""
    warm = ProcessPool(1, time_limit=5.0, warm=True)
    cold = ProcessPool(1, time_limit=5.0)
    try:
        assert "viewer.metadata.reader" in warm.call("modules", loaded_modules)
        assert "viewer.metadata.reader" not in cold.call("modules", loaded_modules)
    finally:
        cold.close()
        stop_and_check_no_worker_is_left(warm)
