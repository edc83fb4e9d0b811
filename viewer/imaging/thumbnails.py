"""Thumbnails for the strip: from the disk cache or a fresh decode, ready to paint.

The flow in a worker: ask the :class:`ThumbnailCache` for the file's thumbnail in the
size class that covers the strip's tiles in device pixels (a valid cached PNG is reused,
otherwise the photo is decoded at that size and stored); fit it to the tile; compose
transparency over a checkerboard; keep a compact JPEG copy for the in-memory cache and a
QImage for painting now. The embedded EXIF preview gives an even quicker first picture.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

from viewer.imaging.decode import over_checkerboard, to_qimage
from viewer.imaging.exif_thumbnail import read_exif_thumbnail
from viewer.imaging.geometry import fit_within
from viewer.imaging.thumbcache import ThumbnailCache, size_class_for

if TYPE_CHECKING:
    from PIL import Image

# Pillow and the pixel pipeline are imported inside the functions below, which run in
# worker threads, so that start-up does not wait for them.

COMPACT_QUALITY = 88


@dataclass(frozen=True)
class Thumbnail:
    """A thumbnail as the strip needs it.

    Attributes:
        image: ready to paint (upright, sRGB, transparency over a checkerboard).
        encoded: the same pixels as JPEG bytes, about a twentieth of the decoded size.
        preview: True for the camera's embedded preview, shown until the real one is ready.
    """

    image: QImage
    encoded: bytes
    preview: bool = False


def make_thumbnail(path: Path, box: tuple[int, int], cache: ThumbnailCache | None) -> Thumbnail:
    """The thumbnail of ``path`` fitted inside ``box`` device pixels.

    Raises:
        DecodeError: the file cannot be thumbnailed.
    """
    from viewer.imaging.pixels import load_display_image  # noqa: PLC0415

    edge = max(box)
    if cache is not None:
        image = cache.thumbnail(path, size_class_for(edge))
    else:
        image = load_display_image(path, (edge, edge))
    return _finish(image, box, preview=False)


def make_preview(path: Path, box: tuple[int, int]) -> Thumbnail | None:
    """The camera's embedded EXIF preview, upright and fitted; None when there is none."""
    from PIL import Image  # noqa: PLC0415

    from viewer.imaging.pixels import apply_orientation, orientation_of  # noqa: PLC0415

    data = read_exif_thumbnail(path)
    if data is None:
        return None
    try:
        with Image.open(io.BytesIO(data)) as embedded:
            embedded.load()
            image = embedded.convert("RGB")
        with Image.open(path) as photo:
            orientation = orientation_of(photo)
    except Exception:  # a broken preview is no preview; the real thumbnail follows
        return None
    return _finish(apply_orientation(image, orientation), box, preview=True)


def _finish(image: Image.Image, box: tuple[int, int], *, preview: bool) -> Thumbnail:
    from PIL import Image  # noqa: PLC0415

    size = fit_within(image.width, image.height, box)
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    if image.mode == "RGBA":
        image = over_checkerboard(image)
    image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=COMPACT_QUALITY)
    return Thumbnail(to_qimage(image), buffer.getvalue(), preview)


def decode_compact(encoded: bytes) -> QImage:
    """Turn a compact copy back into pixels (on the GUI thread: about a millisecond)."""
    image = QImage()
    image.loadFromData(encoded, "JPEG")
    return image
