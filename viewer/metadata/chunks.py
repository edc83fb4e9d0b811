"""Metadata in PNG and WebP chunks and GIF extensions, read one by one with bounded sizes.

Pillow refuses PNG text chunks larger than its ``MAX_TEXT_CHUNK`` (1 MiB) and then gives
up on the whole file, so a photo whose XMP is large (Photoshop's history does that)
would lose every field. Walking the chunks here, reading only the metadata chunks and
capping each at :data:`MAX_CHUNK`, leaves Pillow's global limit alone for everything
else. PNG keeps metadata in ``eXIf`` (EXIF), in ``iTXt``/``tEXt``/``zTXt`` chunks named
``XML:com.adobe.xmp`` (XMP), and in ImageMagick's hex "raw profiles" (EXIF, IPTC,
Photoshop resources, XMP). WebP keeps ``EXIF`` and ``XMP `` chunks, GIF an application
extension named "XMP DataXMP" (which Pillow does not read).
"""

from __future__ import annotations

import re
import struct
import zlib
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from viewer.metadata.blocks import Blocks

MAX_CHUNK = 64 * 1024 * 1024
MAX_CHUNKS = 200_000
_TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")
_XMP_KEYWORD = b"XML:com.adobe.xmp"
_RAW_PROFILE = b"Raw profile type "
_HEX = re.compile(rb"[^0-9a-fA-F]")


def read_png(stream: BinaryIO, blocks: Blocks) -> None:
    """The metadata chunks of a PNG file (the stream is past nothing; seeks itself)."""
    stream.seek(8)
    for _ in range(MAX_CHUNKS):
        head = stream.read(8)
        if len(head) < 8:
            return
        length, kind = struct.unpack(">I4s", head)
        if kind == b"IEND":
            return
        if kind == b"IHDR" and length == 13:
            blocks.size = struct.unpack(">II", stream.read(8))
            stream.seek(length - 8 + 4, 1)
            continue
        wanted = kind == b"eXIf" or kind in _TEXT_CHUNKS
        if not wanted or length > MAX_CHUNK:
            stream.seek(length + 4, 1)
            continue
        data = stream.read(length)
        stream.seek(4, 1)  # CRC
        if len(data) < length:
            blocks.problems.append(f"the PNG {kind.decode('latin-1')} chunk is cut short")
            return
        if kind == b"eXIf":
            blocks.add_exif(data)
        else:
            _text_chunk(kind, data, blocks)


def _text_chunk(kind: bytes, data: bytes, blocks: Blocks) -> None:
    keyword, _, rest = data.partition(b"\x00")
    if keyword != _XMP_KEYWORD and not keyword.startswith(_RAW_PROFILE):
        return
    try:
        text = _chunk_text(kind, rest)
    except (zlib.error, ValueError) as exc:
        blocks.problems.append(f"the PNG text chunk {keyword.decode('latin-1')} is damaged ({exc})")
        return
    if keyword == _XMP_KEYWORD:
        blocks.add_xmp(text)
        return
    profile = keyword[len(_RAW_PROFILE) :].lower()
    raw = _raw_profile(text)
    if profile in (b"exif", b"app1"):
        blocks.add_exif(raw)
    elif profile == b"iptc":
        if raw.startswith(b"8BIM"):
            blocks.add_photoshop(raw, "IPTC in PNG text", iptc_is_standard=False)
        else:
            blocks.add_iptc(raw, "IPTC in PNG text", standard=False)
    elif profile == b"8bim":
        blocks.add_photoshop(raw, "IPTC in PNG text", iptc_is_standard=False)
    elif profile == b"xmp":
        blocks.add_xmp(raw)


def _chunk_text(kind: bytes, rest: bytes) -> bytes:
    """The text of a tEXt, zTXt or iTXt chunk after its keyword, decompressed (bounded)."""
    if kind == b"tEXt":
        return rest
    if kind == b"zTXt":
        return _inflate(rest[1:])
    compressed = rest[:1] == b"\x01"
    # compression method, then language tag and translated keyword, each NUL-terminated
    parts = rest[2:].split(b"\x00", 2)
    if len(parts) < 3:
        raise ValueError("the iTXt chunk has no text")
    return _inflate(parts[2]) if compressed else parts[2]


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    text = inflater.decompress(data, MAX_CHUNK)
    if inflater.unconsumed_tail:
        raise ValueError(f"it inflates to more than {MAX_CHUNK // 2**20} MiB")
    return text


def _raw_profile(text: bytes) -> bytes:
    """ImageMagick's raw profile: a newline, the name, the length, then hex digits."""
    lines = text.lstrip(b"\n").split(b"\n", 2)
    if len(lines) < 3:
        return b""
    try:
        length = int(lines[1].strip())
    except ValueError:
        return b""
    return bytes.fromhex(_HEX.sub(b"", lines[2]).decode("ascii"))[:length]


def read_webp(stream: BinaryIO, blocks: Blocks) -> None:
    """The ``EXIF`` and ``XMP `` chunks of a WebP file."""
    stream.seek(12)
    for _ in range(MAX_CHUNKS):
        head = stream.read(8)
        if len(head) < 8:
            return
        kind, length = struct.unpack("<4sI", head)
        padded = length + (length & 1)
        if kind not in (b"EXIF", b"XMP ") or length > MAX_CHUNK:
            stream.seek(padded, 1)
            continue
        data = stream.read(length)
        stream.seek(padded - length, 1)
        if kind == b"EXIF":
            blocks.add_exif(data)
        else:
            blocks.add_xmp(data)


def read_gif(stream: BinaryIO, blocks: Blocks) -> None:
    """XMP from a GIF's "XMP DataXMP" application extension (Pillow does not read it).

    The packet is stored raw, so that its own bytes pass for sub-block lengths; it runs
    from after the application identifier to the extension's end, the last 258 bytes
    being a "magic trailer" the XMP parser ignores.
    """
    stream.seek(10)
    flags = stream.read(3)[:1]
    if flags and flags[0] & 0x80:
        stream.seek(3 * (2 << (flags[0] & 7)), 1)  # global colour table
    for _ in range(MAX_CHUNKS):
        introducer = stream.read(1)
        if introducer == b"\x21":
            label = stream.read(1)
            first = _sub_block(stream)
            if label == b"\xff" and first == b"XMP DataXMP":
                blocks.add_xmp(_raw_until_terminator(stream))
            else:
                _skip_sub_blocks(stream)
        elif introducer == b"\x2c":
            descriptor = stream.read(9)
            if len(descriptor) < 9:
                return
            if descriptor[8] & 0x80:
                stream.seek(3 * (2 << (descriptor[8] & 7)), 1)  # local colour table
            stream.seek(1, 1)  # LZW minimum code size
            _skip_sub_blocks(stream)
        else:
            return  # the trailer (0x3B), or not GIF any more


def _sub_block(stream: BinaryIO) -> bytes:
    size = stream.read(1)
    return stream.read(size[0]) if size else b""


def _skip_sub_blocks(stream: BinaryIO) -> None:
    for _ in range(MAX_CHUNKS * 10):
        size = stream.read(1)
        if not size or size == b"\x00":
            return
        stream.seek(size[0], 1)


def _raw_until_terminator(stream: BinaryIO) -> bytes:
    """The bytes from here to the end of the XMP extension (at most MAX_CHUNK)."""
    raw = bytearray()
    for _ in range(MAX_CHUNKS * 10):
        size = stream.read(1)
        if not size or size == b"\x00" or len(raw) > MAX_CHUNK:
            break
        raw += size + stream.read(size[0])
    return bytes(raw)
