"""The real window, offscreen: choosing photos, keyboard, text, errors, full screen."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea
from pytestqt.qtbot import QtBot

from tests.integration.conftest import MakeWindow, shown_text, wait_until_idle
from viewer.model import load_manifest
from viewer.ui.gallery_model import ERROR_ROLE
from viewer.ui.main_window import MainWindow

MakeGallery = Callable[..., Path]


def click_thumbnail(qtbot: QtBot, window: MainWindow, row: int) -> None:
    rect = window.strip.visualRect(window.state.shown.index(row))
    assert rect.isValid()
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        qtbot.mouseClick(window.strip.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_first_photo_is_shown_with_its_story(window: MainWindow) -> None:
    gallery = window.state.gallery()
    assert gallery is not None
    assert gallery.story is not None
    photo = gallery.photos[0]
    info = window.detail.info
    assert window.windowTitle() == f"{gallery.title} — 1 of 4"
    assert shown_text(info.caption) == photo.caption
    assert shown_text(info.credit) == f"Credit: {photo.credit}"
    assert shown_text(info.headline) == gallery.story.headline
    assert shown_text(info.dateline) == "FOX 5 NY · Friday, 11 June 2021"
    assert shown_text(info.dateline).endswith("11 June 2021")
    passage = gallery.passage_for(photo)
    assert passage is not None
    assert shown_text(info.passage) == passage.text
    assert info.illustration_note.isVisibleTo(window)
    assert "Illustration" in shown_text(info.illustration_note)
    assert window.detail.photo_view.accessibleDescription() == photo.alt_text


def test_choosing_a_thumbnail_updates_caption_credit_and_context(
    qtbot: QtBot, window: MainWindow
) -> None:
    gallery = window.state.gallery()
    assert gallery is not None
    for row in (2, 1, 3):
        click_thumbnail(qtbot, window, row)
        photo = gallery.photos[row]
        info = window.detail.info
        assert window.state.current_row() == row
        assert window.windowTitle().endswith(f"— {row + 1} of 4")
        assert shown_text(info.title) == photo.title
        assert shown_text(info.caption) == photo.caption
        assert shown_text(info.credit) == f"Credit: {photo.credit}"
        passage = gallery.passage_for(photo)
        assert passage is not None
        assert shown_text(info.passage) == passage.text
        assert window.detail.photo_view.path() == photo.path
        assert window.strip.selectionModel().isSelected(window.state.shown.index(row))
    wait_until_idle(qtbot, window.state)
    qtbot.waitUntil(lambda: "1920 × 1280 pixels" in shown_text(window.detail.info.camera))
    assert "No camera recorded" in shown_text(window.detail.info.camera)


def test_keyboard_moves_through_the_gallery(qtbot: QtBot, window: MainWindow) -> None:
    window.strip.setFocus()
    steps = [
        (Qt.Key.Key_Right, 1),
        (Qt.Key.Key_Right, 2),
        (Qt.Key.Key_Left, 1),
        (Qt.Key.Key_End, 3),
        (Qt.Key.Key_Right, 3),
        (Qt.Key.Key_Home, 0),
        (Qt.Key.Key_Left, 0),
        (Qt.Key.Key_PageDown, 3),
        (Qt.Key.Key_PageUp, 0),
    ]
    for key, expected in steps:
        qtbot.keyClick(window.strip, key)
        assert window.state.current_row() == expected, Qt.Key(key).name
    assert window.windowTitle().endswith("— 1 of 4")


def test_keyboard_works_when_the_photo_has_focus(qtbot: QtBot, window: MainWindow) -> None:
    window.detail.photo_view.setFocus()
    qtbot.keyClick(window.detail.photo_view, Qt.Key.Key_Right)
    assert window.state.current_row() == 1
    qtbot.keyClick(window.detail.photo_view, Qt.Key.Key_End)
    assert window.state.current_row() == 3


def test_the_photo_is_painted_fitted_with_its_aspect_kept(qtbot: QtBot, window: MainWindow) -> None:
    view = window.detail.photo_view
    assert view.has_picture()
    rect = view.picture_rect()
    assert view.rect().contains(rect)
    assert abs(rect.width() / rect.height() - 1920 / 1280) < 0.01
    frame = view.grab().toImage()
    centre = frame.pixelColor(rect.center())
    corner = frame.pixelColor(QPoint(2, 2))
    assert centre != corner, "the picture area must not look like the empty background"
    window.resize(900, 700)
    qtbot.waitUntil(lambda: view.picture_rect().width() < rect.width())


def test_every_text_is_plain_and_selectable(
    qtbot: QtBot, make_gallery: MakeGallery, make_window: MakeWindow
) -> None:
    hostile = "<b>bold</b> <img src='x'> <a href='http://example.com'>link</a> &amp;"

    def edit(doc: dict[str, Any]) -> None:
        doc["photos"][0].update(caption=hostile, credit=hostile, title=hostile)
        doc["story"]["headline"] = hostile
        doc["story"]["passages"][0]["text"] = hostile

    window = make_window(load_manifest(make_gallery(2, edit)))
    info = window.detail.info
    labels = window.detail.findChildren(QLabel)
    assert labels
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
        if label is window.presentation.slideshow.overlay:
            continue  # shown over the photo for a few seconds: no keyboard focus to steal
        flags = label.textInteractionFlags()
        assert flags & Qt.TextInteractionFlag.TextSelectableByMouse, label.objectName()
        assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard, label.objectName()
    assert shown_text(info.caption) == hostile
    assert shown_text(info.headline) == hostile
    assert shown_text(info.passage) == hostile
    tooltip = window.state.model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;" in tooltip, "tooltips must show markup literally"
    info.caption.setSelection(0, len(info.caption.text()))
    info.caption.setFocus()
    qtbot.keyClick(info.caption, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == hostile, "copied as written, breaks left out"


@pytest.mark.qt_log_ignore("JPEG datastream contains no image")  # Qt's decoder on the bad file
def test_a_broken_image_is_an_error_naming_the_file(
    qtbot: QtBot, make_gallery: MakeGallery, make_window: MakeWindow
) -> None:
    manifest = make_gallery(3)
    broken = manifest.parent / "photo-2.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    window = make_window(load_manifest(manifest))
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.go_to(1)
    view = window.detail.photo_view
    assert not view.has_picture()
    assert "photo-2.jpg" in view.error_message()
    wait_until_idle(qtbot, window.state)
    qtbot.waitUntil(lambda: window.state.model.index(1).data(ERROR_ROLE) is not None)
    assert "photo-2.jpg" in window.state.model.index(1).data(ERROR_ROLE)
    # The app carries on: the next photo shows normally.
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.go_to(2)
    assert view.has_picture()
    assert broken.read_bytes().startswith(b"\xff\xd8"), "the user's file must be left alone"
    window.close()


def test_results_for_photos_already_left_are_dropped(qtbot: QtBot, window: MainWindow) -> None:
    for row in (1, 2, 3, 0, 2):
        window.state.go_to(row)
    wait_until_idle(qtbot, window.state)
    qtbot.waitUntil(window.detail.photo_view.has_picture)
    gallery = window.state.gallery()
    assert gallery is not None
    assert window.detail.photo_view.path() == gallery.photos[2].path
    assert shown_text(window.detail.info.caption) == gallery.photos[2].caption


def test_f11_toggles_full_screen_and_escape_leaves(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    assert not window.menuBar().isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.menuBar().isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen())


def test_ctrl_q_quits(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())
    wait_until_idle(qtbot, window.state)


def test_thumbnails_are_decoded_for_the_device_pixel_ratio(
    qtbot: QtBot, window: MainWindow
) -> None:
    wait_until_idle(qtbot, window.state)
    icon = window.state.model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert icon.devicePixelRatio() == window.devicePixelRatioF()
    assert icon.width() <= round(window.strip.iconSize().width() * window.devicePixelRatioF())
    image: QImage = icon.toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2).alpha() == 255


def test_a_manifest_error_keeps_the_window_running(qtbot: QtBot, window: MainWindow) -> None:
    window.show_problem("Cannot open this gallery", "gallery.json: photos[0].file: missing")
    boxes = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
    assert boxes, "the problem must be shown"
    assert window.isVisible()
    window.close()
    assert not any(w.isVisible() for w in boxes)


@pytest.mark.parametrize("row", [0, 3])
def test_window_title_names_the_story_and_position(
    qtbot: QtBot, window: MainWindow, row: int
) -> None:
    window.state.go_to(row)
    assert window.windowTitle() == f"Zhurong on Mars — {row + 1} of 4"


def test_the_model_passes_qt_model_tester(
    qtbot: QtBot, qtmodeltester: Any, window: MainWindow
) -> None:
    qtmodeltester.check(window.state.model)
    qtmodeltester.check(window.state.shown)
    wait_until_idle(qtbot, window.state)


def test_model_tester_on_a_gallery_swap(
    qtbot: QtBot,
    qtmodeltester: Any,
    window: MainWindow,
    make_gallery: MakeGallery,
) -> None:
    qtmodeltester.check(window.state.model)
    qtmodeltester.check(window.state.shown)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.set_gallery(load_manifest(make_gallery(5)))
    assert window.state.model.rowCount() == 5
    assert window.windowTitle() == "Test story — 1 of 5"
    wait_until_idle(qtbot, window.state)


def test_manifest_text_round_trips_untouched(tmp_path: Path, make_gallery: MakeGallery) -> None:
    manifest = make_gallery(1)
    before = manifest.read_bytes()
    load_manifest(manifest)
    assert manifest.read_bytes() == before
    assert json.loads(before)["photos"][0]["file"] == "photo-1.jpg"


def test_the_information_scrolls_only_when_it_does_not_fit(
    qtbot: QtBot, window: MainWindow
) -> None:
    scroll = window.detail.widget(1)
    assert isinstance(scroll, QScrollArea)
    window.resize(1400, 900)
    qtbot.wait(300)  # let the splitter and the scroll area settle on the new size
    content = window.detail.info.heightForWidth(scroll.viewport().width())
    assert content < scroll.viewport().height(), "the text fits at this size"
    assert not scroll.verticalScrollBar().isVisible()
    window.resize(900, 420)
    qtbot.wait(300)
    assert scroll.verticalScrollBar().isVisible()


def test_a_long_file_name_wraps_inside_the_pane(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    from tests.builders import jpeg_bytes  # noqa: PLC0415
    from viewer.model import files_gallery  # noqa: PLC0415

    name = "A_very_long_file_name_without_any_spaces_at_all_from_a_camera_2026.jpg"
    photo = tmp_path / name
    photo.write_bytes(jpeg_bytes(size=(200, 100)))
    window = make_window(files_gallery(tmp_path, [photo]))
    wait_until_idle(qtbot, window.state)
    info, column = window.detail.info, window.detail.info_column
    for label in (info.title, info.camera):
        assert name in shown_text(label)
        assert label.accessibleName().startswith(name), "read out whole, without breaks"
        assert label.geometry().right() <= column.viewport().width(), label.objectName()
        assert label.sizeHint().width() <= column.viewport().width(), label.objectName()
    info.camera.setSelection(0, len(info.camera.text()))
    info.camera.setFocus()
    qtbot.keyClick(info.camera, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.clipboard().text().startswith(name))


def test_the_photo_is_an_image_for_screen_readers(window: MainWindow) -> None:
    from PySide6.QtGui import QAccessible  # noqa: PLC0415

    view = window.detail.photo_view
    interface = QAccessible.queryAccessibleInterface(view)
    assert interface is not None
    assert interface.role() == QAccessible.Role.Graphic
    gallery = window.state.gallery()
    assert gallery is not None
    alt = gallery.photos[0].alt_text
    assert interface.text(QAccessible.Text.Description) == alt


def test_visible_rows_are_what_the_strip_shows(
    qtbot: QtBot, make_gallery: MakeGallery, make_window: MakeWindow
) -> None:
    window = make_window(load_manifest(make_gallery(40)))
    strip = window.strip
    per_view = strip.viewport().width() // strip.gridSize().width()
    for offset in (0, 37, strip.gridSize().width() * 5 + 3, strip.horizontalScrollBar().maximum()):
        strip.horizontalScrollBar().setValue(offset)
        rows = strip.visible_rows()
        assert 1 <= len(rows) <= per_view + 2, (offset, rows)
        for row in rows:  # every row listed really is (at least partly) in view
            assert strip.visualRect(window.state.shown.index(row)).intersects(
                strip.viewport().rect()
            )
    assert strip.visible_rows()[-1] == 39, "scrolled to the end, the last tile is in view"
    window.close()
