"""Accessibility: names and descriptions, keyboard focus that shows, light and dark
palettes with readable contrast (measured on the rendered pixels), the system font."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible, QColor, QFont, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QScrollBar, QWidget
from pytestqt.qtbot import QtBot

from tests.integration.conftest import MakeWindow
from viewer.model import load_manifest
from viewer.resources import bundled_gallery_path
from viewer.ui.appearance import apply_scheme, contrast_ratio
from viewer.ui.main_window import MainWindow

BODY_TEXT_CONTRAST = 4.5  # WCAG 2 AA for body text


@pytest.fixture
def scheme(qapp: QApplication) -> Iterator[str]:
    yield "system"
    apply_scheme(qapp, "system")  # other tests see the default palette again


def _name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def _description(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Description) if interface is not None else ""


def _shown_widgets(window: MainWindow) -> list[QWidget]:
    """Visible widgets, less Qt's own inner parts (scroll-area canvases and containers)
    and scroll bars, whose role and value are what screen readers announce."""
    return [
        w
        for w in window.findChildren(QWidget)
        if w.isVisible() and not w.objectName().startswith("qt_") and not isinstance(w, QScrollBar)
    ]


def test_every_control_has_a_name_and_focusable_ones_a_description(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.open_find()
    window.info_dock.show()
    qtbot.waitUntil(window.state.details_ready, timeout=10_000)
    missing = []
    for widget in _shown_widgets(window):
        if not _name(widget):
            missing.append(f"{type(widget).__name__} {widget.objectName()}: no name")
        focusable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        if focusable and not _description(widget):
            missing.append(f"{type(widget).__name__} {widget.objectName()}: no description")
    assert not missing, missing
    caption = window.detail.info.caption
    assert _name(caption) == caption.text(), "a screen reader reads the caption itself"
    assert _description(caption) == "Caption"
    window.close_find()


def test_the_photo_is_described_by_its_alt_text(qtbot: QtBot, window: MainWindow) -> None:
    gallery = window.state.gallery()
    assert gallery is not None
    for row in range(len(gallery)):
        window.state.go_to(row)
        assert _description(window.detail.photo_view) == gallery.photos[row].alt_text
    item = window.state.shown.index(1)
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == gallery.photos[1].title
    assert item.data(Qt.ItemDataRole.AccessibleDescriptionRole) == gallery.photos[1].alt_text


def _grab(window: MainWindow, widget: QWidget, rect: QRect | None = None) -> QImage:
    area = rect if rect is not None else widget.rect()
    origin = widget.mapTo(window, area.topLeft())
    image = window.grab(QRect(origin, area.size())).toImage()
    return image.convertToFormat(QImage.Format.Format_RGB32)


def rendered_contrast(image: QImage) -> float:
    """Contrast between the commonest colour (the background) and the colour that
    stands out most from it (the core of the glyphs)."""
    colours = Counter(
        image.pixel(x, y) for y in range(image.height()) for x in range(image.width())
    )
    background = QColor.fromRgb(colours.most_common(1)[0][0])
    return max(contrast_ratio(background, QColor.fromRgb(c)) for c in colours)


def _text_areas(window: MainWindow) -> list[tuple[str, QWidget, QRect | None]]:
    areas: list[tuple[str, QWidget, QRect | None]] = [
        (label.objectName(), label, None)
        for label in window.findChildren(QLabel)
        if label.isVisible() and label.text()
    ]
    strip = window.strip
    for row in (0, 1):  # the current tile (highlighted) and another
        tile = strip.visualRect(window.state.shown.index(row))
        text_height = strip.fontMetrics().height() + 2
        areas.append(
            (
                f"tile {row} title",
                strip.viewport(),
                tile.adjusted(0, tile.height() - text_height - 4, 0, -4),
            )
        )
    return areas


@pytest.mark.parametrize("palette_name", ["light", "dark"])
def test_text_contrast_in_light_and_dark(
    qtbot: QtBot, qapp: QApplication, scheme: str, make_window: MakeWindow, palette_name: str
) -> None:
    apply_scheme(qapp, palette_name)
    window = make_window(load_manifest(bundled_gallery_path()))
    qtbot.waitUntil(window.state.details_ready, timeout=10_000)
    qtbot.waitUntil(window.visible_thumbnails_ready, timeout=10_000)
    window.open_find()
    window.find_bar.field.setText("rover")
    window_colour = window.palette().color(QPalette.ColorRole.Window)
    assert (window_colour.lightnessF() < 0.5) == (palette_name == "dark")
    low = {}
    for name, widget, rect in _text_areas(window):
        ratio = rendered_contrast(_grab(window, widget, rect))
        if ratio < BODY_TEXT_CONTRAST:
            low[name] = round(ratio, 2)
    assert not low, f"text below {BODY_TEXT_CONTRAST}:1 in the {palette_name} palette: {low}"
    slideshow = window.presentation.slideshow
    slideshow.start()
    overlay = slideshow.overlay
    qtbot.waitUntil(overlay.isVisible)
    assert rendered_contrast(_grab(window, overlay)) >= 7
    slideshow.stop()
    window.close_find()


def test_keyboard_focus_moves_everywhere_and_shows(qtbot: QtBot, window: MainWindow) -> None:
    window.open_find()
    visited: list[QWidget | None] = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    for widget in (
        window.find_bar.field,
        window.strip,
        window.detail.photo_view,
        window.detail.info_column,
    ):
        assert widget in visited, widget.objectName() or type(widget).__name__
    for shown in (window.strip, window.detail.photo_view):
        shown.setFocus()
        qtbot.waitUntil(shown.hasFocus)
        focused = _grab(window, shown)
        window.find_bar.field.setFocus()
        qtbot.waitUntil(
            lambda: not window.strip.hasFocus() and not window.detail.photo_view.hasFocus()
        )
        assert _grab(window, shown) != focused, f"{shown.objectName()}: focus is not drawn"
    window.close_find()


def test_the_system_font_size_is_followed(qapp: QApplication, make_window: MakeWindow) -> None:
    before = QFont(qapp.font())
    bigger = QFont(before)
    bigger.setPointSizeF(16)
    qapp.setFont(bigger)
    try:
        window = make_window(load_manifest(bundled_gallery_path()))
        info = window.detail.info
        assert info.passage.font().pointSizeF() == pytest.approx(16)
        assert info.caption.font().pointSizeF() == pytest.approx(16 * 1.1)
        assert window.strip.font().pointSizeF() == pytest.approx(16)
    finally:
        qapp.setFont(before)


def test_a_palette_change_while_open_is_followed(
    qtbot: QtBot, scheme: str, make_window: MakeWindow
) -> None:
    """What a desktop switching to dark does: a new application palette, live."""
    window = make_window(load_manifest(bundled_gallery_path()))
    note = window.detail.info.illustration_note
    light = rendered_contrast(_grab(window, note))
    light_sheet = note.styleSheet()
    window.menus.scheme_actions["dark"].trigger()
    qtbot.waitUntil(lambda: note.styleSheet() != light_sheet)
    assert window.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.5
    assert rendered_contrast(_grab(window, note)) >= BODY_TEXT_CONTRAST <= light
    window.menus.scheme_actions["system"].trigger()
    qtbot.waitUntil(lambda: note.styleSheet() == light_sheet)
