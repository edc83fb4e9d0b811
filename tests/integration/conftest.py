"""Qt fixtures: a real MainWindow, offscreen, drained and closed after every test."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from viewer.model import Gallery, load_manifest
from viewer.resources import bundled_gallery_path
from viewer.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _no_window_left_open(qapp: QApplication) -> Iterator[None]:
    """A test fails if it leaves a visible top-level window behind."""
    yield
    left = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in left:
        widget.close()
    assert not left, f"windows left open: {[w.objectName() or type(w).__name__ for w in left]}"
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.02)  # a closed window's worker processes are on their way out
    assert not multiprocessing.active_children(), "worker processes were left running"


def open_window(qtbot: QtBot, gallery: Gallery) -> MainWindow:
    window = MainWindow()
    window.resize(1200, 800)
    qtbot.addWidget(window, before_close_func=_drain)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.set_gallery(gallery)
        window.show()
    return window


def _drain(window: MainWindow) -> None:
    # Let queued results land, then prove the pool is idle before the window goes away.
    assert window.runner.wait_for_done(10_000), "the thread pool is still busy"
    QApplication.processEvents()


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    """The main window on the bundled Zhurong story, with its first photo painted."""
    win = open_window(qtbot, load_manifest(bundled_gallery_path()))
    yield win
    win.close()
    assert win.runner.is_idle(), "tasks were still queued when the window closed"


@pytest.fixture
def wait_idle(qtbot: QtBot) -> object:
    def wait(window: MainWindow) -> None:
        qtbot.waitUntil(window.runner.is_idle, timeout=10_000)

    return wait


def manifest_for(path: Path) -> Gallery:
    return load_manifest(path)
