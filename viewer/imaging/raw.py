"""Pixels in the layout Qt paints fastest, made in a worker and sent as they are.

A worker turns its decoded picture into :class:`RawPixels`: 32-bit pixels in Qt's
``Format_RGB32`` layout (opaque) or ``Format_ARGB32_Premultiplied`` (with alpha), both
blue-green-red-alpha in memory on little-endian machines (on big-endian ones, the
byte-ordered ``RGBX8888`` and ``RGBA8888_Premultiplied``). The app wraps the bytes in a
QImage without converting or copying them (:func:`viewer.imaging.decode.qimage_of`), and
:mod:`viewer.isolation` sends them down the pipe outside pickle, so a large picture
exists once in the app, not three times. No Qt, and Pillow only when converting.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image


@dataclasses.dataclass(frozen=True)
class RawPixels:
    """A decoded picture ready for Qt.

    Attributes:
        width, height: its size in pixels.
        alpha: True for premultiplied alpha, False for opaque pixels.
        data: ``width * height * 4`` bytes, rows without padding.
        full_size: the photo's whole size as displayed (upright), which may be larger
            than this decode; (0, 0) when it does not matter.
    """

    width: int
    height: int
    alpha: bool
    data: bytes | bytearray
    full_size: tuple[int, int] = (0, 0)
    byte_order: str = "BGRA"


def raw_cost(size: tuple[int, int]) -> int:
    """Bytes making RawPixels of ``size`` takes at its peak: a 4-byte copy and its bytes."""
    return size[0] * size[1] * 8


def to_raw(image: Image.Image, full_size: tuple[int, int] = (0, 0)) -> RawPixels:
    """An RGB or RGBA Pillow image as RawPixels."""
    order = "RGBA" if sys.byteorder == "big" else "BGRA"
    if image.mode == "RGBA":
        premultiplied = image.convert("RGBa")
        data = premultiplied.tobytes("raw", order[:3] + "a")
        return RawPixels(image.width, image.height, True, data, full_size, order)
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    if order == "RGBA":
        data = rgb.tobytes("raw", "RGBX")  # the padding byte is 255
    else:
        data = rgb.convert("RGBA").tobytes("raw", "BGRA")
    return RawPixels(rgb.width, rgb.height, False, data, full_size, order)


@dataclasses.dataclass(frozen=True)
class RawAnimation:
    """An animation ready for Qt: its frames, how long each stays, how often it plays.

    ``durations`` are in milliseconds; ``loops`` is how many times it plays in all
    (0: for ever).
    """

    frames: tuple[RawPixels, ...]
    durations: tuple[int, ...]
    loops: int


Detachable = RawPixels | RawAnimation


def detach(result: object) -> tuple[Detachable, list[bytes | bytearray]] | None:
    """Take the pixels out of a result, to be sent on their own.

    Returns the result without them and the buffers in order; None for results that hold
    no pixels.
    """
    if isinstance(result, RawPixels):
        return dataclasses.replace(result, data=b""), [result.data]
    if isinstance(result, RawAnimation):
        frames = tuple(dataclasses.replace(frame, data=b"") for frame in result.frames)
        return dataclasses.replace(result, frames=frames), [f.data for f in result.frames]
    return None


def attach(skeleton: Detachable, buffers: list[bytearray]) -> Detachable:
    """The inverse of :func:`detach`."""
    if isinstance(skeleton, RawPixels):
        return dataclasses.replace(skeleton, data=buffers[0])
    frames = tuple(
        dataclasses.replace(frame, data=data)
        for frame, data in zip(skeleton.frames, buffers, strict=True)
    )
    return dataclasses.replace(skeleton, frames=frames)
