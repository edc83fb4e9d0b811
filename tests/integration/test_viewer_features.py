"""Slideshow, Find, thumbnail size and position, export, folder, About, settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from tests.builders import jpeg_bytes
from tests.integration.conftest import MakeWindow
from viewer.metadata import iptc
from viewer.model import files_gallery, load_manifest
from viewer.ui.main_window import MainWindow
from viewer.ui.strip import THUMB_SIZES

MakeGallery = Callable[..., Path]


def _close_messages(window: MainWindow) -> list[str]:
    """The texts of the messages the window shows, which are then closed."""
    texts = []
    for box in window.messages.open_messages():
        if box.isVisible():
            texts.append(box.text())
        box.close()
    return texts


def _current_name(window: MainWindow) -> str:
    photo = window.state.current_photo()
    assert photo is not None
    return photo.path.name


# --- slideshow ------------------------------------------------------------------------


def test_slideshow_runs_full_screen_with_captions_pauses_and_ends(
    qtbot: QtBot, make_window: MakeWindow, make_gallery: MakeGallery
) -> None:
    window = make_window(load_manifest(make_gallery(3)))
    state, slideshow = window.state, window.presentation.slideshow
    slideshow.set_interval(1)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert slideshow.is_running()
    qtbot.waitUntil(window.isFullScreen)
    assert not window.strip_panel.isVisible() and not window.detail.info_column.isVisible()
    overlay = slideshow.overlay
    assert overlay.isVisible()
    assert overlay.text() == "Photo 1\nCaption 1\nCredit: Credit 1"
    assert window.detail.photo_view.rect().contains(overlay.geometry())
    qtbot.waitUntil(lambda: state.current_row() == 1, timeout=3_000)
    assert overlay.text().startswith("Photo 2")

    qtbot.keyClick(window, Qt.Key.Key_Space)  # pause
    assert slideshow.is_paused()
    assert overlay.text().startswith("Paused")
    with qtbot.assertNotEmitted(slideshow.advance, wait=1_600):  # longer than the interval
        pass
    assert state.current_row() == 1, "paused: no advance"
    qtbot.keyClick(window, Qt.Key.Key_C)  # captions off: only the pause note stays
    assert "Caption" not in overlay.text()
    qtbot.keyClick(window, Qt.Key.Key_C)
    qtbot.keyClick(window, Qt.Key.Key_Space)  # resume
    qtbot.waitUntil(lambda: state.current_row() == 2, timeout=3_000)
    qtbot.waitUntil(lambda: state.current_row() == 0, timeout=3_000)  # round again

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not slideshow.is_running()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.strip_panel.isVisible() and window.detail.info_column.isVisible()
    assert not overlay.isVisible()
    row = state.current_row()
    with qtbot.assertNotEmitted(slideshow.advance, wait=1_300):  # longer than the interval
        pass
    assert state.current_row() == row, "stopped: no advance"


def test_captions_from_the_file_reach_the_slideshow(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(jpeg_bytes(iptc_fields=[(iptc.CAPTION, "Said by the file")]))
    window = make_window(files_gallery(tmp_path, [photo]))
    qtbot.waitUntil(window.state.details_ready, timeout=10_000)
    window.presentation.toggle_slideshow()
    assert "Said by the file" in window.presentation.slideshow.overlay.text()
    window.presentation.toggle_slideshow()


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
    return [photo.path.name for photo in window.state.shown_photos()]


def test_find_filters_by_caption_keywords_and_name(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    paths = _keyword_folder(tmp_path)
    window = make_window(files_gallery(paths[0].parent, paths))
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = window.find_bar.field
    assert window.find_bar.isVisible() and field.hasFocus()
    qtbot.keyClicks(field, "cafe")  # a keyword, only in the file, with an accent there
    qtbot.waitUntil(window.state.find_index.reading_done, timeout=10_000)
    assert _shown_names(window) == ["market.jpg"]
    assert _current_name(window) == "market.jpg"
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
    assert window.strip.model().rowCount() == 4, "the strip shows every photo again"


def test_typing_in_find_does_not_trigger_shortcuts(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    paths = _keyword_folder(tmp_path)
    window = make_window(files_gallery(paths[0].parent, paths))
    window.open_find()
    qtbot.keyClicks(window.find_bar.field, "fi c1 +-0?")  # F, I, C, 1, +, -, 0, ? are shortcuts
    assert window.find_bar.field.text() == "fi c1 +-0?"
    assert not window.isFullScreen() and not window.info_dock.isVisible()
    assert not window.presentation.slideshow.is_running()
    assert not _close_messages(window), "? (the shortcut list) must not open while typing"
    window.close_find()


def test_moving_skips_what_find_hides(
    qtbot: QtBot, make_window: MakeWindow, make_gallery: MakeGallery
) -> None:
    def edit(doc: dict[str, Any]) -> None:
        for n, photo in enumerate(doc["photos"]):
            photo["caption"] = "even" if n % 2 == 0 else "odd"

    window = make_window(load_manifest(make_gallery(6, edit)))
    window.open_find()
    qtbot.keyClicks(window.find_bar.field, "odd")
    assert _current_name(window) == "photo-2.jpg", (
        "the current photo was hidden: the next shown one"
    )
    window.strip.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert _current_name(window) == "photo-4.jpg"
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert _current_name(window) == "photo-6.jpg"
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert _current_name(window) == "photo-2.jpg"
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert _current_name(window) == "photo-2.jpg", "nothing shown before it"
    shown = window.state.shown
    in_strip = [shown.photo(row) for row in window.strip.visible_rows()]
    assert [p.path.name for p in in_strip if p is not None] == [
        "photo-2.jpg",
        "photo-4.jpg",
        "photo-6.jpg",
    ]
    window.close_find()


def test_a_hidden_current_photo_gives_way_to_the_next_shown_one(
    qtbot: QtBot, make_window: MakeWindow, make_gallery: MakeGallery
) -> None:
    def edit(doc: dict[str, Any]) -> None:
        for n, photo in enumerate(doc["photos"]):
            photo["caption"] = "even" if n % 2 == 0 else "odd"

    window = make_window(load_manifest(make_gallery(6, edit)))
    window.state.go_to(2)  # photo-3, hidden by "odd"
    window.open_find()
    qtbot.keyClicks(window.find_bar.field, "odd")
    assert _current_name(window) == "photo-4.jpg", "the next shown photo, not a position"
    window.state.go_to(2)  # photo-6, the last one shown
    qtbot.keyClicks(window.find_bar.field, " nothing-matches")
    assert window.state.current_photo() is None
    window.find_bar.field.clear()
    qtbot.keyClicks(window.find_bar.field, "odd")
    assert _current_name(window) == "photo-2.jpg", "matches again: the first is current"
    window.close_find()


# --- the strip ------------------------------------------------------------------------


def test_thumbnail_size_and_strip_side(
    qtbot: QtBot, make_window: MakeWindow, make_gallery: MakeGallery
) -> None:
    window = make_window(load_manifest(make_gallery(30)))
    state = window.state
    state.go_to(20)
    window.arrange_strip("left", "large")
    large = THUMB_SIZES["large"]
    assert window.strip.iconSize() == large
    assert window.splitter.orientation() == Qt.Orientation.Horizontal
    assert window.splitter.widget(0) is window.strip_panel
    qtbot.waitUntil(window.visible_thumbnails_ready, timeout=10_000)
    ratio = window.devicePixelRatioF()
    icon = state.shown.index(20).data(Qt.ItemDataRole.DecorationRole)
    assert max(icon.width(), icon.height()) == round(large.width() * ratio), "made anew, crisp"
    rect = window.strip.visualRect(state.shown.index(20))
    assert window.strip.viewport().rect().intersects(rect), "the current photo stays in view"
    assert rect.left() < window.strip.gridSize().width(), "one column"
    state.move_by(5)
    rect = window.strip.visualRect(state.shown.index(25))
    assert window.strip.viewport().rect().contains(rect.center())
    window.arrange_strip("bottom", "small")
    assert window.splitter.orientation() == Qt.Orientation.Vertical
    assert window.splitter.widget(1) is window.strip_panel
    assert window.strip.iconSize() == THUMB_SIZES["small"]


def test_choices_are_remembered(make_window: MakeWindow, tmp_path: Path) -> None:
    ini = str(tmp_path / "settings.ini")
    first = make_window(settings=QSettings(ini, QSettings.Format.IniFormat))
    first.menus.size_actions["large"].trigger()
    first.menus.side_actions["left"].trigger()
    first.menus.interval_actions[8].trigger()
    first.menus.captions_action.trigger()
    first.close()
    second = make_window(settings=QSettings(ini, QSettings.Format.IniFormat))
    assert second.strip.iconSize() == THUMB_SIZES["large"]
    assert second.strip.side() == "left"
    assert second.presentation.slideshow.interval() == 8
    assert not second.presentation.slideshow.captions_shown()
    menus = second.menus
    assert menus.size_actions["large"].isChecked() and menus.interval_actions[8].isChecked()
    second.close()
    broken = QSettings(ini, QSettings.Format.IniFormat)
    broken.setValue("strip/thumbnail_size", "enormous")
    broken.setValue("slideshow/interval", "soon")
    broken.sync()
    third = make_window(settings=QSettings(ini, QSettings.Format.IniFormat))
    assert third.strip.iconSize() == THUMB_SIZES["medium"], "nonsense falls back"
    assert third.presentation.slideshow.interval() == 5


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
    photo = window.state.current_photo()
    assert photo is not None
    assert [Path(u.toLocalFile()) for u in catcher.urls] == [photo.path.parent]


def test_export_story_writes_the_shown_photos(
    qtbot: QtBot, make_window: MakeWindow, make_gallery: MakeGallery, tmp_path: Path
) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["photos"][1]["caption"] = "the one to keep"

    window = make_window(load_manifest(make_gallery(3, edit)))
    window.open_find()
    qtbot.keyClicks(window.find_bar.field, "keep")
    target = tmp_path / "story.html"
    with qtbot.waitSignal(window.sharing.story_exported, timeout=20_000):
        window.sharing.export_story_to(target)
    page = target.read_text(encoding="utf-8")
    assert page.count("<img ") == 1 and "the one to keep" in page
    messages = _close_messages(window)
    assert any(str(target) in text and "1 picture," in text for text in messages), messages
    window.close_find()


def test_about_names_version_and_licences(window: MainWindow) -> None:
    text = window.about_text()
    from viewer import __version__  # noqa: PLC0415

    assert f"Photo Desk {__version__}" in text
    for words in ("Qt ", "LGPL-3.0", "Pillow", "MIT-CMU", "ExifRead", "BSD-3-Clause", "x265"):
        assert words in text, words
    about = next(a for a in window.actions() if a.text() == "&About Photo Desk")
    about.trigger()
    assert any("LGPL-3.0" in t for t in _close_messages(window))


def test_find_in_a_big_gallery_waits_for_a_pause_in_typing(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    from viewer.model import Gallery, Photo  # noqa: PLC0415
    from viewer.ui.photo_order import FILTER_AT_ONCE  # noqa: PLC0415

    count = FILTER_AT_ONCE + 1
    photos = tuple(
        Photo(tmp_path / f"p{i:05d}.jpg", f"p{i}", f"caption {i}", "", "") for i in range(count)
    )
    window = make_window(Gallery(tmp_path, photos))
    state = window.state
    window.open_find()
    with qtbot.waitSignal(state.shown_changed, timeout=3_000):
        qtbot.keyClicks(window.find_bar.field, "caption 4242")
        assert state.shown.rowCount() == count, "not filtered at every key"
    assert [p.title for p in state.shown_photos()] == ["p4242"]
    window.close_find()
