"""Copying, the shortcut list, full screen with F, and the window remembered."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from viewer.ui.main_window import MainWindow


def test_copy_photo_and_caption(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().image()
    shown = window.detail.photo_view.current_image()
    assert shown is not None
    assert copied.size() == shown.size()
    qtbot.waitUntil(window.details_ready, timeout=10_000)
    qtbot.keyClick(
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    text = QApplication.clipboard().text()
    gallery = window.model.gallery()
    assert gallery is not None
    photo = gallery.photos[0]
    assert text == f"{photo.caption}\nCredit: {photo.credit}"


def test_f1_lists_every_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    boxes = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert len(boxes) == 1
    listing = boxes[0].text()
    for words in (
        "Ctrl+O",
        "Open Folder",
        "Zoom In",
        "Actual Pixels",
        "F11",
        "Info Panel",
        "Copy Caption and Credit",
        "Right",
        "Next Photo",
    ):
        assert words in listing, words
    boxes[0].close()


def test_f_toggles_full_screen(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F)
    qtbot.waitUntil(window.isFullScreen)
    qtbot.keyClick(window, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: not window.isFullScreen())


def test_the_window_is_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    ini = str(tmp_path / "settings.ini")
    first = MainWindow(settings=QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(first, before_close_func=lambda w: w.runner.wait_for_done(10_000))
    assert not first.restore_layout(), "nothing saved yet"
    first.resize(700, 600)  # within the offscreen screen (800 x 800), which restore clamps to
    first.show()
    first.splitter.setSizes([420, 150])
    qtbot.wait(50)
    sizes = first.splitter.sizes()
    first.close()
    second = MainWindow(settings=QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(second, before_close_func=lambda w: w.runner.wait_for_done(10_000))
    assert second.restore_layout()
    second.show()
    qtbot.waitUntil(lambda: second.size().width() == 700 and second.size().height() == 600)
    assert second.splitter.sizes() == sizes
    second.close()


def test_the_last_gallery_is_opened_again(qtbot: QtBot, tmp_path: Path) -> None:
    from tests.builders import jpeg_bytes  # noqa: PLC0415

    ini = str(tmp_path / "settings.ini")
    fresh = MainWindow(settings=QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(fresh, before_close_func=lambda w: w.runner.wait_for_done(10_000))
    fresh.show()
    with qtbot.waitSignal(fresh.photo_shown, timeout=10_000):
        fresh.open_last_or_bundled()
    assert fresh.windowTitle().startswith("Zhurong on Mars"), "first launch: the story"
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(jpeg_bytes())
    with qtbot.waitSignal(fresh.photo_shown, timeout=10_000):
        fresh.open_path(folder)
    qtbot.waitUntil(lambda: bool(fresh.recent()), timeout=5_000)
    fresh.close()
    again = MainWindow(settings=QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(again, before_close_func=lambda w: w.runner.wait_for_done(10_000))
    again.show()
    with qtbot.waitSignal(again.photo_shown, timeout=10_000):
        again.open_last_or_bundled()
    assert again.windowTitle().startswith("mine")
    again.close()
