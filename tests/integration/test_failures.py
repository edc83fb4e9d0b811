"""Failures: bugs are logged and told once; slow files are given up on; no sockets."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.builders import jpeg_bytes
from viewer.errors import TimeLimitError
from viewer.logs import start_log
from viewer.model import files_gallery
from viewer.ui.crash import ProblemReporter
from viewer.ui.main_window import MainWindow
from viewer.ui.tasks import TaskResult, TaskRunner

from .conftest import open_window


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = start_log(tmp_path / "logs")
    assert path is not None
    yield path
    logger = logging.getLogger("photodesk")
    for handler in list(logger.handlers):  # the logger is process-wide: leave it as found
        logger.removeHandler(handler)
        handler.close()


def _visible_messages() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_is_logged_and_told_once(
    qtbot: QtBot, window: MainWindow, log_file: Path
) -> None:
    reporter = ProblemReporter(log_file, window)
    reporter.problem.connect(window.show_problem)
    reporter.install()
    try:

        def broken() -> None:
            raise RuntimeError("a slot that fails")

        for _ in range(3):
            QTimer.singleShot(0, broken)
        qtbot.waitUntil(lambda: bool(_visible_messages()))
        qtbot.wait(100)
        messages = _visible_messages()
        assert len(messages) == 1, "the same bug is told once"
        text = messages[0].text()
        assert "carried on" in text and "RuntimeError: a slot that fails" in text
        assert str(log_file) in text
        messages[0].close()
        logged = log_file.read_text(encoding="utf-8")
        assert logged.count("Traceback") == 3 and "a slot that fails" in logged
        with qtbot.waitSignal(window.photo_shown, timeout=10_000):
            window.move_by(1)  # and the window still works
    finally:
        reporter.uninstall()
    assert sys.excepthook is not reporter._on_exception


def test_an_overrunning_task_is_given_up_and_the_rest_carry_on(qtbot: QtBot) -> None:
    from viewer.ui.tasks import WATCHDOG_GRACE  # noqa: PLC0415

    runner = TaskRunner(max_threads=1)
    results: dict[str, TaskResult] = {}
    try:
        start = time.monotonic()
        runner.submit(
            lambda r: results.__setitem__("slow", r),
            "/photos/slow.tif",
            1,
            time.sleep,
            WATCHDOG_GRACE + 2.5,
            time_limit=0.2,
        )
        runner.submit(lambda r: results.__setitem__("quick", r), "quick", 1, sum, [1, 2])
        qtbot.waitUntil(lambda: "quick" in results, timeout=5_000)
        assert "slow" in results, "given up on before the quick one could run"
        error = results["slow"].error
        assert isinstance(error, TimeLimitError) and "slow.tif" in str(error)
        assert results["quick"].value == 3
        elapsed = time.monotonic() - start
        assert elapsed < WATCHDOG_GRACE + 1.5, "the quick task did not wait for the slow one"
        assert runner.abandoned_count() == 1
        qtbot.waitUntil(runner.is_idle, timeout=10_000)
        assert isinstance(results["slow"].error, TimeLimitError), "its late result is dropped"
    finally:
        runner.shutdown()


def test_a_slow_file_becomes_an_error_tile(qtbot: QtBot, tmp_path: Path) -> None:
    from PIL import Image  # noqa: PLC0415

    slow = tmp_path / "a-slow.png"
    Image.new("L", (15_000, 15_000)).save(slow, compress_level=1)  # 225 MP to inflate
    quick = [tmp_path / f"b-{i}.jpg" for i in range(4)]
    for path in quick:
        path.write_bytes(jpeg_bytes())
    window = MainWindow(time_limit=0.1)  # given up at 0.6 s; the decode takes 1 s or more
    window.resize(1200, 800)
    qtbot.addWidget(window, before_close_func=lambda w: w.runner.wait_for_done(60_000))
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.set_gallery(files_gallery(tmp_path, [slow, *quick]))
        window.show()
    # the first photo is read in a thread (worker processes start after it is shown)
    assert "took longer than 0.1 seconds" in window.detail.photo_view.error_message()
    qtbot.waitUntil(window.visible_thumbnails_ready, timeout=10_000)
    assert window.model.thumbnail_state(0) == "error"
    assert all(window.model.thumbnail_state(row) == "final" for row in range(1, 5))
    window.close()


def test_after_the_first_photo_a_slow_file_is_stopped_in_its_process(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from PIL import Image  # noqa: PLC0415

    quick = [tmp_path / f"a-quick-{i}.jpg" for i in range(3)]
    for path in quick:
        path.write_bytes(jpeg_bytes())
    slow = tmp_path / "b-slow.png"  # not a neighbour of the first: not decoded before
    Image.new("L", (15_000, 15_000)).save(slow, compress_level=1)
    window = MainWindow(time_limit=0.3)
    window.resize(1200, 800)
    qtbot.addWidget(window, before_close_func=lambda w: w.runner.wait_for_done(60_000))
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.set_gallery(files_gallery(tmp_path, [*quick, slow]))
        window.show()
    qtbot.waitUntil(window.processes.is_ready, timeout=10_000)
    qtbot.waitUntil(window.runner.is_idle, timeout=30_000)
    replaced = window.processes.replaced
    start = time.monotonic()
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.go_to(3)
    assert "took longer than 0.3 seconds" in window.detail.photo_view.error_message()
    assert time.monotonic() - start < 1.2, "stopped at its limit, not at the thread's"
    assert window.processes.replaced > replaced, "the worker decoding it was killed"
    assert window.runner.abandoned_count() == 0, "no thread is left working on it"
    window.close()


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


def test_no_network_connection_is_ever_made(qtbot: QtBot, tmp_path: Path) -> None:
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

        window = open_window(qtbot, load_manifest(bundled_gallery_path()))
        with qtbot.waitSignal(window.photo_shown, timeout=10_000):
            window.open_path(tmp_path)
        qtbot.waitUntil(window.processes.is_ready, timeout=10_000)  # worker processes too
        window.move_by(1)
        window.finder.open()
        window.find_bar.field.setText("p1")
        qtbot.waitUntil(window.finder.reading_done, timeout=10_000)
        window.finder.close()
        window.toggle_slideshow()
        window.toggle_slideshow()
        with qtbot.waitSignal(window.story_exported, timeout=20_000):
            window.export_story_to(tmp_path / "story.html")
        window.about_text()
        qtbot.waitUntil(window.runner.is_idle, timeout=10_000)
        for box in _visible_messages():
            box.close()
        window.close()
    finally:
        _recording[0] = False
    assert _socket_events == [], _socket_events
    assert _open_sockets() <= sockets_before
