"""Decode an image file into a QImage no larger than it will be shown.

The flow for one file: QImageReader reads the header (size and EXIF orientation); the
target box is turned to match how the pixels are stored; ``setScaledSize`` lets the
JPEG decoder shrink while it decodes (far cheaper than decoding everything and scaling
down); auto-transform applies the orientation; the result is converted to the format
Qt paints fastest. When Qt has no plugin for the file, Pillow decodes it instead. Any
failure becomes a :class:`DecodeError` that names the file and the problem.

Safe to call from worker threads: it touches QImage only, never QPixmap or widgets.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader

MAX_PIXELS = 250_000_000  # refuse absurd dimensions before allocating anything


class DecodeError(Exception):
    """A file that cannot be turned into pixels.

    Attributes:
        path: the file.
        reason: what went wrong, in words a person understands.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


def fit_within(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """Scale (width, height) to fit inside box, keeping the aspect; never enlarge."""
    box_w, box_h = box
    if width <= 0 or height <= 0:
        return (0, 0)
    scale = min(box_w / width, box_h / height, 1.0)
    return (max(1, round(width * scale)), max(1, round(height * scale)))


def decode_image(path: Path, max_size: tuple[int, int] | None = None) -> QImage:
    """Decode ``path`` upright, fitted inside ``max_size`` device pixels (None: full size).

    Raises:
        DecodeError: the file is missing, unreadable, not an image, too large or broken.
    """
    if not path.is_file():
        raise DecodeError(path, "the file does not exist or is not a regular file")
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    stored = reader.size()
    if reader.canRead() and stored.isValid():
        image = _decode_with_qt(path, reader, stored, max_size)
    else:
        image = _decode_with_pillow(path, max_size)
    if image.hasAlphaChannel():
        return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    return image.convertToFormat(QImage.Format.Format_RGB32)


def _decode_with_qt(
    path: Path, reader: QImageReader, stored: QSize, max_size: tuple[int, int] | None
) -> QImage:
    if stored.width() * stored.height() > MAX_PIXELS:
        raise DecodeError(path, f"{stored.width()} × {stored.height()} pixels is too large to show")
    if max_size is not None:
        box = max_size
        if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
            box = (max_size[1], max_size[0])  # the box in stored orientation
        width, height = fit_within(stored.width(), stored.height(), box)
        if (width, height) != (stored.width(), stored.height()):
            reader.setScaledSize(QSize(width, height))
    image = reader.read()
    if image.isNull():
        raise DecodeError(path, f"the image data is damaged ({reader.errorString()})")
    return image


def _decode_with_pillow(path: Path, max_size: tuple[int, int] | None) -> QImage:
    from PIL import Image, ImageOps, UnidentifiedImageError  # noqa: PLC0415 - only when Qt can't

    try:
        with Image.open(path) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise DecodeError(
                    path, f"{opened.width} × {opened.height} pixels is too large to show"
                )
            if max_size is not None:
                opened.draft("RGB", max_size)
            image = ImageOps.exif_transpose(opened)
            if max_size is not None:
                image.thumbnail(max_size, Image.Resampling.LANCZOS)
            rgba = image.convert("RGBA")
    except DecodeError:
        raise
    except UnidentifiedImageError:
        raise DecodeError(path, "this is not an image format Photo Desk can read") from None
    except Image.DecompressionBombError as exc:
        raise DecodeError(path, f"refused as a decompression bomb ({exc})") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise DecodeError(path, f"the image data is damaged ({exc})") from None
    data = rgba.tobytes()
    qimage = QImage(data, rgba.width, rgba.height, rgba.width * 4, QImage.Format.Format_RGBA8888)
    return qimage.copy()  # detach from the Python buffer before it is freed
