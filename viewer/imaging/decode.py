"""Pixels for Qt: decode with :mod:`viewer.imaging.pixels`, hand over a QImage.

Safe to call from worker threads: it touches QImage only, never QPixmap or widgets.
Pictures with transparency can be composed over a neutral checkerboard so that what is
transparent looks transparent, whatever the background it is shown on.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

from viewer.imaging.memory import LARGE_DECODE_PIXELS, release_free_memory

if TYPE_CHECKING:
    from PIL import Image

CHECKER_LIGHT = (204, 204, 204)
CHECKER_DARK = (153, 153, 153)
CHECKER_CELL = 8


def decode_image(
    path: Path, max_size: tuple[int, int] | None = None, *, checkerboard: bool = False
) -> QImage:
    """Decode ``path`` upright in sRGB, fitted inside ``max_size`` device pixels.

    Args:
        path: the image file.
        max_size: the largest it will be shown, in device pixels; None for full size.
        checkerboard: compose transparent pictures over a checkerboard (for thumbnails,
            which the item view paints with no background of its own).

    Raises:
        DecodeError: the file is missing, unreadable, not an image, too large or broken.
    """
    # Imported here, in the worker: start-up shows the window without waiting for Pillow.
    from viewer.imaging.pixels import load_display_image  # noqa: PLC0415

    image = load_display_image(path, max_size)
    if checkerboard and image.mode == "RGBA":
        image = over_checkerboard(image)
    result = to_qimage(image)
    del image  # the decoded copy must be gone before the trim can give its memory back
    return _trimmed(result)


def _trimmed(result: QImage) -> QImage:
    """After a big decode, give the memory it freed back to the system."""
    if result.width() * result.height() >= LARGE_DECODE_PIXELS:
        release_free_memory()
    return result


@dataclasses.dataclass(frozen=True)
class ScreenImage:
    """A decode for the screen, and the photo's full size as displayed (upright)."""

    image: QImage
    full_size: tuple[int, int]


def decode_for_screen(path: Path, max_size: tuple[int, int] | None) -> ScreenImage:
    """:func:`decode_image` for the detail view, with the full size zooming needs."""
    from viewer.imaging.pixels import load_display_image_sized  # noqa: PLC0415

    image, full_size = load_display_image_sized(path, max_size)
    result = to_qimage(image)
    del image  # the decoded copy must be gone before the trim can give its memory back
    return ScreenImage(_trimmed(result), full_size)


@dataclasses.dataclass(frozen=True)
class AnimationFrames:
    """An animation ready to play: QImages, how long each stays (ms), loops (0: for ever)."""

    frames: list[QImage]
    durations: list[int]
    loops: int


def decode_animation(path: Path, max_size: tuple[int, int] | None) -> AnimationFrames | None:
    """Every frame of an animated GIF, WebP or PNG at screen size; None for still images
    and for animations too big to hold (they stay on their first frame)."""
    from viewer.imaging.pixels import load_animation  # noqa: PLC0415

    animation = load_animation(path, max_size)
    if animation is None:
        return None
    frames = [to_qimage(frame) for frame in animation.frames]
    return AnimationFrames(frames, animation.durations, animation.loops)


def over_checkerboard(image: Image.Image, cell: int = CHECKER_CELL) -> Image.Image:
    """``image`` (RGBA) composed over a light grey checkerboard, as RGB."""
    from PIL import Image  # noqa: PLC0415

    tile = Image.new("RGB", (2 * cell, 2 * cell), CHECKER_LIGHT)
    tile.paste(CHECKER_DARK, (cell, 0, 2 * cell, cell))
    tile.paste(CHECKER_DARK, (0, cell, cell, 2 * cell))
    board = Image.new("RGB", image.size)
    for y in range(0, image.height, tile.height):
        for x in range(0, image.width, tile.width):
            board.paste(tile, (x, y))
    board.paste(image, (0, 0), image)
    return board


def to_qimage(image: Image.Image) -> QImage:
    """Copy an RGB, RGBA or L Pillow image into a QImage that owns its pixels."""
    if image.mode == "RGBA":
        fmt = QImage.Format.Format_RGBA8888
        raw = image.tobytes()
        qimage = QImage(raw, image.width, image.height, image.width * 4, fmt)
        return qimage.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    raw = rgb.tobytes()
    qimage = QImage(raw, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888)
    return qimage.convertToFormat(QImage.Format.Format_RGB32)  # a copy that owns its pixels
