"""Image formats beyond Pillow's own: HEIC/HEIF and AVIF through pillow-heif.

Called by every layer that opens images with Pillow (metadata and imaging) before it
does so, with the file it is about to open: pillow-heif (about 6 MiB once loaded) is only
loaded when a file's first bytes say HEIF or AVIF. Registration is a memo: the first
call registers, later calls return at once.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import BinaryIO

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


def is_heif(head: bytes) -> bool:
    """Whether a file's first 12 bytes are those of a HEIF or AVIF image."""
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


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


@functools.cache
def register_extra_formats() -> bool:
    """Teach Pillow to open HEIC, HEIF and AVIF; False when pillow-heif is unavailable."""
    try:
        import pillow_heif  # noqa: PLC0415 - only when images are opened
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True
