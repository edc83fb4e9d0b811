"""Copying, the shortcut list, full screen with F, and the window remembered."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.integration.conftest import MakeWindow
from viewer.ui.main_window import MainWindow


def test_copy_photo_and_caption(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().image()
    shown = window.detail.photo_view.current_image()
    assert shown is not None
    assert copied.size() == shown.size()
    qtbot.waitUntil(window.state.details_ready, timeout=10_000)
    qtbot.keyClick(
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    text = QApplication.clipboard().text()
    gallery = window.state.gallery()
    assert gallery is not None
    photo = gallery.photos[0]
    assert text == f"{photo.caption}\nCredit: {photo.credit}"


def test_f1_lists_every_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    boxes = window.messages.open_messages()
    assert len(boxes) == 1
    assert boxes[0].isVisible()
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


def test_the_window_is_remembered(qtbot: QtBot, tmp_path: Path, make_window: MakeWindow) -> None:
    ini = str(tmp_path / "settings.ini")
    first = make_window(settings=QSettings(ini, QSettings.Format.IniFormat))
    assert not first.restore_layout(), "nothing saved yet"
    first.resize(700, 600)  # within the offscreen screen (800 x 800), which restore clamps to
    first.show()
    qtbot.waitExposed(first)  # laid out: nothing moves the divider after this
    laid_out = first.splitter.sizes()
    first.splitter.setSizes([420, 150])
    sizes = first.splitter.sizes()
    assert sizes != laid_out, "the divider was moved"
    first.close()
    second = make_window(settings=QSettings(ini, QSettings.Format.IniFormat))
    assert second.restore_layout()
    second.show()
    qtbot.waitUntil(lambda: second.size().width() == 700 and second.size().height() == 600)
    assert second.splitter.sizes() == sizes


def open_at_start(window: MainWindow) -> None:
    """What viewer/app.py opens when started without a path: the most recent gallery if
    it is still there, else the bundled story (the rule has no home a test can call)."""
    last = next(iter(window.preferences.recent()), None)
    if last is not None and last.exists():
        window.state.open_path(last, fallback=True)
    else:
        window.state.open_bundled_story()


def test_the_last_gallery_is_opened_again(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    from tests.builders import jpeg_bytes  # noqa: PLC0415

    ini = str(tmp_path / "settings.ini")
    fresh = make_window(settings=QSettings(ini, QSettings.Format.IniFormat))
    fresh.show()
    with qtbot.waitSignal(fresh.photo_shown, timeout=10_000):
        open_at_start(fresh)
    assert fresh.windowTitle().startswith("Zhurong on Mars"), "first launch: the story"
    assert fresh.preferences.recent() == [], "the bundled story is not a recent gallery"
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(jpeg_bytes())
    with qtbot.waitSignal(fresh.photo_shown, timeout=10_000):
        fresh.state.open_path(folder)
    qtbot.waitUntil(lambda: bool(fresh.preferences.recent()), timeout=5_000)
    fresh.close()
    again = make_window(settings=QSettings(ini, QSettings.Format.IniFormat))
    again.show()
    with qtbot.waitSignal(again.photo_shown, timeout=10_000):
        open_at_start(again)
    assert again.windowTitle().startswith("mine")
