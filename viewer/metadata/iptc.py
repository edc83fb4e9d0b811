"""IPTC-IIM: read the datasets Pillow finds, and build an APP13 segment to embed them.

IIM stores each field as ``0x1C record dataset length value``. Photoshop wraps the block
in an image resource (``8BIM`` id 0x0404) inside a JPEG APP13 segment. Record 1 dataset 90
holds the coded character set; ``ESC % G`` there means the text is UTF-8, otherwise
the text is legacy 8-bit and we fall back to Latin-1.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping

CAPTION = (2, 120)
CREDIT = (2, 110)
BYLINE = (2, 80)
HEADLINE = (2, 105)
KEYWORDS = (2, 25)
COPYRIGHT = (2, 116)
CITY = (2, 90)
COUNTRY = (2, 101)
CODED_CHARSET = (1, 90)
UTF8_MARKER = b"\x1b%G"

IptcValue = bytes | list[bytes]


def decode_iptc(info: Mapping[tuple[int, int], IptcValue]) -> dict[tuple[int, int], list[str]]:
    """Turn Pillow's ``getiptcinfo()`` result into text, honouring the charset marker."""
    charset = info.get(CODED_CHARSET)
    is_utf8 = isinstance(charset, bytes) and charset.startswith(UTF8_MARKER)
    decoded: dict[tuple[int, int], list[str]] = {}
    for key, value in info.items():
        if key[0] != 2:
            continue
        raws = value if isinstance(value, list) else [value]
        # Pillow gives None for a dataset with no bytes.
        texts = [_decode_text(raw, is_utf8) for raw in raws if isinstance(raw, bytes)]
        decoded[key] = [t for t in texts if t]
    return decoded


def _decode_text(raw: bytes, is_utf8: bool) -> str:
    if is_utf8:
        text = raw.decode("utf-8", errors="replace")
    else:
        # Without a marker, modern writers still tend to use UTF-8; older ones Latin-1.
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    return text.replace("\x00", "").strip()


def build_iim(fields: Iterable[tuple[tuple[int, int], str]], *, utf8: bool = True) -> bytes:
    """Encode ``((record, dataset), text)`` pairs as an IIM block."""
    out = bytearray()
    if utf8:
        out += _dataset(CODED_CHARSET, UTF8_MARKER)
    for key, text in fields:
        out += _dataset(key, text.encode("utf-8" if utf8 else "latin-1"))
    return bytes(out)


def _dataset(key: tuple[int, int], value: bytes) -> bytes:
    if len(value) > 0x7FFF:
        raise ValueError("IIM datasets longer than 32767 bytes need the extended form")
    return struct.pack(">BBBH", 0x1C, key[0], key[1], len(value)) + value


def build_app13(iim: bytes) -> bytes:
    """Wrap an IIM block as a complete JPEG APP13 (Photoshop 3.0) segment."""
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim))
    resource += iim + (b"\x00" if len(iim) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
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
