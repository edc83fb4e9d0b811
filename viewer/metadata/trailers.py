"""IPTC appended after the image: FotoStation and AFCP trailers (JPEG and TIFF).

Some newsroom tools never touch the image's own structure and append their data at the
end of the file instead. Trailers are found from the end, one before the other:

* FotoWare FotoStation: records read backwards, each ending with a 10-byte footer
  (tag, record size, the signature ``A1 B2 C3 D4``); tag 1 is an IIM block.
* AFCP ("AXS File Concatenation Protocol"): the file ends with ``AXS!`` (big-endian) or
  ``AXS*`` (little-endian) and the trailer's start; there a directory lists entries by
  name, ``IPTC`` being an IIM block.

All sizes are checked against the file before anything is read, and capped.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from typing import BinaryIO

MAX_TRAILERS = 8
MAX_RECORD = 64 * 1024 * 1024
_FOTOSTATION = 0xA1B2C3D4

AddIptc = Callable[[bytes, str, bool], None]


def read_trailers(stream: BinaryIO, add_iptc: AddIptc) -> None:
    """Hand the IIM blocks of the file's trailers to ``add_iptc(data, where, standard)``."""
    end = stream.seek(0, os.SEEK_END)
    for _ in range(MAX_TRAILERS):
        if end < 16:
            return
        stream.seek(end - 12)
        tail = stream.read(12)
        if tail[-4:] == struct.pack(">I", _FOTOSTATION):
            start = _fotostation(stream, end, add_iptc)
        elif tail[:4] in (b"AXS!", b"AXS*"):
            start = _afcp(stream, end, tail, add_iptc)
        else:
            return
        if start is None or start >= end:
            return
        end = start


def _fotostation(stream: BinaryIO, end: int, add_iptc: AddIptc) -> int | None:
    """Read FotoStation records backwards from ``end``; the trailer's start."""
    position = end
    while position >= 10:
        stream.seek(position - 10)
        tag, size, signature = struct.unpack(">HII", stream.read(10))
        if signature != _FOTOSTATION or size < 10 or size > position or size > MAX_RECORD:
            break
        position -= size
        if tag == 1:
            stream.seek(position)
            add_iptc(stream.read(size - 10), "IPTC in a FotoStation trailer", False)
    return position if position < end else None


def _afcp(stream: BinaryIO, end: int, tail: bytes, add_iptc: AddIptc) -> int | None:
    """Read an AFCP trailer ending at ``end``; the trailer's start."""
    order = ">" if tail[3:4] == b"!" else "<"
    start = int(struct.unpack(order + "I", tail[4:8])[0])
    if start >= end:
        return None
    stream.seek(start)
    head = stream.read(12)
    if head[:4] != tail[:4]:
        return None
    (count,) = struct.unpack(order + "H", head[6:8])
    directory = stream.read(12 * min(count, 1000))
    for index in range(len(directory) // 12):
        name, size, offset = struct.unpack(order + "4sII", directory[12 * index : 12 * index + 12])
        if name == b"IPTC" and size <= MAX_RECORD and offset + size <= end:
            stream.seek(offset)
            add_iptc(stream.read(size), "IPTC in an AFCP trailer", False)
    return start
