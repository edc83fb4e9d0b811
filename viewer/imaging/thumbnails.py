"""Thumbnails for the strip: compact JPEG bytes made in a worker process, then pixels.

The flow: a thread of the app's pool asks a worker process (``viewer.isolation``) for the
file's thumbnail as compact JPEG bytes (:mod:`viewer.imaging.compact`: from the disk
cache or a fresh decode stored there, or the camera's embedded preview, even quicker);
the thread turns the bytes into a QImage ready to paint. The model keeps the bytes in
its memory cache and decodes them again when a tile scrolls back into view. Without a
process pool (tests of the imaging layer, tools) the same functions run in the thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

from viewer.imaging.compact import compact_preview, compact_thumbnail
from viewer.imaging.thumbcache import ThumbnailCache

if TYPE_CHECKING:
    from viewer.isolation import ProcessPool


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


def make_thumbnail(
    path: Path,
    box: tuple[int, int],
    cache: ThumbnailCache | None,
    pool: ProcessPool | None = None,
    root: Path | None = None,
) -> Thumbnail:
    """The thumbnail of ``path`` fitted inside ``box`` device pixels.

    A picture that needs more than the everyday memory budget waits for the large-decode
    lane.

    Raises:
        DecodeError: the file cannot be thumbnailed.
        TimeLimitError, WorkerCrashError: the worker process overran or died.
    """
    if pool is None:
        encoded = compact_thumbnail(path, box, cache, root=root)
    else:
        encoded = pool.call_within_budget(path.name, compact_thumbnail, path, box, cache, root=root)
    return Thumbnail(decode_compact(encoded), encoded)


def make_preview(
    path: Path, box: tuple[int, int], pool: ProcessPool | None = None, root: Path | None = None
) -> Thumbnail | None:
    """The camera's embedded EXIF preview, upright and fitted; None when there is none."""
    if pool is None:
        encoded = compact_preview(path, box, root)
    else:
        encoded = pool.call(path.name, compact_preview, path, box, root)
    return None if encoded is None else Thumbnail(decode_compact(encoded), encoded, True)


def decode_compact(encoded: bytes) -> QImage:
    """Turn a compact copy back into pixels (about a millisecond)."""
    image = QImage()
    image.loadFromData(encoded, "JPEG")
    return image
