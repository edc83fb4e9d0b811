"""The small preview JPEG that cameras embed in EXIF (IFD1), read without decoding the photo.

Reading it costs a fraction of a millisecond, so the strip can show something at once
while the real thumbnail is made. The flow: walk the JPEG markers to the APP1 "Exif"
segment, read the TIFF header's byte order, skip IFD0 to IFD1, and take the bytes that
JPEGInterchangeFormat (0x0201) and its length (0x0202) point at.
"""

from __future__ import annotations

import struct
from pathlib import Path

from viewer.fileaccess import read_regular

_APP1 = 0xE1
_SOS = 0xDA
_READ_LIMIT = 256 * 1024  # EXIF lives in the first 64 KiB segment; never read the photo


def read_exif_thumbnail(path: Path, root: Path | None = None) -> bytes | None:
    """The embedded JPEG preview of ``path``, or None when it has none.

    None too when the preview is broken, or the file is not a regular file, or it is not
    beneath ``root`` when given.
    """
    try:
        head = read_regular(path, _READ_LIMIT, root)
    except OSError:
        return None
    try:
        tiff = _exif_block(head)
        return _ifd1_jpeg(tiff) if tiff is not None else None
    except (struct.error, IndexError, ValueError):
        return None


def _exif_block(data: bytes) -> bytes | None:
    if data[:2] != b"\xff\xd8":
        return None
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == _SOS:
            return None
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        body = data[pos + 4 : pos + 2 + length]
        if marker == _APP1 and body.startswith(b"Exif\x00\x00"):
            return body[6:]
        pos += 2 + length
    return None


def _ifd1_jpeg(tiff: bytes) -> bytes | None:
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return None
    (ifd0,) = struct.unpack(order + "I", tiff[4:8])
    (count,) = struct.unpack(order + "H", tiff[ifd0 : ifd0 + 2])
    (ifd1,) = struct.unpack(order + "I", tiff[ifd0 + 2 + 12 * count : ifd0 + 6 + 12 * count])
    if ifd1 == 0:
        return None
    (count,) = struct.unpack(order + "H", tiff[ifd1 : ifd1 + 2])
    offset = length = 0
    for i in range(count):
        entry = tiff[ifd1 + 2 + 12 * i : ifd1 + 14 + 12 * i]
        tag, kind = struct.unpack(order + "HH", entry[:4])
        long_value = kind == 4
        field = entry[8:12] if long_value else entry[8:10]
        (value,) = struct.unpack(order + ("I" if long_value else "H"), field)
        if tag == 0x0201:
            offset = value
        elif tag == 0x0202:
            length = value
    if offset <= 0 or length <= 0 or offset + length > len(tiff):
        return None
    jpeg = tiff[offset : offset + length]
    return jpeg if jpeg.startswith(b"\xff\xd8") else None
