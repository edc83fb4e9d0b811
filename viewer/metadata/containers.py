"""The parts of a JPEG, PNG or WebP file that hold the picture, as the writer checks them.

The writer lets exiv2 rewrite a file's metadata blocks; everything else must come out
byte for byte the same. :func:`picture_parts` splits a file into what exiv2 may
rewrite (EXIF, XMP, Photoshop/IPTC segments; PNG text chunks holding metadata; WebP
``EXIF`` and ``XMP`` chunks and the feature flags saying they exist) and the parts that
must survive untouched, in order: every other segment or chunk, the compressed image
data and whatever follows it (a JPEG's multi-picture images, trailers).

Also here, read-only walks for the writer's other checks: the multi-picture (MPF) index
of a JPEG (:func:`mpf_images`), the EXIF block and its maker note (:func:`exif_block`,
:func:`maker_note_span`), and the one in-place patch the writer makes after exiv2, the
Photoshop IPTC digest (:func:`refresh_iptc_digest`), which exiv2 leaves stale.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field

from viewer.metadata import photoshop
from viewer.metadata.blocks import EXIF_HEADER, XMP_HEADER

MAX_PARTS = 100_000
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_TEXT = (b"tEXt", b"zTXt", b"iTXt")
_PNG_METADATA_KEYWORDS = (b"XML:com.adobe.xmp", b"Raw profile type ")
_WEBP_METADATA = (b"EXIF", b"XMP ")
_VP8X_METADATA_FLAGS = 0x08 | 0x04  # EXIF and XMP present
_ICC_HEADER = b"ICC_PROFILE\x00"
MAX_PROFILE = 64 * 1024 * 1024


class StructureError(ValueError):
    """A file whose structure cannot be walked to its end (damaged or not this format)."""


@dataclass
class Parts:
    """A file split into what holds metadata and what holds the picture.

    Attributes:
        kind: "JPEG", "PNG" or "WebP".
        kept: every part that is not metadata, as ``(label, bytes)`` in file order.
        icc: the ICC profile, reassembled (exiv2 rewrites JPEG ICC segments and
            recompresses a PNG's, so the profile is compared, not its wrapping).
        comments: a JPEG's comments (COM), without the NUL exiv2 adds at their end.
        canvas: a WebP's VP8X chunk with its EXIF and XMP flags cleared (b"" when the
            file has none: exiv2 adds one to a simple WebP when it adds XMP).
        data, tail_start: the file, and where a JPEG's image data starts in it (its
            length for other formats).
        photoshop: a JPEG's Photoshop resources other than IPTC and its digest, in order.
        old_photoshop: a JPEG has a Photoshop 2.5 segment (which exiv2 does not read).
    """

    kind: str
    kept: list[tuple[str, bytes]] = field(default_factory=list)
    icc: bytes = b""
    comments: list[bytes] = field(default_factory=list)
    canvas: bytes = b""
    data: bytes = b""
    tail_start: int = 0

    @property
    def tail(self) -> bytes:
        """A JPEG's bytes from the start of its image data to the end of the file."""
        return self.data[self.tail_start :]

    def same_tail(self, other: Parts) -> bool:
        """Whether two files end with the same image data (compared without copying it)."""
        size = len(self.data) - self.tail_start
        return size == len(other.data) - other.tail_start and self.data.endswith(
            memoryview(other.data)[other.tail_start :]
        )

    photoshop: list[tuple[int, bytes]] = field(default_factory=list)
    old_photoshop: bool = False


def kind_of(data: bytes) -> str:
    """The format a file's first bytes say: "JPEG", "PNG", "WebP", or "" for others."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == _PNG_SIGNATURE:
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    return ""


def picture_parts(data: bytes) -> Parts:
    """Split a JPEG, PNG or WebP file (see the module's description).

    Raises:
        StructureError: the structure is damaged, or the format is none of the three.
    """
    kind = kind_of(data)
    try:
        if kind == "JPEG":
            return _jpeg_parts(data)
        if kind == "PNG":
            return _png_parts(data)
        if kind == "WebP":
            return _webp_parts(data)
    except (struct.error, IndexError) as exc:
        raise StructureError(f"the {kind} structure is damaged ({exc})") from None
    raise StructureError("this is not a JPEG, PNG or WebP file")


def jpeg_segments(data: bytes) -> tuple[list[tuple[int, int, bytes]], int]:
    """A JPEG's segments before its image data, and where the image data starts.

    Each segment is ``(marker, offset, payload)``.

    Raises:
        StructureError: a segment runs past the end, or the markers stop making sense.
    """
    segments: list[tuple[int, int, bytes]] = []
    pos = 2
    for _ in range(MAX_PARTS):
        while pos < len(data) and data[pos] == 0xFF and data[pos + 1 : pos + 2] == b"\xff":
            pos += 1  # fill bytes
        if pos + 4 > len(data) or data[pos] != 0xFF:
            raise StructureError(f"the JPEG has no marker at byte {pos}")
        marker = data[pos + 1]
        if marker in (0xDA, 0xD9):
            return segments, pos
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack_from(">H", data, pos + 2)
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise StructureError(f"a JPEG segment at byte {pos} runs past the end of the file")
        segments.append((marker, pos, data[pos + 4 : end]))
        pos = end
    raise StructureError("the JPEG has too many segments")


def _is_jpeg_metadata(marker: int, payload: bytes) -> bool:
    if marker == 0xE1:
        return payload.startswith((EXIF_HEADER, XMP_HEADER))
    return marker == 0xED and payload.startswith(photoshop.HEADER)


def _jpeg_parts(data: bytes) -> Parts:
    segments, image_start = jpeg_segments(data)
    parts = Parts("JPEG", data=data, tail_start=image_start)
    joined = b""
    icc: dict[int, bytes] = {}
    for marker, _, payload in segments:
        if _is_jpeg_metadata(marker, payload):
            if marker == 0xED:
                joined += payload[len(photoshop.HEADER) :]
            continue
        if marker == 0xE2 and payload.startswith(_ICC_HEADER) and len(payload) > 14:
            icc.setdefault(payload[12], payload[14:])
            continue
        if marker == 0xFE:
            parts.comments.append(payload.rstrip(b"\x00"))
            continue
        if marker == 0xED and payload.startswith(photoshop.OLD_HEADER):
            parts.old_photoshop = True
        parts.kept.append((f"JPEG segment {marker:#04x}", payload))
    parts.icc = b"".join(icc[number] for number in sorted(icc))
    parts.photoshop = [
        (ident, value)
        for ident, value in photoshop.resources(joined)
        if ident not in (photoshop.IPTC, photoshop.IPTC_DIGEST)
    ]
    return parts


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """A PNG's chunks as ``(type, data)``, up to and including IEND.

    Raises:
        StructureError: a chunk runs past the end of the file, or IEND is missing.
    """
    chunks: list[tuple[bytes, bytes]] = []
    pos = len(_PNG_SIGNATURE)
    for _ in range(MAX_PARTS):
        if pos + 12 > len(data):
            raise StructureError("the PNG ends before its IEND chunk")
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if end > len(data):
            raise StructureError(f"a PNG chunk at byte {pos} runs past the end of the file")
        chunks.append((kind, data[pos + 8 : pos + 8 + length]))
        pos = end
        if kind == b"IEND":
            return chunks
    raise StructureError("the PNG has too many chunks")


def _png_parts(data: bytes) -> Parts:
    parts = Parts("PNG", data=data, tail_start=len(data))
    for kind, body in png_chunks(data):
        if kind == b"eXIf":
            continue
        if kind == b"iCCP":
            parts.icc = _png_profile(body)
            continue
        if kind in _PNG_TEXT and body.startswith(_PNG_METADATA_KEYWORDS):
            continue
        parts.kept.append((f"PNG chunk {kind.decode('latin-1')}", body))
    return parts


def _png_profile(body: bytes) -> bytes:
    """An iCCP chunk's name and inflated profile (the compression may differ, not these)."""
    name, _, rest = body.partition(b"\x00")
    inflater = zlib.decompressobj()
    try:
        profile = inflater.decompress(rest[1:], MAX_PROFILE)
    except zlib.error:
        return body
    return name + b"\x00" + profile


def exif_block(data: bytes) -> bytes | None:
    """A JPEG's, PNG's (``eXIf``) or WebP's EXIF, from its TIFF header on; None if none."""
    block: bytes | None = None
    try:
        kind = kind_of(data)
        if kind == "JPEG":
            segments, _ = jpeg_segments(data)
            block = next(
                (p for m, _, p in segments if m == 0xE1 and p.startswith(EXIF_HEADER)), None
            )
        elif kind == "PNG":
            block = next((body for k, body in png_chunks(data) if k == b"eXIf"), None)
        elif kind == "WebP":
            block = next((body for k, body in webp_chunks(data) if k == b"EXIF"), None)
    except (StructureError, struct.error, IndexError):
        return None
    if block is not None and block.startswith(EXIF_HEADER):
        block = block[len(EXIF_HEADER) :]
    return block


def maker_note_span(tiff: bytes) -> tuple[int, int] | None:
    """Where a TIFF-structured EXIF block keeps its maker note: (offset, length), or None.

    Many maker notes point at their own values by offsets from the TIFF header, so a
    maker note that moves breaks unless its writer knows its format.
    """
    try:
        if tiff[:4] not in (b"II*\x00", b"MM\x00*"):
            return None
        order = "<" if tiff[:2] == b"II" else ">"
        exif = _entry(tiff, order, struct.unpack_from(order + "I", tiff, 4)[0], 0x8769)
        if exif is None:
            return None
        note = _entry(tiff, order, exif[1], 0x927C)
        return None if note is None or note[0] <= 4 else (note[1], note[0])
    except struct.error:
        return None


def _entry(tiff: bytes, order: str, directory: int, wanted: int) -> tuple[int, int] | None:
    """(count, value or offset) of tag ``wanted`` in the directory at ``directory``."""
    (count,) = struct.unpack_from(order + "H", tiff, directory)
    for index in range(min(count, 1000)):
        tag, _kind, number, value = struct.unpack_from(
            order + "HHII", tiff, directory + 2 + 12 * index
        )
        if tag == wanted:
            return number, value
    return None


def webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """A WebP's chunks as ``(type, data)``.

    Raises:
        StructureError: a chunk runs past the end, or the RIFF size disagrees with them.
    """
    (size,) = struct.unpack_from("<I", data, 4)
    if size + 8 != len(data):
        raise StructureError("the WebP's RIFF size does not match the file's length")
    chunks: list[tuple[bytes, bytes]] = []
    pos = 12
    while pos < len(data):
        if len(chunks) >= MAX_PARTS or pos + 8 > len(data):
            raise StructureError(f"the WebP has a damaged chunk at byte {pos}")
        kind, length = struct.unpack_from("<4sI", data, pos)
        end = pos + 8 + length
        if end > len(data):
            raise StructureError(f"a WebP chunk at byte {pos} runs past the end of the file")
        chunks.append((kind, data[pos + 8 : end]))
        pos = end + (length & 1)
    return chunks


def _webp_parts(data: bytes) -> Parts:
    parts = Parts("WebP", data=data, tail_start=len(data))
    for kind, body in webp_chunks(data):
        if kind in _WEBP_METADATA:
            continue
        if kind == b"VP8X" and body:
            parts.canvas = bytes([body[0] & ~_VP8X_METADATA_FLAGS & 0xFF]) + body[1:]
            continue
        parts.kept.append((f"WebP chunk {kind.decode('latin-1').strip()}", body))
    return parts


def canvas_added(canvas: bytes, size: tuple[int, int]) -> bool:
    """Whether a VP8X chunk added to a simple WebP says only what the picture says.

    That is: its canvas is the picture's size and no flag but alpha is set.
    """
    if len(canvas) < 10 or canvas[0] & ~0x10:
        return False
    width = int.from_bytes(canvas[4:7], "little") + 1
    height = int.from_bytes(canvas[7:10], "little") + 1
    return (width, height) == size


@dataclass(frozen=True)
class MpfImage:
    """One picture of a multi-picture (MPF) JPEG beyond the first: where it starts and its size."""

    start: int
    size: int


def mpf_images(data: bytes) -> list[MpfImage]:
    """The pictures a JPEG's MPF index lists after the first, with absolute offsets.

    An empty list for a JPEG without an MPF index (or one that cannot be read).
    """
    try:
        segments, _ = jpeg_segments(data)
    except StructureError:
        return []
    for marker, offset, payload in segments:
        if marker == 0xE2 and payload.startswith(b"MPF\x00"):
            return _mp_entries(payload[4:], offset + 8)
    return []


def _mp_entries(tiff: bytes, header: int) -> list[MpfImage]:
    """The MP Entry table of an MPF TIFF structure that starts at file offset ``header``."""
    if tiff[:4] not in (b"II*\x00", b"MM\x00*"):
        return []
    order = "<" if tiff[:2] == b"II" else ">"
    (first,) = struct.unpack_from(order + "I", tiff, 4)
    if first + 2 > len(tiff):
        return []
    (count,) = struct.unpack_from(order + "H", tiff, first)
    for index in range(min(count, 64)):
        at = first + 2 + 12 * index
        if at + 12 > len(tiff):
            return []
        tag, _kind, length, value = struct.unpack_from(order + "HHII", tiff, at)
        if tag != 0xB002:
            continue
        images = []
        for entry in range(min(length // 16, 64)):
            where = value + 16 * entry
            if where + 16 > len(tiff):
                return []
            _attributes, size, start = struct.unpack_from(order + "III", tiff, where)
            if start:
                images.append(MpfImage(header + start, size))
        return images
    return []


def refresh_iptc_digest(data: bytes) -> bytes | None:
    """A JPEG with its Photoshop IPTC digest (resource 0x0425) set to its IPTC's MD5.

    The digest's 16 bytes are overwritten in place: no length changes, nothing moves.
    Returns None when the file has no digest, or when the IPTC or the digest is split
    across APP13 segments (Photo Desk then refuses the write).
    """
    segments, _ = jpeg_segments(data)
    iptc_data: bytes | None = None
    digest_at: int | None = None
    for marker, offset, payload in segments:
        if marker != 0xED or not payload.startswith(photoshop.HEADER):
            continue
        base = offset + 4 + len(photoshop.HEADER)
        for ident, start, size in resource_spans(payload[len(photoshop.HEADER) :]):
            if ident == photoshop.IPTC and iptc_data is None:
                iptc_data = data[base + start : base + start + size]
            elif ident == photoshop.IPTC_DIGEST and size == 16 and digest_at is None:
                digest_at = base + start
    if iptc_data is None or digest_at is None:
        return None
    digest = hashlib.md5(iptc_data, usedforsecurity=False).digest()
    return data[:digest_at] + digest + data[digest_at + 16 :]


def resource_spans(data: bytes) -> list[tuple[int, int, int]]:
    """Each Photoshop resource in ``data`` as ``(id, start of its data, size)``.

    Only resources wholly inside ``data`` are given; the walk stops at the first that
    is not.
    """
    spans = []
    pos = 0
    while pos + 12 <= len(data) and data[pos : pos + 4] == b"8BIM":
        (ident,) = struct.unpack_from(">H", data, pos + 4)
        pos += 6 + ((data[pos + 6] + 2) & ~1)
        if pos + 4 > len(data):
            break
        (size,) = struct.unpack_from(">I", data, pos)
        pos += 4
        if pos + size > len(data):
            break
        spans.append((ident, pos, size))
        pos += size + (size & 1)
    return spans
