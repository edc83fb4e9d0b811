"""IPTC-IIM: read the datasets of a block, and build blocks and APP13 segments (tests).

IIM stores each field as ``0x1C record dataset length value`` (a length with its top bit
set is followed by that many bytes of real length). Record 1 dataset 90 holds the coded
character set: ``ESC % G`` means the text is UTF-8. Without it the bytes' encoding was
never recorded: see :func:`viewer.metadata.text.decode_legacy` for how they are read.
Each dataset has a maximum length (:data:`LIMITS`); writers cut longer text there, which
the reader reports.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass, field

from viewer.metadata.text import UTF8, decode_legacy, is_ascii

OBJECT_NAME = (2, 5)
KEYWORDS = (2, 25)
INSTRUCTIONS = (2, 40)
DATE_CREATED = (2, 55)
TIME_CREATED = (2, 60)
BYLINE = (2, 80)
BYLINE_TITLE = (2, 85)
CITY = (2, 90)
SUBLOCATION = (2, 92)
STATE = (2, 95)
COUNTRY_CODE = (2, 100)
COUNTRY = (2, 101)
JOB_ID = (2, 103)
HEADLINE = (2, 105)
CREDIT = (2, 110)
SOURCE = (2, 115)
COPYRIGHT = (2, 116)
CAPTION = (2, 120)
CAPTION_WRITER = (2, 122)
CODED_CHARSET = (1, 90)
UTF8_MARKER = b"\x1b%G"

# Maximum lengths in bytes, from the IIM specification (4.2).
LIMITS = {
    OBJECT_NAME: 64,
    KEYWORDS: 64,
    INSTRUCTIONS: 256,
    BYLINE: 32,
    BYLINE_TITLE: 32,
    CITY: 32,
    SUBLOCATION: 32,
    STATE: 32,
    COUNTRY_CODE: 3,
    COUNTRY: 64,
    JOB_ID: 32,
    HEADLINE: 256,
    CREDIT: 32,
    SOURCE: 32,
    COPYRIGHT: 128,
    CAPTION: 2000,
    CAPTION_WRITER: 32,
}

Key = tuple[int, int]


class IimError(ValueError):
    """An IIM block that stops being IIM before its end (what came before is kept)."""


@dataclass
class IptcRecord:
    """The text datasets of one IIM block, decoded, with what is needed to judge them.

    Attributes:
        values: (record, dataset) -> texts, in file order (repeatable datasets repeat).
        raw: the same datasets' bytes, as stored.
        utf8: the block declares UTF-8 (1:90).
        encodings: how text without a declaration was read ("UTF-8", "Windows Latin 1"...).
        where: where in the file the block was found, in words.
        standard: in the place the MWG reads IPTC from (with a digest to compare).
        problem: why reading stopped early, or "".
    """

    values: dict[Key, list[str]] = field(default_factory=dict)
    raw: dict[Key, list[bytes]] = field(default_factory=dict)
    utf8: bool = False
    encodings: dict[Key, str] = field(default_factory=dict)
    where: str = "IPTC"
    standard: bool = True
    problem: str = ""

    def text(self, key: Key) -> list[str]:
        """The non-empty texts of a dataset."""
        return [t for t in self.values.get(key, []) if t]

    def undeclared_non_ascii(self, key: Key) -> str:
        """The encoding guessed for ``key``'s non-ASCII bytes, with no character set declared.

        Else "": the block declares UTF-8, or the dataset is all ASCII.
        """
        if self.utf8 or all(is_ascii(raw) for raw in self.raw.get(key, [])):
            return ""
        return self.encodings.get(key, "")


def datasets(data: bytes) -> tuple[list[tuple[Key, bytes]], str]:
    """Every (record, dataset) and value of an IIM block, and why reading stopped early.

    The reason is "" when the whole block was read.
    """
    found: list[tuple[Key, bytes]] = []
    pos = 0
    while pos + 5 <= len(data):
        marker, record, number, length = struct.unpack_from(">BBBH", data, pos)
        if marker != 0x1C:
            if not any(data[pos:]):
                return found, ""  # some writers pad the block with zeros
            return found, f"a damaged IPTC dataset at byte {pos} (the block stops there)"
        pos += 5
        if length & 0x8000:
            width = length & 0x7FFF
            if width > 8 or pos + width > len(data):
                return found, f"an IPTC dataset {record}:{number} with a broken length"
            length = int.from_bytes(data[pos : pos + width], "big")
            pos += width
        if pos + length > len(data):
            return found, f"an IPTC dataset {record}:{number} runs past the end of its block"
        found.append(((record, number), data[pos : pos + length]))
        pos += length
    return found, ""


def read_record(data: bytes, where: str = "IPTC", standard: bool = True) -> IptcRecord:
    """Decode the text datasets (record 2) of an IIM block, honouring 1:90."""
    found, problem = datasets(data)
    record = IptcRecord(where=where, standard=standard, problem=problem)
    for key, value in found:
        if key == CODED_CHARSET:
            record.utf8 = value.startswith(UTF8_MARKER)
    for key, value in found:
        if key[0] != 2:
            continue
        if record.utf8:
            text, encoding = value.decode("utf-8", errors="replace"), UTF8
        else:
            text, encoding = decode_legacy(value)
        record.raw.setdefault(key, []).append(value)
        record.values.setdefault(key, []).append(text.replace("\x00", "").strip())
        if not is_ascii(value):
            record.encodings.setdefault(key, encoding)
    return record


def build_iim(fields: Iterable[tuple[Key, str]], *, utf8: bool = True) -> bytes:
    """Encode ``((record, dataset), text)`` pairs as an IIM block."""
    out = bytearray()
    if utf8:
        out += dataset(CODED_CHARSET, UTF8_MARKER)
    for key, text in fields:
        out += dataset(key, text.encode("utf-8" if utf8 else "latin-1"))
    return bytes(out)


def dataset(key: Key, value: bytes) -> bytes:
    """One IIM dataset (the short length form)."""
    if len(value) > 0x7FFF:
        raise ValueError("IIM datasets longer than 32767 bytes need the extended form")
    return struct.pack(">BBBH", 0x1C, key[0], key[1], len(value)) + value


def build_resource(ident: int, data: bytes) -> bytes:
    """One Photoshop image resource ("8BIM", no name), padded to an even length."""
    resource = b"8BIM" + struct.pack(">H", ident) + b"\x00\x00" + struct.pack(">I", len(data))
    return resource + data + (b"\x00" if len(data) % 2 else b"")


def build_app13(iim: bytes) -> bytes:
    """Wrap an IIM block as a complete JPEG APP13 (Photoshop 3.0) segment."""
    payload = b"Photoshop 3.0\x00" + build_resource(0x0404, iim)
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def insert_jpeg_segment(jpeg: bytes, segment: bytes) -> bytes:
    """Return ``jpeg`` with ``segment`` placed after SOI and any APP0/APP1 segments."""
    if jpeg[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG stream (no SOI marker)")
    pos = 2
    while pos + 4 <= len(jpeg) and jpeg[pos] == 0xFF and jpeg[pos + 1] in (0xE0, 0xE1):
        (length,) = struct.unpack(">H", jpeg[pos + 2 : pos + 4])
        pos += 2 + length
    return jpeg[:pos] + segment + jpeg[pos:]
