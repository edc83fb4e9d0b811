"""Pixels for Qt: decode with :mod:`viewer.imaging.pixels`, hand over a QImage.

Safe to call from worker threads: it touches QImage only, never QPixmap or widgets. With
a :class:`~viewer.isolation.ProcessPool` the decoding itself happens in a worker process
(a file that hangs or crashes its decoder takes only that process with it); the thread
turns the pixels it gets back into a QImage.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QImage

from viewer.imaging.memory import LARGE_DECODE_PIXELS, release_free_memory

if TYPE_CHECKING:
    from PIL import Image

    from viewer.isolation import ProcessPool


def _pixels(
    pool: ProcessPool | None,
    path: Path,
    function: Callable[..., Any],
    *args: Any,
    time_limit: float | None = None,
) -> Any:
    """``function(*args)`` in a worker process of ``pool``, or here when there is none."""
    if pool is None:
        return function(*args)
    return pool.call(path.name, function, *args, time_limit=time_limit)


def decode_image(
    path: Path,
    max_size: tuple[int, int] | None = None,
    *,
    pool: ProcessPool | None = None,
    time_limit: float | None = None,
) -> QImage:
    """Decode ``path`` upright in sRGB, fitted inside ``max_size`` device pixels.

    Args:
        path: the image file.
        max_size: the largest it will be shown, in device pixels; None for full size.
        pool: worker processes to decode in (None: in this thread).
        time_limit: seconds the worker may take (the pool's own limit when None).

    Raises:
        DecodeError: the file is missing, unreadable, not an image, too large or broken.
        TimeLimitError, WorkerCrashError: the worker process overran or died.
    """
    # Imported here, in the worker: start-up shows the window without waiting for Pillow.
    from viewer.imaging.pixels import load_display_image  # noqa: PLC0415

    image = _pixels(pool, path, load_display_image, path, max_size, time_limit=time_limit)
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


def decode_for_screen(
    path: Path, max_size: tuple[int, int] | None, pool: ProcessPool | None = None
) -> ScreenImage:
    """:func:`decode_image` for the detail view, with the full size zooming needs."""
    from viewer.imaging.pixels import load_display_image_sized  # noqa: PLC0415

    image, full_size = _pixels(pool, path, load_display_image_sized, path, max_size)
    result = to_qimage(image)
    del image  # the decoded copy must be gone before the trim can give its memory back
    return ScreenImage(_trimmed(result), full_size)


@dataclasses.dataclass(frozen=True)
class AnimationFrames:
    """An animation ready to play: QImages, how long each stays (ms), loops (0: for ever)."""

    frames: list[QImage]
    durations: list[int]
    loops: int


def decode_animation(
    path: Path, max_size: tuple[int, int] | None, pool: ProcessPool | None = None
) -> AnimationFrames | None:
    """Every frame of an animated GIF, WebP or PNG at screen size; None for still images
    and for animations too big to hold (they stay on their first frame)."""
    from viewer.imaging.pixels import load_animation  # noqa: PLC0415

    limit = pool.time_limit * 3 if pool is not None else None
    animation = _pixels(pool, path, load_animation, path, max_size, time_limit=limit)
    if animation is None:
        return None
    frames = [to_qimage(frame) for frame in animation.frames]
    return AnimationFrames(frames, animation.durations, animation.loops)


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
