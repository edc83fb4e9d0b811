"""The image pipeline inside the real window: disk cache, previews, prefetch, alpha."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.builders import exif_app1_with_thumbnail, jpeg_bytes
from tests.integration.conftest import MakeWindow, wait_until_idle
from viewer.imaging.compact import CHECKER_DARK, CHECKER_LIGHT
from viewer.imaging.decode import decode_for_screen, full_resolution_box
from viewer.imaging.thumbcache import ThumbnailCache
from viewer.imaging.thumbnails import decode_compact, make_preview, make_thumbnail
from viewer.model import load_manifest
from viewer.ui.gallery_model import BACKGROUND_SLOTS

MakeGallery = Callable[..., Path]


def test_strip_thumbnails_go_through_the_shared_disk_cache(
    qtbot: QtBot, make_window: MakeWindow, make_gallery: MakeGallery, tmp_path: Path
) -> None:
    root = tmp_path / "thumbs"
    window = make_window(load_manifest(make_gallery(5)), cache=ThumbnailCache(root))
    wait_until_idle(qtbot, window.state)
    stored = sorted((root / "large").glob("*.png"))
    assert len(stored) == 5, "every photo, visible or not, is thumbnailed in the background"
    encoded, decoded = window.state.model.memory_used()
    assert 0 < encoded < 5 * 40_000, "thumbnails are kept compact in memory"
    assert decoded > 0


def test_the_next_photo_is_prefetched(
    qtbot: QtBot, make_window: MakeWindow, make_gallery: MakeGallery
) -> None:
    window = make_window(load_manifest(make_gallery(4)))
    wait_until_idle(qtbot, window.state)
    window.state.go_to(1)
    # No event loop turn in between: the picture must already be there.
    assert window.detail.photo_view.has_picture()
    window.state.go_to(0)
    assert window.detail.photo_view.has_picture()


def _rgb(color: QColor) -> tuple[int, int, int]:
    return (color.red(), color.green(), color.blue())


def test_transparent_photos_sit_on_a_checkerboard(
    make_window: MakeWindow, make_gallery: MakeGallery
) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["photos"][0]["file"] = "clear.png"

    manifest = make_gallery(2, edit, folder="alpha")
    Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(manifest.parent / "clear.png")
    window = make_window(load_manifest(manifest))
    view = window.detail.photo_view
    frame = view.grab().toImage()
    rect = view.picture_rect()
    seen = {
        _rgb(frame.pixelColor(rect.topLeft() + QPoint(x, y)))
        for x in range(0, 32, 3)
        for y in range(0, 32, 3)
    }
    assert CHECKER_LIGHT in seen
    assert CHECKER_DARK in seen


def test_the_embedded_preview_and_the_thumbnail(tmp_path: Path) -> None:
    preview = io.BytesIO()
    Image.new("RGB", (160, 120), (0, 200, 0)).save(preview, "JPEG")
    photo = tmp_path / "camera.jpg"
    full = jpeg_bytes(size=(1600, 1200), color=(200, 0, 0))
    photo.write_bytes(full[:2] + exif_app1_with_thumbnail(preview.getvalue(), 6) + full[2:])
    quick = make_preview(photo, (160, 107))
    assert quick is not None
    assert quick.preview
    assert (quick.image.width(), quick.image.height()) == (80, 107), "turned upright, then fitted"
    real = make_thumbnail(photo, (160, 107), None)
    assert not real.preview
    assert (real.image.width(), real.image.height()) == (80, 107)
    again = decode_compact(real.encoded)
    assert (again.width(), again.height()) == (80, 107)
    assert len(real.encoded) < real.image.sizeInBytes() / 4


def test_a_screen_decode_fits_the_box_and_knows_the_whole_size(tmp_path: Path) -> None:
    path = tmp_path / "wide.jpg"
    path.write_bytes(jpeg_bytes(size=(4000, 1000), color=(200, 40, 20)))
    screen = decode_for_screen(path, (1920, 1080))
    assert (screen.image.width(), screen.image.height()) == (1920, 480)
    assert screen.full_size == (4000, 1000)
    assert screen.image.format() == QImage.Format.Format_RGB32
    colour = screen.image.pixelColor(960, 240)
    assert colour.alpha() == 255 and colour.red() > colour.blue()


def test_pixels_with_alpha_arrive_premultiplied(tmp_path: Path) -> None:
    from PIL import Image  # noqa: PLC0415

    path = tmp_path / "half.png"
    Image.new("RGBA", (40, 20), (200, 100, 0, 128)).save(path)
    image = decode_for_screen(path, (100, 100)).image
    assert image.format() == QImage.Format.Format_ARGB32_Premultiplied
    colour = image.pixelColor(5, 5)
    assert colour.alpha() == 128 and abs(colour.red() - 200) <= 2


def test_a_100_percent_decode_is_capped_for_the_windows_memory() -> None:
    assert full_resolution_box((6000, 4000)) is None
    box = full_resolution_box((12000, 8000))
    assert box is not None and box[0] * box[1] <= 32_000_000
    assert abs(box[0] / box[1] - 1.5) < 0.001


def test_a_large_gallery_is_thumbnailed_a_few_at_a_time(
    qtbot: QtBot, make_window: MakeWindow, make_gallery: MakeGallery, tmp_path: Path
) -> None:
    root = tmp_path / "thumbs"
    window = make_window(load_manifest(make_gallery(60)), cache=ThumbnailCache(root))
    state, runner = window.state, window.state.workers.runner
    most_queued = 0
    bar = window.strip.horizontalScrollBar()
    while bar.value() < bar.maximum():  # scroll to the end, cancelling as tiles pass by
        bar.setValue(bar.value() + window.strip.viewport().width() // 2)
        most_queued = max(most_queued, runner.pending_count())
        QApplication.processEvents()  # paints: the tiles now in view are asked for
    visible = len(window.strip.visible_rows())
    assert most_queued <= 2 * (visible + 2) + BACKGROUND_SLOTS + 4, "a folder is never queued whole"
    qtbot.waitUntil(lambda: not state.model.is_loading(), timeout=30_000)
    wait_until_idle(qtbot, state)
    assert len(list((root / "large").glob("*.png"))) == 60, "every photo ends up in the cache"
    assert all(state.model.thumbnail_state(r) == "final" for r in range(60))


def test_photos_skipped_in_a_hurry_are_not_decoded(
    qtbot: QtBot, make_window: MakeWindow, make_gallery: MakeGallery
) -> None:
    manifest = make_gallery(16)
    for path in manifest.parent.glob("*.jpg"):  # big enough that decodes take a moment
        path.write_bytes(jpeg_bytes(size=(3000, 2000)))
    window = make_window(load_manifest(manifest))
    state = window.state
    for row in range(1, 16):  # an arrow key held down: no event loop turn in between
        state.go_to(row)
    wait_until_idle(qtbot, state)
    qtbot.waitUntil(window.detail.photo_view.has_picture, timeout=10_000)
    assert state.current_row() == 15
    assert state.loader.screens_held() < 10, "most skipped photos were never decoded"
