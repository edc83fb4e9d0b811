"""Pixels for Qt: decoded in a worker process, wrapped in a QImage here without a copy.

The flow: a thread of the app asks a worker (:class:`~viewer.isolation.ProcessPool`) to
decode the file at the size it will be shown (:func:`viewer.imaging.pixels.screen_pixels`),
within the everyday memory budget or, for a picture that needs more, in the large-decode
lane. The worker sends back :class:`~viewer.imaging.raw.RawPixels`, already in Qt's
pixel layout; the thread wraps them in a QImage that keeps the bytes alive (PySide6 holds
a reference to them), converting nothing. Safe to call from worker threads: it touches
QImage only, never QPixmap or widgets. Without a pool (tests, tools) the same functions
run in the calling thread.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QImage

from viewer.imaging.jobs import animation_pixels, screen_pixels
from viewer.imaging.memory import DECODE_BUDGET, LARGE_DECODE_PIXELS, release_free_memory
from viewer.imaging.raw import RawAnimation, RawPixels

if TYPE_CHECKING:
    from viewer.isolation import ProcessPool

# 100% zoom decodes every pixel up to this many (128 MiB in the app); a larger photo is
# decoded at the largest size within it, so zooming never costs the window more.
FULL_RESOLUTION_PIXELS = 32_000_000

_FORMATS = {
    ("BGRA", False): QImage.Format.Format_RGB32,
    ("BGRA", True): QImage.Format.Format_ARGB32_Premultiplied,
    ("RGBA", False): QImage.Format.Format_RGBX8888,
    ("RGBA", True): QImage.Format.Format_RGBA8888_Premultiplied,
}


def qimage_of(raw: RawPixels) -> QImage:
    """A QImage on ``raw``'s bytes, with no conversion and no copy."""
    fmt = _FORMATS[(raw.byte_order, raw.alpha)]
    return QImage(raw.data, raw.width, raw.height, raw.width * 4, fmt)


def _budgeted(
    pool: ProcessPool | None,
    path: Path,
    function: Callable[..., Any],
    *args: Any,
    time_limit: float | None = None,
    **kwargs: Any,
) -> Any:
    """Run ``function(*args, budget=..., **kwargs)`` within a decode budget.

    With ``pool`` it runs in a worker (the large lane when the picture needs it); with no
    pool it runs here, with the everyday budget.
    """
    if pool is None:
        return function(*args, budget=DECODE_BUDGET, **kwargs)
    return pool.call_within_budget(path.name, function, *args, time_limit=time_limit, **kwargs)


@dataclasses.dataclass(frozen=True)
class ScreenImage:
    """A decode for the screen, and the photo's full size as displayed (upright)."""

    image: QImage
    full_size: tuple[int, int]


def decode_for_screen(
    path: Path,
    max_size: tuple[int, int] | None,
    pool: ProcessPool | None = None,
    root: Path | None = None,
) -> ScreenImage:
    """The photo upright in sRGB, fitted inside ``max_size`` device pixels.

    Raises:
        DecodeError: the file is missing, unreadable, not an image, too large or broken.
        TimeLimitError, WorkerCrashError: the worker process overran or died.
    """
    raw: RawPixels = _budgeted(pool, path, screen_pixels, path, max_size, root=root)
    return ScreenImage(_trimmed(qimage_of(raw)), raw.full_size)


def full_resolution_box(full_size: tuple[int, int]) -> tuple[int, int] | None:
    """The box for a 100% decode of a photo of ``full_size``.

    None (every pixel) when it fits :data:`FULL_RESOLUTION_PIXELS`, else the largest box
    that does.
    """
    width, height = full_size
    if width * height <= FULL_RESOLUTION_PIXELS:
        return None
    scale = math.sqrt(FULL_RESOLUTION_PIXELS / (width * height))
    return (max(1, int(width * scale)), max(1, int(height * scale)))


def decode_full_resolution(
    path: Path,
    full_size: tuple[int, int],
    pool: ProcessPool | None = None,
    root: Path | None = None,
    time_limit: float | None = None,
) -> QImage:
    """Every pixel of the photo (for 100% zoom), or as many as the window may hold."""
    box = full_resolution_box(full_size)
    raw: RawPixels = _budgeted(
        pool, path, screen_pixels, path, box, root=root, time_limit=time_limit
    )
    return _trimmed(qimage_of(raw))


def _trimmed(result: QImage) -> QImage:
    """After a big decode, give the memory it freed back to the system."""
    if result.width() * result.height() >= LARGE_DECODE_PIXELS:
        release_free_memory()
    return result


@dataclasses.dataclass(frozen=True)
class AnimationFrames:
    """An animation ready to play: QImages, how long each stays (ms), loops (0: for ever)."""

    frames: list[QImage]
    durations: list[int]
    loops: int


def decode_animation(
    path: Path,
    max_size: tuple[int, int] | None,
    pool: ProcessPool | None = None,
    root: Path | None = None,
    time_limit: float | None = None,
) -> AnimationFrames | None:
    """Every frame of an animated GIF, WebP or PNG at screen size.

    None for still images and for animations too big to hold (they stay on their first
    frame).
    """
    animation: RawAnimation | None = _budgeted(
        pool, path, animation_pixels, path, max_size, root=root, time_limit=time_limit
    )
    if animation is None:
        return None
    frames = [qimage_of(frame) for frame in animation.frames]
    return AnimationFrames(frames, list(animation.durations), animation.loops)
