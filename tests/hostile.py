"""Builders of hostile files: tiny files that claim enormous pictures, and files that are
not files. Each is a few hundred bytes made here, never a real bomb kept on disk."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

from PIL import Image

from tests.builders import exif_app1_with_thumbnail


def lying_jpeg(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header (SOF) claims ``width`` x ``height``."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (90, 90, 90)).save(buffer, "JPEG", quality=50)
    data = bytearray(buffer.getvalue())
    pos = 2
    while pos + 4 <= len(data):
        marker = data[pos + 1]
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in (0xC0, 0xC1, 0xC2):
            data[pos + 5 : pos + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        pos += 2 + length
    raise AssertionError("no SOF marker in Pillow's JPEG")


def jpeg_with_lying_preview(width: int = 22000, height: int = 22000) -> bytes:
    """A normal small JPEG whose EXIF preview (IFD1) claims ``width`` x ``height``."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 60, 30)).save(buffer, "JPEG", quality=80)
    photo = buffer.getvalue()
    app1 = exif_app1_with_thumbnail(lying_jpeg(width, height))
    return photo[:2] + app1 + photo[2:]


def gif_with_huge_screen(width: int = 15800, height: int = 15800, frames: int = 2) -> bytes:
    """A GIF of one-pixel frames on a logical screen of ``width`` x ``height``."""
    out = bytearray(b"GIF89a")
    out += struct.pack("<HHBBB", width, height, 0x80, 0, 0)  # global table of two colours
    out += b"\x00\x00\x00\xff\xff\xff"
    out += b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop for ever
    for index in range(frames):
        out += b"!\xf9\x04\x00\x0a\x00\x00\x00"  # 100 ms
        out += struct.pack("<BHHHHB", 0x2C, index, 0, 1, 1, 0)
        out += b"\x02\x02\x44\x01\x00"  # LZW: one pixel of colour 1
    out += b";"
    return bytes(out)


def png_claiming(width: int, height: int, mode_byte: int = 2) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` (colour type ``mode_byte``), with
    a few bytes of compressed rows: the decoder would allocate everything first."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, mode_byte, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def make_fifo(path: Path) -> Path:
    """A named pipe at ``path``: reading it would wait for a writer for ever."""
    os.mkfifo(path)
    return path
