"""TIFF image file directories: the structure EXIF uses, and TIFF files themselves.

Only what the metadata reader needs is walked: IFD0 (description, artist, copyright,
camera, orientation, and in TIFF files the IPTC, Photoshop and XMP tags) and the Exif
IFD it points to (UserComment, and the camera tags some phones put there). Reads are
bounded: at most :data:`MAX_ENTRIES` entries per directory and a size cap per value, so
a lying count cannot make the reader allocate or read without end.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

IMAGE_DESCRIPTION = 0x010E
MAKE = 0x010F
MODEL = 0x0110
ORIENTATION = 0x0112
SOFTWARE = 0x0131
ARTIST = 0x013B
XMP = 0x02BC
COPYRIGHT = 0x8298
IPTC = 0x83BB
PHOTOSHOP = 0x8649
EXIF_IFD = 0x8769
USER_COMMENT = 0x9286
XP_TITLE = 0x9C9B
XP_COMMENT = 0x9C9C
XP_AUTHOR = 0x9C9D

# The tags whose values are read; other entries are listed but their values never loaded.
WANTED = frozenset(
    {
        IMAGE_DESCRIPTION,
        MAKE,
        MODEL,
        ORIENTATION,
        SOFTWARE,
        ARTIST,
        XMP,
        COPYRIGHT,
        IPTC,
        PHOTOSHOP,
        EXIF_IFD,
        USER_COMMENT,
        XP_TITLE,
        XP_COMMENT,
        XP_AUTHOR,
    }
)
MAX_ENTRIES = 1000
MAX_BLOCK = 64 * 1024 * 1024  # IPTC, XMP and Photoshop blocks
MAX_VALUE = 1024 * 1024  # any other value we read
_BLOCK_TAGS = frozenset({XMP, IPTC, PHOTOSHOP})
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}


@dataclass(frozen=True)
class Entry:
    """One directory entry: its type, count and value bytes (as stored)."""

    tag: int
    kind: int
    count: int
    data: bytes
    little: bool

    def number(self) -> int | None:
        """The first value of a SHORT or LONG entry, else None."""
        if self.kind == 3 and len(self.data) >= 2:
            return int(struct.unpack_from("<H" if self.little else ">H", self.data)[0])
        if self.kind == 4 and len(self.data) >= 4:
            return int(struct.unpack_from("<I" if self.little else ">I", self.data)[0])
        return None


Directory = dict[int, Entry]


def header(head: bytes) -> tuple[bool, int] | None:
    """(little-endian, offset of IFD0) from a TIFF header's 8 bytes, or None."""
    if len(head) < 8:
        return None  # cut inside its own header: not a TIFF structure to walk
    if head[:4] == b"II*\x00":
        return True, int(struct.unpack_from("<I", head, 4)[0])
    if head[:4] == b"MM\x00*":
        return False, int(struct.unpack_from(">I", head, 4)[0])
    return None


def read_directory(stream: BinaryIO, base: int, offset: int, little: bool) -> Directory:
    """The entries of :data:`WANTED` tags in the directory at ``offset``.

    ``offset`` counts from ``base``, the TIFF header. Values that point outside the stream
    or exceed their size cap are left out.
    """
    order = "<" if little else ">"
    stream.seek(base + offset)
    raw_count = stream.read(2)
    if len(raw_count) < 2:
        return {}
    count = min(int(struct.unpack(order + "H", raw_count)[0]), MAX_ENTRIES)
    table = stream.read(12 * count)
    entries: Directory = {}
    for index in range(len(table) // 12):
        tag, kind, number = struct.unpack_from(order + "HHI", table, 12 * index)
        size = _TYPE_SIZES.get(kind, 0) * number
        cap = MAX_BLOCK if tag in _BLOCK_TAGS else MAX_VALUE
        if tag not in WANTED or size == 0 or size > cap or tag in entries:
            continue
        if size <= 4:
            data = table[12 * index + 8 : 12 * index + 8 + size]
        else:
            (where,) = struct.unpack_from(order + "I", table, 12 * index + 8)
            here = stream.tell()
            stream.seek(base + where)
            data = stream.read(size)
            stream.seek(here)
            if len(data) < size:
                continue
        entries[tag] = Entry(tag, kind, number, data, little)
    return entries


def read_exif(stream: BinaryIO, base: int = 0) -> tuple[Directory, Directory]:
    """IFD0 and the Exif IFD of the TIFF structure starting at ``base``.

    Both are empty when the header is not TIFF's.
    """
    stream.seek(base)
    found = header(stream.read(8))
    if found is None:
        return {}, {}
    little, first = found
    ifd0 = read_directory(stream, base, first, little)
    pointer = ifd0.get(EXIF_IFD)
    offset = pointer.number() if pointer is not None else None
    exif = read_directory(stream, base, offset, little) if offset else {}
    return ifd0, exif


def string_bytes(entry: Entry | None) -> bytes:
    """An ASCII (or byte) value's bytes up to its first NUL; b"" for none."""
    if entry is None or entry.kind not in (1, 2, 7):
        return b""
    return entry.data.split(b"\x00", 1)[0]


def copyright_bytes(entry: Entry | None) -> bytes:
    """EXIF Copyright, both parts, one per line (as ExifTool shows them).

    The tag holds "photographer NUL editor NUL".
    """
    if entry is None or entry.kind not in (1, 2, 7):
        return b""
    parts = entry.data.split(b"\x00")
    first = parts[0].rstrip(b" ")
    second = parts[1] if len(parts) > 1 else b""
    return first + b"\n" + second if second else first
