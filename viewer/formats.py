"""Which image format a file is, by its first bytes; HEIC/HEIF and AVIF through pillow-heif.

Called by every layer that opens images with Pillow (metadata and imaging) before it
does so, with the file it is about to open: pillow-heif (about 6 MiB once loaded) is only
loaded when a file's first bytes say HEIF or AVIF. Registration is a memo: the first
call registers, later calls return at once.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, BinaryIO

from viewer.fileaccess import read_regular

# ISO base media "ftyp" brands of HEIF and AVIF images.
HEIF_BRANDS = (
    b"heic",
    b"heix",
    b"heim",
    b"heis",
    b"hevc",
    b"hevx",
    b"mif1",
    b"msf1",
    b"avif",
    b"avis",
)


# The first bytes of every format Photo Desk opens (the one table; HEIF and WebP below).
_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),  # and MPO
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),  # and DNG, little-endian
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)
SNIFF_BYTES = 16  # how many first bytes sniff_format needs


def is_heif(head: bytes) -> bool:
    """Whether a file's first 12 bytes are those of a HEIF or AVIF image."""
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def sniff_format(head: bytes) -> str:
    """The image format a file's first bytes claim ("JPEG", "HEIF"...), or ""."""
    if is_heif(head):
        return "HEIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return next((name for magic, name in _SIGNATURES if head.startswith(magic)), "")


def sniff_file(path: Path) -> str:
    """:func:`sniff_format` of a file (a regular file only; "" when it cannot be read)."""
    try:
        return sniff_format(read_regular(path, SNIFF_BYTES))
    except OSError:
        return ""


def register_formats_for(path: Path) -> None:
    """Make sure Pillow can open ``path`` (loads pillow-heif for HEIF and AVIF only)."""
    try:
        head = read_regular(path, 12)
    except OSError:
        return  # opening it will say what is wrong
    if is_heif(head):
        register_extra_formats()


def register_formats_for_stream(stream: BinaryIO) -> None:
    """:func:`register_formats_for` on an open file, left at its start."""
    head = stream.read(12)
    stream.seek(0)
    if is_heif(head):
        register_extra_formats()


def header_exif(image: Any) -> Any:
    """An opened Pillow image's EXIF, read without decoding the picture.

    Pillow's PNG plugin decodes every pixel to look for an eXIf chunk after the image
    data when none came before it: a 64-MP PNG would cost 256 MiB and a second just to
    learn it has no EXIF. Such a PNG gets an empty EXIF here; decoders that load the
    picture anyway ask again after loading.
    """
    if getattr(image, "format", None) == "PNG" and "exif" not in image.info:
        from PIL import Image  # noqa: PLC0415 - callers have opened an image already

        return Image.Exif()
    return image.getexif()


@functools.cache
def register_extra_formats() -> bool:
    """Teach Pillow to open HEIC, HEIF and AVIF; False when pillow-heif is unavailable."""
    try:
        import pillow_heif  # noqa: PLC0415 - only when images are opened
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True
