"""Slideshow, Find, thumbnail size and position, export, folder, About, settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.builders import jpeg_bytes
from tests.integration.conftest import open_window
from viewer.metadata import iptc
from viewer.model import files_gallery, load_manifest
from viewer.ui.main_window import MainWindow
from viewer.ui.strip import THUMB_SIZES

MakeGallery = Callable[..., Path]


def _close_messages() -> list[str]:
    texts = []
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            texts.append(widget.text())
            widget.close()
    return texts


# --- slideshow ------------------------------------------------------------------------


def test_slideshow_runs_full_screen_with_captions_pauses_and_ends(
    qtbot: QtBot, make_gallery: MakeGallery
) -> None:
    window = open_window(qtbot, load_manifest(make_gallery(3)))
    window.slideshow.set_interval(1)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.slideshow.is_running()
    qtbot.waitUntil(window.isFullScreen)
    assert not window.strip_panel.isVisible() and not window.detail.info_column.isVisible()
    overlay = window.slideshow.overlay
    assert overlay.isVisible()
    assert overlay.text() == "Photo 1\nCaption 1\nCredit: Credit 1"
    assert window.detail.photo_view.rect().contains(overlay.geometry())
    qtbot.waitUntil(lambda: window.current_row() == 1, timeout=3_000)
    assert overlay.text().startswith("Photo 2")

    qtbot.keyClick(window, Qt.Key.Key_Space)  # pause
    assert window.slideshow.is_paused()
    assert overlay.text().startswith("Paused")
    qtbot.wait(1_600)
    assert window.current_row() == 1, "paused: no advance"
    qtbot.keyClick(window, Qt.Key.Key_C)  # captions off: only the pause note stays
    assert "Caption" not in overlay.text()
    qtbot.keyClick(window, Qt.Key.Key_C)
    qtbot.keyClick(window, Qt.Key.Key_Space)  # resume
    qtbot.waitUntil(lambda: window.current_row() == 2, timeout=3_000)
    qtbot.waitUntil(lambda: window.current_row() == 0, timeout=3_000)  # round again

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.slideshow.is_running()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.strip_panel.isVisible() and window.detail.info_column.isVisible()
    assert not overlay.isVisible()
    row = window.current_row()
    qtbot.wait(1_300)
    assert window.current_row() == row, "stopped: no advance"
    window.close()


def test_captions_from_the_file_reach_the_slideshow(qtbot: QtBot, tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(jpeg_bytes(iptc_fields=[(iptc.CAPTION, "Said by the file")]))
    window = open_window(qtbot, files_gallery(tmp_path, [photo]))
    qtbot.waitUntil(window.details_ready, timeout=10_000)
    window.toggle_slideshow()
    assert "Said by the file" in window.slideshow.overlay.text()
    window.toggle_slideshow()
    window.close()


# --- find -----------------------------------------------------------------------------


def _keyword_folder(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "find"
    folder.mkdir()
    entries = [
        ("harbour.jpg", "Boats in the Harbour at dawn", ["sea", "boats"]),
        ("market.jpg", "The fish market", ["Café", "market"]),
        ("rover.jpg", "A rover on Mars", ["space"]),
        ("IMG_0001.jpg", "", []),
    ]
    paths = []
    for name, caption, keywords in entries:
        fields = [(iptc.CAPTION, caption)] if caption else []
        fields += [(iptc.KEYWORDS, word) for word in keywords]
        (folder / name).write_bytes(jpeg_bytes(iptc_fields=fields or None))
        paths.append(folder / name)
    return paths


def _shown_names(window: MainWindow) -> list[str]:
    return [photo.path.name for photo in window.shown_photos()]


def test_find_filters_by_caption_keywords_and_name(qtbot: QtBot, tmp_path: Path) -> None:
    paths = _keyword_folder(tmp_path)
    window = open_window(qtbot, files_gallery(paths[0].parent, paths))
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = window.find_bar.field
    assert window.find_bar.isVisible() and field.hasFocus()
    qtbot.keyClicks(field, "cafe")  # a keyword, only in the file, with an accent there
    qtbot.waitUntil(window.finder.reading_done, timeout=10_000)
    assert _shown_names(window) == ["market.jpg"]
    current = window.model.photo(window.current_row())
    assert current is not None and current.path.name == "market.jpg"
    assert window.find_bar.status.text() == "1 of 4"
    field.clear()
    qtbot.keyClicks(field, "img_0001")
    assert _shown_names(window) == ["IMG_0001.jpg"]
    field.clear()
    qtbot.keyClicks(field, "harbour DAWN")
    assert _shown_names(window) == ["harbour.jpg"]
    field.clear()
    qtbot.keyClicks(field, "nothing like this")
    assert window.find_bar.status.text() == "No photo matches"
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert len(_shown_names(window)) == 4
    assert not any(window.strip.isRowHidden(r) for r in range(4))
    window.close()


def test_typing_in_find_does_not_trigger_shortcuts(qtbot: QtBot, tmp_path: Path) -> None:
    paths = _keyword_folder(tmp_path)
    window = open_window(qtbot, files_gallery(paths[0].parent, paths))
    window.finder.open()
    qtbot.keyClicks(window.find_bar.field, "fi c1 +-0?")  # F, I, C, 1, +, -, 0, ? are shortcuts
    assert window.find_bar.field.text() == "fi c1 +-0?"
    assert not window.isFullScreen() and not window.info_dock.isVisible()
    assert not window.slideshow.is_running()
    assert not _close_messages(), "? (the shortcut list) must not open while typing"
    window.finder.close()
    window.close()


def test_moving_skips_what_find_hides(qtbot: QtBot, make_gallery: MakeGallery) -> None:
    def edit(doc: dict[str, Any]) -> None:
        for n, photo in enumerate(doc["photos"]):
            photo["caption"] = "even" if n % 2 == 0 else "odd"

    window = open_window(qtbot, load_manifest(make_gallery(6, edit)))
    window.finder.open()
    qtbot.keyClicks(window.find_bar.field, "odd")
    assert window.current_row() == 1, "the current photo was hidden: the next shown one"
    window.strip.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.current_row() == 3
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.current_row() == 5
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.current_row() == 1
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.current_row() == 1, "nothing shown before it"
    assert window.strip.visible_rows() == [1, 3, 5]
    window.finder.close()
    window.close()


# --- the strip ------------------------------------------------------------------------


def test_thumbnail_size_and_strip_side(qtbot: QtBot, make_gallery: MakeGallery) -> None:
    window = open_window(qtbot, load_manifest(make_gallery(30)))
    window.go_to(20)
    window.arrange_strip("left", "large")
    large = THUMB_SIZES["large"]
    assert window.strip.iconSize() == large
    assert window.splitter.orientation() == Qt.Orientation.Horizontal
    assert window.splitter.widget(0) is window.strip_panel
    qtbot.waitUntil(window.visible_thumbnails_ready, timeout=10_000)
    ratio = window.devicePixelRatioF()
    icon = window.model.index(20).data(Qt.ItemDataRole.DecorationRole)
    assert max(icon.width(), icon.height()) == round(large.width() * ratio), "made anew, crisp"
    rect = window.strip.visualRect(window.model.index(20))
    assert window.strip.viewport().rect().intersects(rect), "the current photo stays in view"
    assert rect.left() < window.strip.gridSize().width(), "one column"
    window.move_by(5)
    rect = window.strip.visualRect(window.model.index(25))
    assert window.strip.viewport().rect().contains(rect.center())
    window.arrange_strip("bottom", "small")
    assert window.splitter.orientation() == Qt.Orientation.Vertical
    assert window.splitter.widget(1) is window.strip_panel
    assert window.strip.iconSize() == THUMB_SIZES["small"]
    window.close()


def test_choices_are_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    ini = str(tmp_path / "settings.ini")
    first = MainWindow(settings=QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(first, before_close_func=lambda w: w.runner.wait_for_done(10_000))
    first.size_actions["large"].trigger()
    first.side_actions["left"].trigger()
    first.interval_actions[8].trigger()
    first.captions_action.trigger()
    first.close()
    second = MainWindow(settings=QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(second, before_close_func=lambda w: w.runner.wait_for_done(10_000))
    assert second.strip.iconSize() == THUMB_SIZES["large"]
    assert second.strip.side() == "left"
    assert second.slideshow.interval() == 8
    assert not second.slideshow.captions_shown()
    assert second.size_actions["large"].isChecked() and second.interval_actions[8].isChecked()
    second.close()
    broken = QSettings(ini, QSettings.Format.IniFormat)
    broken.setValue("strip/thumbnail_size", "enormous")
    broken.setValue("slideshow/interval", "soon")
    broken.sync()
    third = MainWindow(settings=QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(third, before_close_func=lambda w: w.runner.wait_for_done(10_000))
    assert third.strip.iconSize() == THUMB_SIZES["medium"], "nonsense falls back"
    assert third.slideshow.interval() == 5
    third.close()


# --- sharing and help -----------------------------------------------------------------


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def catch(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_containing_folder_asks_the_desktop(qtbot: QtBot, window: MainWindow) -> None:
    catcher = _UrlCatcher()
    # PySide6 takes the slot name as str at run time; its stubs say bytes.
    QDesktopServices.setUrlHandler("file", catcher, "catch")  # type: ignore[arg-type]
    try:
        qtbot.keyClick(
            window,
            Qt.Key.Key_O,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
        )
    finally:
        QDesktopServices.unsetUrlHandler("file")
    photo = window.model.photo(window.current_row())
    assert photo is not None
    assert [Path(u.toLocalFile()) for u in catcher.urls] == [photo.path.parent]


def test_export_story_writes_the_shown_photos(
    qtbot: QtBot, make_gallery: MakeGallery, tmp_path: Path
) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["photos"][1]["caption"] = "the one to keep"

    window = open_window(qtbot, load_manifest(make_gallery(3, edit)))
    window.finder.open()
    qtbot.keyClicks(window.find_bar.field, "keep")
    target = tmp_path / "story.html"
    with qtbot.waitSignal(window.story_exported, timeout=20_000):
        window.export_story_to(target)
    page = target.read_text(encoding="utf-8")
    assert page.count("<img ") == 1 and "the one to keep" in page
    messages = _close_messages()
    assert any(str(target) in text and "1 picture," in text for text in messages), messages
    window.finder.close()
    window.close()


def test_about_names_version_and_licences(qtbot: QtBot, window: MainWindow) -> None:
    text = window.about_text()
    from viewer import __version__  # noqa: PLC0415

    assert f"Photo Desk {__version__}" in text
    for words in ("Qt ", "LGPL-3.0", "Pillow", "MIT-CMU", "ExifRead", "BSD-3-Clause", "x265"):
        assert words in text, words
    about = next(a for a in window.actions() if a.text() == "&About Photo Desk")
    about.trigger()
    assert any("LGPL-3.0" in t for t in _close_messages())


def test_find_in_a_big_gallery_waits_for_a_pause_in_typing(qtbot: QtBot, tmp_path: Path) -> None:
    from viewer.model import Gallery, Photo  # noqa: PLC0415
    from viewer.ui.find import FILTER_AT_ONCE  # noqa: PLC0415

    count = FILTER_AT_ONCE + 1
    photos = tuple(
        Photo(tmp_path / f"p{i:05d}.jpg", f"p{i}", f"caption {i}", "", "") for i in range(count)
    )
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.runner.wait_for_done(30_000))
    window.set_gallery(Gallery(tmp_path, photos))
    window.show()
    window.finder.open()
    qtbot.keyClicks(window.find_bar.field, "caption 4242")
    assert not window.strip.isRowHidden(0), "not filtered at every key"
    qtbot.waitUntil(lambda: window.strip.isRowHidden(0), timeout=3_000)
    assert [p.title for p in window.shown_photos()] == ["p4242"]
    window.finder.close()
    window.close()
