"""Qt fixtures: one way to build the real window, offscreen, drained and closed after
every test; a test that leaves work running, a window open or a worker process alive
fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from tests.processes import wait_for_no_workers
from viewer.imaging.thumbcache import ThumbnailCache
from viewer.model import Gallery, load_manifest
from viewer.resources import bundled_gallery_path
from viewer.ui.detail_pane import SOFT_BREAK
from viewer.ui.main_window import MainWindow
from viewer.ui.preferences import Preferences
from viewer.ui.state import ViewerState
from viewer.ui.workers import TimeLimits, Workers

IDLE_TIMEOUT_MS = 20_000
MakeWindow = Callable[..., MainWindow]


@pytest.fixture(autouse=True)
def _no_window_left_open(qapp: QApplication) -> Iterator[None]:
    """A test fails if it leaves a visible top-level window or a worker process behind."""
    yield
    left = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in left:
        widget.close()
    assert not left, f"windows left open: {[w.objectName() or type(w).__name__ for w in left]}"
    # Closing kills the workers at once; a wait as long as IDLE_LIMIT would let a leaked
    # pool's idle workers stop by themselves and hide the leak.
    assert not wait_for_no_workers(1.0), "worker processes were left running"


def wait_until_idle(qtbot: QtBot, state: ViewerState, timeout: int = IDLE_TIMEOUT_MS) -> None:
    """Wait on the state's idle signal until no work is pending (background work may
    queue more after an idle moment, so it is asked again)."""
    while not state.is_idle():
        with qtbot.waitSignal(state.idle, timeout=timeout):
            pass


def shown_text(label: QLabel) -> str:
    """What a label shows, without the invisible places a long word may break."""
    return label.text().replace(SOFT_BREAK, "")


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[MakeWindow]:
    """Build the real window: ``make_window(gallery, settings=..., cache=..., limits=...)``.

    With a gallery, the window is shown and the first photo painted before it returns.
    After the test, each window must become idle (its work drained) within
    IDLE_TIMEOUT_MS; it is then closed and its workers stopped.
    """
    made: list[MainWindow] = []

    def make(
        gallery: Gallery | None = None,
        *,
        settings: QSettings | None = None,
        cache: ThumbnailCache | None = None,
        limits: TimeLimits | None = None,
        size: tuple[int, int] = (1200, 800),
    ) -> MainWindow:
        workers = Workers(limits)
        preferences = Preferences(settings)
        state = ViewerState(workers, cache, preferences.thumbnail_size())
        window = MainWindow(state, preferences)
        window.resize(*size)
        made.append(window)  # closed here, after its work is drained (not by qtbot)
        if gallery is not None:
            with qtbot.waitSignal(window.photo_shown, timeout=10_000):
                state.set_gallery(gallery)
                window.show()
        return window

    yield make
    stopped = True
    try:
        for window in made:
            wait_until_idle(qtbot, window.state)
    finally:
        for window in made:
            # A test that failed half-way must not leave a question on screen at close.
            if window.stories.session.is_dirty():
                window.stories.session.discard()
            if window.desk.is_dirty():
                window.desk.edits().discard()
            window.close()
            stopped = window.state.workers.close() and stopped
            window.deleteLater()
    assert stopped, "a thread was still busy when the workers were closed"


@pytest.fixture
def window(make_window: MakeWindow) -> MainWindow:
    """The main window on the bundled Zhurong story, with its first photo painted."""
    return make_window(load_manifest(bundled_gallery_path()))


def manifest_for(path: Path) -> Gallery:
    """The gallery of a manifest (loaded here, in the test's thread)."""
    return load_manifest(path)


def opened_window(qtbot: QtBot, make_window: MakeWindow, path: Path) -> MainWindow:
    """A window on ``path`` (a folder, a photo, a story), its details read, active."""
    window = make_window()
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.open_path(path)
        window.show()
    qtbot.waitUntil(window.state.details_ready, timeout=10_000)
    window.activateWindow()  # window shortcuts need an active window
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    return window


def click_later(button_text: str) -> list[str]:
    """Click the button named ``button_text`` of the next modal question, as a person
    would; the questions' texts are collected in the list returned."""
    asked: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        asked.append(box.text())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no {button_text} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, click)
    return asked


def press_enter_later() -> list[str]:
    """Press Enter in the next modal dialog (what it proposes is accepted); its text (or
    title) is collected in the list returned."""
    asked: list[str] = []

    def press() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, press)
            return
        asked.append(dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle())
        QTest.keyClick(dialog, Qt.Key.Key_Return)

    QTimer.singleShot(0, press)
    return asked
