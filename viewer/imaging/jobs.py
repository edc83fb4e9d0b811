"""What the worker processes are asked to run for the window: light entry points.

A function sent to a worker travels by name, so the app imports the module that defines
it. These entry points import Pillow and the decoders only when they run, in the
worker: the window's own process never loads them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from viewer.imaging.memory import DECODE_BUDGET

if TYPE_CHECKING:
    from viewer.imaging.raw import RawAnimation, RawPixels


def screen_pixels(
    path: Path,
    max_size: tuple[int, int] | None,
    budget: int | None = DECODE_BUDGET,
    root: Path | None = None,
) -> RawPixels:
    """:func:`viewer.imaging.pixels.screen_pixels`, loaded in the worker."""
    from viewer.imaging import pixels  # noqa: PLC0415 - in the worker only

    return pixels.screen_pixels(path, max_size, budget, root)


def animation_pixels(
    path: Path,
    max_size: tuple[int, int] | None,
    budget: int | None = DECODE_BUDGET,
    root: Path | None = None,
) -> RawAnimation | None:
    """:func:`viewer.imaging.pixels.animation_pixels`, loaded in the worker."""
    from viewer.imaging import pixels  # noqa: PLC0415 - in the worker only

    return pixels.animation_pixels(path, max_size, budget, root)
