"""Thumbnails as compact JPEG bytes, made where the file is read (a worker process).

From a path to bytes: the freedesktop cache's thumbnail (or a fresh decode stored there)
or the camera's embedded EXIF preview; fitted to the tile; transparency composed over a
neutral checkerboard; saved as a small JPEG. The GUI side turns the bytes into a QImage
(:func:`viewer.imaging.thumbnails.decode_compact`). Pillow only, no Qt: this module is
what worker processes import.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.fileaccess import open_regular
from viewer.imaging.exif_thumbnail import read_exif_thumbnail
from viewer.imaging.geometry import fit_within
from viewer.imaging.memory import DECODE_BUDGET
from viewer.imaging.thumbcache import ThumbnailCache, size_class_for

if TYPE_CHECKING:
    from PIL import Image

CHECKER_LIGHT = (204, 204, 204)
CHECKER_DARK = (153, 153, 153)
CHECKER_CELL = 8
COMPACT_QUALITY = 88
# An EXIF preview lives in one 64 KiB segment; real ones are at most a few hundred
# pixels a side. One that claims more is a lie, and is not decoded.
MAX_PREVIEW_PIXELS = 1920 * 1920


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


def compact(image: Image.Image, box: tuple[int, int]) -> bytes:
    """``image`` fitted inside ``box``, transparency over a checkerboard, as JPEG bytes."""
    from PIL import Image  # noqa: PLC0415

    size = fit_within(image.width, image.height, box)
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    if image.mode == "RGBA":
        image = over_checkerboard(image)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=COMPACT_QUALITY)
    return buffer.getvalue()


def compact_thumbnail(
    path: Path,
    box: tuple[int, int],
    cache: ThumbnailCache | None,
    budget: int | None = DECODE_BUDGET,
    root: Path | None = None,
) -> bytes:
    """The thumbnail of ``path`` fitted inside ``box`` device pixels, as JPEG bytes.

    Raises:
        OverBudgetError: decoding would take more than ``budget`` bytes.
        DecodeError: the file cannot be thumbnailed.
    """
    from viewer.imaging.pixels import load_display_image  # noqa: PLC0415 - in the worker

    edge = max(box)
    if cache is not None:
        image = cache.thumbnail(path, size_class_for(edge), budget, root)
    else:
        image = load_display_image(path, (edge, edge), budget, root)
    return compact(image, box)


def compact_preview(path: Path, box: tuple[int, int], root: Path | None = None) -> bytes | None:
    """The camera's embedded EXIF preview, upright and fitted, as JPEG bytes.

    None when there is none, or it is broken, or it claims to be larger than a preview can
    be (a few hundred bytes can claim billions of pixels: the real thumbnail follows).
    """
    from PIL import Image  # noqa: PLC0415

    from viewer.imaging.pixels import apply_orientation, orientation_of  # noqa: PLC0415

    data = read_exif_thumbnail(path, root)
    if data is None:
        return None
    try:
        with warnings.catch_warnings():
            # A preview claiming a bomb's size is no preview: refused, not warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            embedded = Image.open(io.BytesIO(data), formats=["JPEG"])
        with embedded:
            if embedded.width * embedded.height > MAX_PREVIEW_PIXELS:
                return None
            embedded.draft("RGB", box)
            embedded.load()
            image = embedded.convert("RGB")
        with open_regular(path, root) as stream, Image.open(stream) as photo:
            orientation = orientation_of(photo)
    except Exception:  # a broken preview is no preview
        return None
    return compact(apply_orientation(image, orientation), box)
