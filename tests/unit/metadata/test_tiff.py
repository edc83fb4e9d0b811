"""TIFF directories: EXIF's structure, and TIFF files with IPTC and XMP as tags."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import tiff_block, xmp_packet
from viewer.metadata import iptc, read_metadata, tiff


def test_tiff_with_exif_iptc_and_xmp(tmp_path: Path) -> None:
    iim = iptc.build_iim([(iptc.CREDIT, "TIFF IPTC credit"), (iptc.BYLINE, "TIFF by-line")])
    packet = xmp_packet(photoshop_Headline="TIFF headline", photoshop_City="Bern")
    path = tmp_path / "meta.tif"
    Image.new("RGB", (50, 40)).save(
        path,
        tiffinfo={
            270: "TIFF description",
            271: "Hasselblad",
            272: "X2D",
            33723: iim,
            700: packet.encode("utf-8"),
        },
    )
    meta = read_metadata(path)
    assert meta.caption == "TIFF description"
    assert meta.credit == "TIFF IPTC credit"
    assert meta.byline == "TIFF by-line"
    assert meta.headline == "TIFF headline"
    assert meta.city == "Bern"
    assert (meta.make, meta.model) == ("Hasselblad", "X2D")


def directories(block: bytes) -> tuple[tiff.Directory, tiff.Directory]:
    return tiff.read_exif(io.BytesIO(block))


def test_headers_give_the_byte_order_and_the_first_directory() -> None:
    assert tiff.header(b"II*\x00\x08\x00\x00\x00") == (True, 8)
    assert tiff.header(b"MM\x00*\x00\x00\x01\x00") == (False, 256)
    assert tiff.header(b"\xff\xd8\xff\xe0\x00\x10JF") is None
    assert tiff.header(b"II+\x00\x10\x00\x00\x00") is None, "BigTIFF is not EXIF's layout"


@pytest.mark.parametrize("little", [True, False])
def test_both_byte_orders_give_the_same_values(little: bool) -> None:
    ifd0, exif = directories(
        tiff_block(
            [
                (tiff.MAKE, "ascii", b"Canon\0"),
                (tiff.ORIENTATION, "short", struct.pack("<H" if little else ">H", 6)),
                (tiff.IMAGE_DESCRIPTION, "ascii", b"A caption long enough to live elsewhere\0"),
            ],
            [(tiff.USER_COMMENT, "undefined", b"ASCII\0\0\0comment")],
            little=little,
        )
    )
    assert tiff.string_bytes(ifd0[tiff.MAKE]) == b"Canon"
    assert ifd0[tiff.ORIENTATION].number() == 6
    assert tiff.string_bytes(ifd0[tiff.IMAGE_DESCRIPTION]) == (
        b"A caption long enough to live elsewhere"
    )
    assert exif[tiff.USER_COMMENT].data == b"ASCII\0\0\0comment"


def test_only_wanted_tags_are_kept() -> None:
    ifd0, _ = directories(
        tiff_block([(0x0100, "long", b"\0\0\x01\0"), (tiff.ARTIST, "ascii", b"Ann\0")])
    )
    assert set(ifd0) == {tiff.ARTIST}, "the image width is not metadata we read"


def test_numbers_of_shorts_and_longs_only() -> None:
    assert tiff.Entry(tiff.ORIENTATION, 3, 1, b"\x00\x06", False).number() == 6
    assert tiff.Entry(tiff.ORIENTATION, 3, 1, b"\x06\x00", True).number() == 6
    assert tiff.Entry(tiff.EXIF_IFD, 4, 1, b"\x00\x00\x01\x00", False).number() == 256
    assert tiff.Entry(tiff.ORIENTATION, 2, 2, b"6\0", False).number() is None
    assert tiff.Entry(tiff.ORIENTATION, 3, 1, b"\x06", True).number() is None


def test_a_value_pointing_past_the_end_is_left_out() -> None:
    block = bytearray(tiff_block([(tiff.ARTIST, "ascii", b"A long artist name\0")]))
    at = block.index(struct.pack(">HHI", tiff.ARTIST, 2, 19)) + 8
    block[at : at + 4] = struct.pack(">I", 10_000)  # the value's offset, beyond the block
    ifd0, _ = directories(bytes(block))
    assert tiff.ARTIST not in ifd0


def test_a_lying_entry_count_reads_only_what_is_there() -> None:
    block = bytearray(tiff_block([(tiff.MAKE, "ascii", b"Nikon\0")]))
    block[8:10] = struct.pack(">H", 65_535)  # claims 65,535 entries
    ifd0, _ = directories(bytes(block))
    assert tiff.string_bytes(ifd0[tiff.MAKE]) == b"Nikon"


def test_values_larger_than_their_cap_are_not_read() -> None:
    huge_count = struct.pack(">HHI", tiff.ARTIST, 2, tiff.MAX_VALUE + 1) + struct.pack(">I", 8)
    block = b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", 1) + huge_count + bytes(4)
    ifd0, _ = directories(block)
    assert ifd0 == {}


def test_no_exif_directory_pointer_means_no_exif_directory() -> None:
    ifd0, exif = directories(tiff_block([(tiff.MAKE, "ascii", b"Sony\0")]))
    assert tiff.MAKE in ifd0 and exif == {}
    assert directories(b"not a TIFF structure") == ({}, {})


def test_strings_stop_at_their_first_nul_and_only_text_types_are_text() -> None:
    assert tiff.string_bytes(tiff.Entry(tiff.MAKE, 2, 8, b"Leica\0\0\0", False)) == b"Leica"
    assert tiff.string_bytes(tiff.Entry(tiff.MAKE, 7, 3, b"raw", False)) == b"raw"
    assert tiff.string_bytes(tiff.Entry(tiff.MAKE, 3, 1, b"\0\x01", False)) == b""
    assert tiff.string_bytes(None) == b""


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        (b"Jane Doe\0", b"Jane Doe"),
        (b"Jane Doe\0Desk editor\0", b"Jane Doe\nDesk editor"),  # photographer, editor
        (b" \0Desk editor\0", b"\nDesk editor"),  # only the editor's part
        (b"Jane Doe \0\0", b"Jane Doe"),
    ],
)
def test_exif_copyright_has_a_photographers_and_an_editors_part(stored: bytes, read: bytes) -> None:
    assert tiff.copyright_bytes(tiff.Entry(tiff.COPYRIGHT, 2, len(stored), stored, False)) == read
    assert tiff.copyright_bytes(None) == b""
