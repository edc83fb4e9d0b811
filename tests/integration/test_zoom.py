"""Zoom, pan and rotate the photo; 100% shows the file's own pixels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.integration.conftest import MakeWindow, wait_until_idle
from viewer.model import load_manifest
from viewer.ui.main_window import MainWindow

MakeGallery = Callable[..., Path]


@pytest.fixture
def striped(qtbot: QtBot, make_gallery: MakeGallery, make_window: MakeWindow) -> MainWindow:
    """A window on a 3000 x 2000 photo of one-pixel black and white stripes."""

    def edit(doc: dict[str, Any]) -> None:
        doc["photos"][0]["file"] = "stripes.png"

    manifest = make_gallery(2, edit, folder="zoom")
    stripes = Image.new("L", (3000, 2000), 0)
    stripes.putdata([255 * (x % 2) for _ in range(2000) for x in range(3000)])
    stripes.save(manifest.parent / "stripes.png")
    window = make_window(load_manifest(manifest))
    wait_until_idle(qtbot, window.state)
    return window


def stripes_seen(window: MainWindow) -> set[int]:
    view = window.detail.photo_view
    frame = view.grab().toImage()
    centre = view.rect().center()
    return {frame.pixelColor(centre.x() + dx, centre.y()).red() for dx in range(-6, 6)}


def test_actual_pixels_decodes_every_pixel(qtbot: QtBot, striped: MainWindow) -> None:
    view = striped.detail.photo_view
    assert view.is_fitted()
    assert view.image_size().width() < 3000, "the view starts with a screen-size decode"
    assert max(stripes_seen(striped)) < 230, "scaled down, the stripes blur to grey"
    qtbot.keyClick(striped, Qt.Key.Key_1)
    assert view.zoom() == pytest.approx(1.0)
    qtbot.waitUntil(lambda: view.image_size().width() == 3000, timeout=10_000)
    qtbot.waitUntil(lambda: stripes_seen(striped) == {0, 255}, timeout=5_000)
    qtbot.keyClick(striped, Qt.Key.Key_0)
    assert view.is_fitted()


def test_plus_and_minus_step_the_zoom(qtbot: QtBot, striped: MainWindow) -> None:
    view = striped.detail.photo_view
    fitted = view.zoom()
    qtbot.keyClick(striped, Qt.Key.Key_Plus)
    assert view.zoom() == pytest.approx(fitted * 1.25)
    qtbot.keyClick(striped, Qt.Key.Key_Minus)
    assert view.is_fitted(), "zooming out to the fitted size fits again"


def test_the_wheel_zooms_around_the_cursor(qtbot: QtBot, striped: MainWindow) -> None:
    view = striped.detail.photo_view
    cursor = QPointF(view.width() * 0.3, view.height() * 0.6)
    before = view.map_to_image(cursor)
    for _ in range(3):
        wheel = QWheelEvent(
            cursor,
            view.mapToGlobal(cursor),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(view, wheel)
    assert not view.is_fitted()
    after = view.map_to_image(cursor)
    assert abs(after.x() - before.x()) < 1
    assert abs(after.y() - before.y()) < 1


def test_dragging_pans_and_double_click_toggles(qtbot: QtBot, striped: MainWindow) -> None:
    view = striped.detail.photo_view
    start, end = QPoint(200, 200), QPoint(260, 230)
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=start)
    assert view.zoom() == pytest.approx(1.0)
    grabbed = view.map_to_image(QPointF(start))
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view, end)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=end)
    moved = view.map_to_image(QPointF(end))
    assert abs(moved.x() - grabbed.x()) < 1.5, "the pixel follows the hand"
    assert abs(moved.y() - grabbed.y()) < 1.5
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=end)
    assert view.is_fitted()


def test_rotating_the_view_and_a_new_photo_starting_fresh(
    qtbot: QtBot, striped: MainWindow
) -> None:
    view = striped.detail.photo_view
    rect = view.picture_rect()
    assert rect.width() > rect.height()
    qtbot.keyClick(striped, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert view.rotation() == 90
    turned = view.picture_rect()
    assert turned.height() > turned.width()
    qtbot.keyClick(
        striped,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert view.rotation() == 0
    qtbot.keyClick(striped, Qt.Key.Key_Plus)
    qtbot.keyClick(striped, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(striped.photo_shown, timeout=10_000):
        striped.state.go_to(1)
    assert view.is_fitted()
    assert view.rotation() == 0
