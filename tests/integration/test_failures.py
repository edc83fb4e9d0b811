"""Failures: bugs are logged and told once; slow files are given up on; no sockets."""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tests.builders import jpeg_bytes
from tests.hostile import png_claiming
from tests.integration.conftest import MakeWindow, wait_until_idle
from viewer.errors import TimeLimitError
from viewer.imaging.memory import DECODE_BUDGET, LARGE_DECODE_BUDGET
from viewer.logs import start_log
from viewer.model import files_gallery
from viewer.ui.crash import ProblemReporter
from viewer.ui.main_window import MainWindow
from viewer.ui.tasks import TaskResult, TaskRunner
from viewer.ui.workers import TimeLimits

# Each time a worker overruns its limit it is killed and replaced, and that is logged.
KILLED = r"killed after [\d.]+ s; the worker is replaced"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = start_log(tmp_path / "logs")
    assert path is not None
    yield path
    logger = logging.getLogger("photodesk")
    for handler in list(logger.handlers):  # the logger is process-wide: leave it as found
        logger.removeHandler(handler)
        handler.close()


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_is_logged_and_told_once(
    qtbot: QtBot, window: MainWindow, log_file: Path, expected_logs: list[str]
) -> None:
    expected_logs.append("^unexpected error$")  # the bug, logged with its traceback
    reporter = ProblemReporter(log_file, window)
    reporter.problem.connect(window.show_problem)
    hook_before = sys.excepthook
    reporter.install()
    try:

        def broken() -> None:
            raise RuntimeError("a slot that fails")

        for _ in range(3):
            QTimer.singleShot(0, broken)

        def logged() -> str:
            return log_file.read_text(encoding="utf-8") if log_file.exists() else ""

        qtbot.waitUntil(lambda: logged().count("Traceback") == 3)  # all three have failed
        qtbot.waitUntil(lambda: bool(window.messages.open_messages()))
        messages = window.messages.open_messages()
        assert len(messages) == 1, "the same bug is told once"
        text = messages[0].text()
        assert "carried on" in text and "RuntimeError: a slot that fails" in text
        assert str(log_file) in text
        messages[0].close()
        assert "a slot that fails" in logged()
        with qtbot.waitSignal(window.photo_shown, timeout=10_000):
            window.state.move_by(1)  # and the window still works
    finally:
        reporter.uninstall()
    assert sys.excepthook is hook_before, "the hook is given back"


def test_an_overrunning_task_is_given_up_and_the_rest_carry_on(
    qtbot: QtBot, expected_logs: list[str]
) -> None:
    expected_logs.append(r"gave up waiting for /photos/slow\.tif after 0\.2 s")
    runner = TaskRunner(max_threads=1)
    results: dict[str, TaskResult] = {}
    release = threading.Event()  # the slow task runs until the test lets it go
    try:
        runner.submit(
            lambda r: results.__setitem__("slow", r),
            "/photos/slow.tif",
            1,
            release.wait,
            30,
            time_limit=0.2,
        )
        runner.submit(lambda r: results.__setitem__("quick", r), "quick", 1, sum, [1, 2])
        qtbot.waitUntil(lambda: "quick" in results, timeout=5_000)
        assert "slow" in results, "given up on before the quick one could run"
        error = results["slow"].error
        assert isinstance(error, TimeLimitError) and "slow.tif" in str(error)
        assert results["quick"].value == 3
        assert runner.abandoned_count() == 1, "the quick task did not wait for the slow one"
        assert not runner.is_idle()
        release.set()
        qtbot.waitUntil(runner.is_idle, timeout=10_000)
        assert runner.abandoned_count() == 0
        assert isinstance(results["slow"].error, TimeLimitError), "its late result is dropped"
    finally:
        release.set()
        runner.shutdown()


def test_a_slow_first_photo_is_stopped_in_its_process(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow, expected_logs: list[str]
) -> None:
    """Every read happens in a worker process from the first photo on: a first photo
    that takes too long is stopped there, at its limit, and becomes an error tile."""
    from PIL import Image  # noqa: PLC0415

    expected_logs.append("a-slow.png: " + KILLED)
    slow = tmp_path / "a-slow.png"
    Image.new("L", (15_000, 15_000)).save(slow, compress_level=1)  # 225 MP to inflate
    quick = [tmp_path / f"b-{i}.jpg" for i in range(4)]
    for path in quick:
        path.write_bytes(jpeg_bytes())
    window = make_window(files_gallery(tmp_path, [slow, *quick]), limits=TimeLimits(file=0.1))
    assert "took longer than 0.1 seconds" in window.detail.photo_view.error_message()
    assert "a-slow.png" in window.detail.photo_view.error_message()
    pool = window.state.workers.pool
    assert pool.replaced >= 1, "the worker decoding it was killed"
    assert window.state.workers.runner.abandoned_count() == 0, "no thread is left on it"
    qtbot.waitUntil(window.visible_thumbnails_ready, timeout=10_000)
    model = window.state.model
    assert model.thumbnail_state(0) == "error"
    assert all(model.thumbnail_state(row) == "final" for row in range(1, 5))


def test_after_the_first_photo_a_slow_file_is_stopped_in_its_process(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow, expected_logs: list[str]
) -> None:
    from PIL import Image  # noqa: PLC0415

    expected_logs.append("b-slow.png: " + KILLED)
    quick = [tmp_path / f"a-quick-{i}.jpg" for i in range(3)]
    for path in quick:
        path.write_bytes(jpeg_bytes())
    slow = tmp_path / "b-slow.png"  # not a neighbour of the first: not decoded before
    Image.new("L", (15_000, 15_000)).save(slow, compress_level=1)
    window = make_window(files_gallery(tmp_path, [*quick, slow]), limits=TimeLimits(file=0.3))
    wait_until_idle(qtbot, window.state)  # its thumbnail is given up on first
    pool = window.state.workers.pool
    replaced = pool.replaced
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.go_to(3)
    assert "took longer than 0.3 seconds" in window.detail.photo_view.error_message()
    assert pool.replaced > replaced, "the worker decoding it was killed"
    assert window.state.workers.runner.abandoned_count() == 0, "no thread is left on it"


def test_a_decode_over_the_budget_waits_for_the_large_lane_or_is_refused(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    """Memory is checked from the file's header before anything is allocated: over the
    everyday budget, a picture is decoded in the large-decode lane (one at a time); over
    the large budget it is refused with the figures, naming the file."""
    from PIL import Image  # noqa: PLC0415

    first = tmp_path / "a-first.jpg"
    first.write_bytes(jpeg_bytes())
    large = tmp_path / "b-large.png"  # 49 MP of RGB: 187 MiB to decode
    Image.new("RGB", (7_000, 7_000), (30, 60, 90)).save(large, compress_level=1)
    enormous = tmp_path / "c-enormous.png"  # a small file claiming 225 MP of RGB: over 800 MiB
    enormous.write_bytes(png_claiming(15_000, 15_000))
    assert DECODE_BUDGET < 7_000 * 7_000 * 4 < LARGE_DECODE_BUDGET
    window = make_window(files_gallery(tmp_path, [first, large, enormous]))
    with qtbot.waitSignal(window.photo_shown, timeout=20_000):
        window.state.go_to(1)
    assert window.detail.photo_view.has_picture(), "shown through the large-decode lane"
    assert window.detail.photo_view.original_size().width() == 7_000
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.go_to(2)
    message = window.detail.photo_view.error_message()
    assert not window.detail.photo_view.has_picture()
    assert "c-enormous.png" in message
    budget = f"{LARGE_DECODE_BUDGET // 2**20} MiB"
    assert re.search(rf"would take 8\d\d MiB of memory, more than the {budget}", message)
    wait_until_idle(qtbot, window.state)
    model = window.state.model
    assert model.thumbnail_state(1) == "final"
    assert model.thumbnail_state(2) == "error"


_socket_events: list[str] = []
_recording = [False]


def _audit(event: str, _args: tuple[object, ...]) -> None:
    if _recording[0] and (
        event.startswith(("socket.", "http.", "urllib.")) or event == "ftplib.connect"
    ):
        _socket_events.append(event)


def _open_sockets() -> int:
    fds = Path("/proc/self/fd")
    if not fds.exists():
        return 0
    count = 0
    for fd in fds.iterdir():
        try:
            count += fd.readlink().as_posix().startswith("socket:")
        except OSError:
            continue
    return count


def test_no_network_connection_is_ever_made(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    """A whole session (story, folder, find, slideshow, export, about) opens no socket.
    The audit hook sees Python's sockets; the count of open socket descriptors catches
    any Qt or C library might open."""
    sys.addaudithook(_audit)  # hooks cannot be removed: it records only while asked to
    for i in range(3):
        (tmp_path / f"p{i}.jpg").write_bytes(jpeg_bytes())
    sockets_before = _open_sockets()
    _recording[0] = True
    try:
        from viewer.model import load_manifest  # noqa: PLC0415
        from viewer.resources import bundled_gallery_path  # noqa: PLC0415

        window = make_window(load_manifest(bundled_gallery_path()))
        with qtbot.waitSignal(window.photo_shown, timeout=10_000):
            window.state.open_path(tmp_path)
        qtbot.waitUntil(window.state.workers.pool.is_ready, timeout=10_000)
        window.state.move_by(1)
        window.open_find()
        window.find_bar.field.setText("p1")
        qtbot.waitUntil(window.state.find_index.reading_done, timeout=10_000)
        window.close_find()
        window.presentation.toggle_slideshow()
        window.presentation.toggle_slideshow()
        with qtbot.waitSignal(window.sharing.story_exported, timeout=20_000):
            window.sharing.export_story_to(tmp_path / "story.html")
        window.about_text()
        wait_until_idle(qtbot, window.state)
        for box in window.messages.open_messages():
            box.close()
        window.close()
        assert window.state.workers.close()
    finally:
        _recording[0] = False
    assert _socket_events == [], _socket_events
    assert _open_sockets() <= sockets_before
