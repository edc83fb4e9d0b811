"""Find the metadata blocks in a file: EXIF, XMP and IPTC, wherever the format keeps them.

The flow for one open file: its first bytes say the format; the format's own structure
is walked (JPEG segments up to the image data, TIFF's first directory, PNG and WebP
chunks, GIF extensions, the trailers some tools append to JPEG and TIFF files), and each
block found is recorded with where it was, without decoding it. Every read is bounded
(segment, chunk and block sizes are capped, and so is what is kept from one file), so a
file that lies about its lengths costs a bounded amount of memory and time. A structure
that breaks off keeps what was found before.

Where the MWG (and ExifTool's strict MWG reading) expects IPTC: the first IPTC resource
of a JPEG's Photoshop APP13 segments (consecutive segments are joined first, as
Photoshop splits large resources across them), a TIFF's IPTC tag. IPTC anywhere else
(a second IPTC resource, a trailer written by FotoStation or AFCP tools, the EXIF
directory of a JPEG, a TIFF's Photoshop resources, PNG text) is kept as non-standard: it
fills only what the standard places leave empty.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from typing import BinaryIO

from viewer.metadata import photoshop, tiff
from viewer.metadata.chunks import read_gif, read_png, read_webp
from viewer.metadata.trailers import read_trailers

EXIF_HEADER = b"Exif\x00\x00"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
EXTENDED_XMP_HEADER = b"http://ns.adobe.com/xmp/extension/\x00"
MAX_SEGMENTS = 10_000
MAX_PHOTOSHOP = 16 * 1024 * 1024  # joined APP13 segments
MAX_BLOCKS = 16  # IPTC blocks, and XMP packets, kept from one file
MAX_KEPT = 96 * 1024 * 1024
MAX_EXTENDED_XMP = 16 * 1024 * 1024  # bytes of XMP and IPTC kept from one file, all blocks together


@dataclass
class IptcBlock:
    """An IIM block as found: its bytes, where it was, and whether it is standard.

    ``standard`` says whether it is in the place the MWG reads IPTC from.
    """

    data: bytes
    where: str
    standard: bool


@dataclass
class Blocks:
    """The metadata blocks of one file, undecoded.

    Attributes:
        kind: the container ("JPEG", "TIFF", "PNG", "WebP", "GIF"), "" when not walked here.
        ifd0, exif_ifd: EXIF's first directory and its Exif directory.
        xmp: XMP packets, the standard one first.
        extended_xmp: JPEG extended XMP, reassembled, by GUID.
        iptc: IIM blocks, the standard one (if any) first.
        iptc_digest: the digest Photoshop stored beside the IPTC (resource 0x0425).
        size: the image's width and height when the walk met them (PNG), else None.
        problems: what could not be walked, in words.
    """

    kind: str = ""
    ifd0: tiff.Directory = field(default_factory=dict)
    exif_ifd: tiff.Directory = field(default_factory=dict)
    xmp: list[bytes] = field(default_factory=list)
    extended_xmp: dict[bytes, bytes] = field(default_factory=dict)
    iptc: list[IptcBlock] = field(default_factory=list)
    iptc_digest: bytes | None = None
    size: tuple[int, int] | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def has_exif(self) -> bool:
        """Whether an EXIF directory was found."""
        return bool(self.ifd0 or self.exif_ifd)

    def add_exif(self, data: bytes) -> None:
        r"""Read a TIFF-structured EXIF block (``Exif\0\0`` prefix allowed); the first wins."""
        if self.has_exif:
            return
        if data.startswith(EXIF_HEADER):
            data = data[len(EXIF_HEADER) :]
        try:
            self.ifd0, self.exif_ifd = tiff.read_exif(io.BytesIO(data))
        except (struct.error, ValueError, OSError) as exc:
            # A damaged EXIF block costs its own fields, never the segments after it.
            self.problems.append(f"the EXIF block is damaged ({exc})")
            return
        embedded = self.ifd0.get(tiff.IPTC)
        if embedded is not None:
            self.add_iptc(embedded.data, "IPTC in the EXIF block", standard=False)

    def _room_for(self, data: bytes) -> bool:
        kept = sum(map(len, self.xmp)) + sum(len(block.data) for block in self.iptc)
        return kept + len(data) <= MAX_KEPT

    def add_xmp(self, packet: bytes, first: bool = False) -> None:
        """Record an XMP packet (``first`` for the one in the format's standard place)."""
        if packet and len(self.xmp) < MAX_BLOCKS and self._room_for(packet):
            self.xmp.insert(0 if first else len(self.xmp), packet)

    def add_iptc(self, data: bytes, where: str, standard: bool) -> None:
        """Record an IIM block; only the first block in a standard place is standard."""
        if len(self.iptc) >= MAX_BLOCKS or not self._room_for(data):
            return
        standard = standard and not any(block.standard for block in self.iptc)
        block = IptcBlock(data, where, standard)
        if standard:
            self.iptc.insert(0, block)
        else:
            self.iptc.append(block)

    def add_photoshop(self, data: bytes, where: str, iptc_is_standard: bool) -> None:
        """Record the IPTC and digest of a run of Photoshop image resources."""
        for ident, value in photoshop.resources(data):
            if ident == photoshop.IPTC:
                self.add_iptc(value, where, iptc_is_standard)
                iptc_is_standard = False  # a second IPTC resource is not the standard one
            elif ident == photoshop.IPTC_DIGEST and self.iptc_digest is None:
                self.iptc_digest = value[:16]
            elif ident == photoshop.XMP:
                self.add_xmp(value)


def find_blocks(stream: BinaryIO) -> Blocks:
    """Walk an open file and return its metadata blocks.

    What was found before any damage is kept, with the damage described in ``problems``.
    """
    blocks = Blocks()
    stream.seek(0)
    head = stream.read(16)
    try:
        if head[:3] == b"\xff\xd8\xff":
            blocks.kind = "JPEG"
            _read_jpeg(stream, blocks)
            read_trailers(stream, blocks.add_iptc)
        elif tiff.header(head[:8]) is not None:
            blocks.kind = "TIFF"
            _read_tiff(stream, blocks)
            read_trailers(stream, blocks.add_iptc)
        elif head[:8] == b"\x89PNG\r\n\x1a\n":
            blocks.kind = "PNG"
            read_png(stream, blocks)
        elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            blocks.kind = "WebP"
            read_webp(stream, blocks)
        elif head[:6] in (b"GIF87a", b"GIF89a"):
            blocks.kind = "GIF"
            read_gif(stream, blocks)
    except (OSError, ValueError, struct.error, IndexError) as exc:
        blocks.problems.append(f"the {blocks.kind} structure is damaged ({exc})")
    return blocks


def _read_jpeg(stream: BinaryIO, blocks: Blocks) -> None:
    """JPEG markers from SOI to the image data; APP1 (EXIF, XMP) and APP13 (IPTC)."""
    stream.seek(2)
    pending: list[bytes] = []  # consecutive Photoshop APP13 segments, joined when they end
    extended: dict[bytes, dict[int, bytes]] = {}
    lengths: dict[bytes, int] = {}
    for _ in range(MAX_SEGMENTS):
        marker = _next_marker(stream)
        if marker is None or marker in (0xD9, 0xDA):  # end of image, start of scan
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue  # markers without a length
        raw_length = stream.read(2)
        if len(raw_length) < 2:
            break
        data = stream.read(max(struct.unpack(">H", raw_length)[0] - 2, 0))
        is_photoshop = marker == 0xED and data.startswith((photoshop.HEADER, photoshop.OLD_HEADER))
        if pending and not (is_photoshop and data.startswith(photoshop.HEADER)):
            _flush_photoshop(pending, blocks)
        if is_photoshop:
            header = photoshop.HEADER if data.startswith(photoshop.HEADER) else photoshop.OLD_HEADER
            if sum(map(len, pending)) + len(data) <= MAX_PHOTOSHOP:
                pending.append(data[len(header) :])
            if header == photoshop.OLD_HEADER:
                _flush_photoshop(pending, blocks)
        elif marker == 0xE1:
            _read_app1(data, blocks, extended, lengths)
    if pending:
        _flush_photoshop(pending, blocks)
    for guid, parts in extended.items():
        joined = b"".join(parts[offset] for offset in sorted(parts))
        if len(joined) == lengths[guid]:
            blocks.extended_xmp[guid] = joined


def _next_marker(stream: BinaryIO) -> int | None:
    byte = stream.read(1)
    if byte != b"\xff":
        return None
    while byte == b"\xff":  # fill bytes
        byte = stream.read(1)
    return byte[0] if byte else None


def _flush_photoshop(pending: list[bytes], blocks: Blocks) -> None:
    blocks.add_photoshop(b"".join(pending), "IPTC", iptc_is_standard=True)
    pending.clear()


def _read_app1(
    data: bytes,
    blocks: Blocks,
    extended: dict[bytes, dict[int, bytes]],
    lengths: dict[bytes, int],
) -> None:
    if data.startswith(EXIF_HEADER):
        blocks.add_exif(data)
    elif data.startswith(XMP_HEADER):
        blocks.add_xmp(data[len(XMP_HEADER) :])
    elif data.startswith(EXTENDED_XMP_HEADER) and len(data) >= len(EXTENDED_XMP_HEADER) + 40:
        at = len(EXTENDED_XMP_HEADER)
        guid = data[at : at + 32]
        total, offset = struct.unpack_from(">II", data, at + 32)
        kept = sum(len(part) for parts in extended.values() for part in parts.values())
        if total <= MAX_EXTENDED_XMP and kept + len(data) <= MAX_EXTENDED_XMP:
            lengths.setdefault(guid, total)
            extended.setdefault(guid, {})[offset] = data[at + 40 :]
    elif b"ns.adobe.com/xap/1.0/\x00" in data[:48]:
        # Some writers mangle the namespace ("XMP\0://ns.adobe.com/xap/1.0/"), but the
        # namespace and its NUL are still there.
        head = data[:48]
        blocks.add_xmp(data[head.index(b"/1.0/\x00") + 6 :])


def _read_tiff(stream: BinaryIO, blocks: Blocks) -> None:
    """Read the blocks of a TIFF file, whose own first directory is the EXIF IFD0.

    IPTC, Photoshop resources and XMP are tags in that directory.
    """
    blocks.ifd0, blocks.exif_ifd = tiff.read_exif(stream)
    iptc = blocks.ifd0.get(tiff.IPTC)
    if iptc is not None:
        blocks.add_iptc(iptc.data, "IPTC", standard=True)
    resources = blocks.ifd0.get(tiff.PHOTOSHOP)
    if resources is not None:
        blocks.add_photoshop(
            resources.data, "IPTC in the Photoshop resources", iptc_is_standard=False
        )
    packet = blocks.ifd0.get(tiff.XMP)
    if packet is not None:
        blocks.add_xmp(packet.data, first=True)
