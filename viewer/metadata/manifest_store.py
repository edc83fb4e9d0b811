"""Whether a file carries Content Credentials: its C2PA manifest store, found, not read.

A cheap walk of the container, reading headers only, in the place each format keeps the
store:

* JPEG: an APP11 segment holding a JUMBF box labelled ``c2pa`` (before the image data);
* PNG: a ``caBX`` chunk; WebP: a ``C2PA`` chunk; GIF: a ``C2PA_GIF`` application
  extension;
* TIFF and DNG: tag 0xCD41 in the first directory;
* HEIF, AVIF and other ISO base media files: a top-level ``uuid`` box with the C2PA UUID.

A store kept online instead is named by the XMP property ``dcterms:provenance`` (a URL);
such a file is reported as :data:`REMOTE`. Nothing here verifies anything: that is
:mod:`viewer.metadata.provenance`'s work, done only for the files found here. Reads are
bounded; a structure that breaks off ends the walk. No Qt.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Callable
from typing import BinaryIO

EMBEDDED = "embedded"
REMOTE = "remote"
C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
TIFF_C2PA_TAG = 0xCD41
_TIFF_XMP_TAG = 0x02BC
MAX_STEPS = 100_000  # segments, chunks, boxes or extensions walked in one file
MAX_XMP = 4 * 1024 * 1024  # bytes of one XMP block looked at for a remote store
_DC_TERMS = b"purl.org/dc/terms/"
# dcterms:provenance as an attribute or as an element, whatever its prefix.
_PROVENANCE = re.compile(rb":provenance\s*=\s*[\"']([^\"']*)[\"']|:provenance>([^<]*)<")


def find_manifest_store(source: bytes | BinaryIO) -> str:
    """Where the file's manifest store is: :data:`EMBEDDED`, :data:`REMOTE` or "" (none).

    ``source`` is an open binary file (read from its start, left where it was) or the
    file's first bytes, which must then reach its image data. Never raises for a
    damaged file: what was walked before the damage counts.
    """
    return locate_manifest_store(source)[0]


def locate_manifest_store(source: bytes | BinaryIO) -> tuple[str, str]:
    """:func:`find_manifest_store`, with the URL of a store kept online ("" otherwise)."""
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    where = stream.tell()
    try:
        stream.seek(0)
        head = stream.read(16)
        walk = _walker(head)
        found = walk(stream) if walk is not None else ""
    except (OSError, ValueError, struct.error, IndexError, OverflowError):
        found = ""
    finally:
        stream.seek(where)
    if found == EMBEDDED or not found:
        return found, ""
    return REMOTE, found


def remote_store_url(xmp: bytes) -> str:
    """The URL of a manifest store kept online, as an XMP packet names it, or "".

    That is ``dcterms:provenance`` when it is an http(s) URL: tools that strip a store
    often leave the property behind, pointing into the file (``self#jumbf=...``).
    """
    if _DC_TERMS not in xmp:
        return ""
    found = _PROVENANCE.search(xmp)
    if found is None:
        return ""
    url = (found.group(1) or found.group(2) or b"").strip().decode("utf-8", "replace")
    return url if url.lower().startswith(("http://", "https://")) else ""


def _walker(head: bytes) -> Callable[[BinaryIO], str] | None:
    """The walk for a format: it answers :data:`EMBEDDED`, a remote store's URL, or ""."""
    if head[:3] == b"\xff\xd8\xff":
        return _jpeg
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return _png
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _gif
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _tiff
    if head[4:8] == b"ftyp":
        return _bmff
    return None


def _jpeg(stream: BinaryIO) -> str:
    stream.seek(2)
    remote = ""
    for _ in range(MAX_STEPS):
        byte = stream.read(1)
        if byte != b"\xff":
            break
        while byte == b"\xff":  # fill bytes
            byte = stream.read(1)
        if not byte or byte[0] in (0xD9, 0xDA):  # end of image, start of scan
            break
        marker = byte[0]
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue  # markers without a length
        raw = stream.read(2)
        if len(raw) < 2:
            break
        length = max(struct.unpack(">H", raw)[0] - 2, 0)
        if marker == 0xEB:  # APP11: JPEG XT boxes
            head = stream.read(min(length, 32))
            if _is_c2pa_app11(head):
                return EMBEDDED
            stream.seek(length - len(head), 1)
        elif marker == 0xE1 and not remote:
            remote = remote_store_url(stream.read(length))
        else:
            stream.seek(length, 1)
    return remote


def _is_c2pa_app11(data: bytes) -> bool:
    """The first APP11 segment of a store: "JP", instance, sequence, then the JUMBF box.

    The JUMBF superbox (``jumb``) opens with its description (``jumd``), whose type
    UUID starts with "c2pa".
    """
    return data[:2] == b"JP" and data[12:16] == b"jumb" and data[20:28] == b"jumdc2pa"


def _png(stream: BinaryIO) -> str:
    stream.seek(8)
    remote = ""
    for _ in range(MAX_STEPS):
        head = stream.read(8)
        if len(head) < 8:
            break
        length, kind = struct.unpack(">I4s", head)
        if kind == b"caBX":
            return EMBEDDED
        if kind == b"IEND":
            break
        if kind == b"iTXt" and not remote and length <= MAX_XMP:
            data = stream.read(length)
            remote = remote_store_url(data) if data.startswith(b"XML:com.adobe.xmp\x00") else ""
            stream.seek(4, 1)  # CRC
        else:
            stream.seek(length + 4, 1)
    return remote


def _webp(stream: BinaryIO) -> str:
    stream.seek(12)
    remote = ""
    for _ in range(MAX_STEPS):
        head = stream.read(8)
        if len(head) < 8:
            break
        kind, length = struct.unpack("<4sI", head)
        if kind == b"C2PA":
            return EMBEDDED
        padded = length + (length & 1)
        if kind == b"XMP " and not remote and length <= MAX_XMP:
            remote = remote_store_url(stream.read(length))
            stream.seek(padded - length, 1)
        else:
            stream.seek(padded, 1)
    return remote


def _gif(stream: BinaryIO) -> str:
    stream.seek(10)
    flags = stream.read(3)[:1]
    if flags and flags[0] & 0x80:
        stream.seek(3 * (2 << (flags[0] & 7)), 1)  # global colour table
    for _ in range(MAX_STEPS):
        introducer = stream.read(1)
        if introducer == b"\x21":  # an extension
            stream.read(1)  # its label
            size = stream.read(1)
            first = stream.read(size[0]) if size else b""
            if first.startswith(b"C2PA_GIF"):
                return EMBEDDED
        elif introducer == b"\x2c":  # an image
            descriptor = stream.read(9)
            if len(descriptor) < 9:
                break
            if descriptor[8] & 0x80:
                stream.seek(3 * (2 << (descriptor[8] & 7)), 1)  # local colour table
            stream.seek(1, 1)  # LZW minimum code size
        else:
            break  # the trailer, or no GIF any more
        _skip_sub_blocks(stream)
    return ""


def _skip_sub_blocks(stream: BinaryIO) -> None:
    for _ in range(MAX_STEPS * 10):
        size = stream.read(1)
        if not size or size == b"\x00":
            return
        stream.seek(size[0], 1)


def _tiff(stream: BinaryIO) -> str:
    """Tag 0xCD41 of the first directory; its XMP tag for a remote store."""
    stream.seek(0)
    head = stream.read(8)
    order = "<" if head[:2] == b"II" else ">"
    (offset,) = struct.unpack(order + "I", head[4:8])
    stream.seek(offset)
    raw = stream.read(2)
    if len(raw) < 2:
        return ""
    (count,) = struct.unpack(order + "H", raw)
    table = stream.read(12 * min(count, 1000))
    xmp: tuple[int, int] | None = None
    for at in range(0, len(table) - 11, 12):
        tag, _kind, number, value = struct.unpack_from(order + "HHII", table, at)
        if tag == TIFF_C2PA_TAG:
            return EMBEDDED
        if tag == _TIFF_XMP_TAG and 4 < number <= MAX_XMP:
            xmp = (value, number)
    if xmp is not None:
        stream.seek(xmp[0])
        return remote_store_url(stream.read(xmp[1]))
    return ""


def _bmff(stream: BinaryIO) -> str:
    """The top-level boxes of an ISO base media file (HEIF, AVIF, MP4)."""
    stream.seek(0, io.SEEK_END)
    end = stream.tell()
    at = 0
    for _ in range(MAX_STEPS):
        if at + 8 > end:
            break
        stream.seek(at)
        size, kind = struct.unpack(">I4s", stream.read(8))
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", stream.read(8))
            header = 16
        elif size == 0:
            size = end - at
        if size < header:
            break
        if kind == b"uuid" and stream.read(16) == C2PA_UUID:
            return EMBEDDED
        at += size
    return ""
