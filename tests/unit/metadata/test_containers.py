"""The parts of JPEG, PNG and WebP files the writer must keep, and its read-only walks."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image

from tests.builders import (
    exif_segment,
    iptc_digest,
    jpeg_with,
    photoshop_segment,
    segment,
    tiff_block,
    xmp_packet,
    xmp_segment,
)
from viewer.metadata import containers, iptc
from viewer.metadata.blocks import find_blocks


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with(*chunks: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 20, 30)).save(buffer, "PNG")
    data = buffer.getvalue()
    return data[:33] + b"".join(chunks) + data[33:]  # after IHDR


def webp(*chunks: bytes, flags: int = 0) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 20, 30)).save(buffer, "WEBP", lossless=True)
    image = buffer.getvalue()[12:]
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes([flags, 0, 0, 0]) + (7).to_bytes(3, "little")
    vp8x += (5).to_bytes(3, "little")
    body = b"WEBP" + vp8x + image + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def riff_chunk(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) % 2 else b"")


def test_the_kind_of_a_file_by_its_first_bytes() -> None:
    assert containers.kind_of(jpeg_with()) == "JPEG"
    assert containers.kind_of(png_with()) == "PNG"
    assert containers.kind_of(webp()) == "WebP"
    assert containers.kind_of(b"GIF89a") == ""
    with pytest.raises(containers.StructureError, match="not a JPEG, PNG or WebP"):
        containers.picture_parts(b"GIF89a....")


def test_a_jpeg_is_split_into_metadata_and_what_must_survive() -> None:
    icc = b"ICC_PROFILE\x00"
    data = jpeg_with(
        exif_segment(tiff_block([(0x010E, "ascii", b"x\x00")])),
        xmp_segment(xmp_packet(dc_description="c")),
        photoshop_segment(iptc.build_resource(0x0404, b""), iptc.build_resource(0x040C, b"thumb")),
        segment(0xE2, icc + b"\x01\x02" + b"first half "),
        segment(0xE2, icc + b"\x02\x02" + b"second half"),
        segment(0xFE, b"A comment\x00"),
        segment(0xEC, b"Ducky\x00"),
        trailer=b"after the end",
    )
    parts = containers.picture_parts(data)
    labels = [label for label, _ in parts.kept]
    assert "JPEG segment 0xec" in labels and "JPEG segment 0xe1" not in labels
    assert parts.icc == b"first half second half"
    assert parts.comments == [b"A comment"], "exiv2 adds a NUL: compared without it"
    assert parts.photoshop == [(0x040C, b"thumb")], "IPTC and its digest are the writer's"
    assert parts.tail.endswith(b"\xff\xd9after the end")
    assert not parts.old_photoshop


def test_a_jpeg_that_lies_about_a_length_is_damaged() -> None:
    data = jpeg_with(segment(0xE5, b"x" * 10))
    cut = data[:2] + b"\xff\xe5\xff\xf0" + data[4:]
    with pytest.raises(containers.StructureError, match="runs past the end"):
        containers.picture_parts(cut)


def test_png_metadata_chunks_and_a_recompressed_profile() -> None:
    profile = b"profile bytes " * 20
    data = png_with(
        png_chunk(b"iCCP", b"icc\x00\x00" + zlib.compress(profile, 1)),
        png_chunk(b"tEXt", b"XML:com.adobe.xmp\x00<x/>"),
        png_chunk(b"tEXt", b"Comment\x00kept"),
        png_chunk(b"eXIf", b"MM\x00*"),
    )
    again = png_with(
        png_chunk(b"iCCP", b"icc\x00\x00" + zlib.compress(profile, 9)),
        png_chunk(b"tEXt", b"Comment\x00kept"),
    )
    first, second = containers.picture_parts(data), containers.picture_parts(again)
    assert first.icc == second.icc == b"icc\x00" + profile
    assert first.kept == second.kept
    assert ("PNG chunk tEXt", b"Comment\x00kept") in first.kept
    with pytest.raises(containers.StructureError, match="IEND"):
        containers.picture_parts(data[:-12])


def test_webp_keeps_everything_but_its_metadata_and_their_flags() -> None:
    plain = containers.picture_parts(webp())
    tagged = containers.picture_parts(webp(riff_chunk(b"XMP ", b"<x/>"), flags=0x04 | 0x08))
    assert plain.kept == tagged.kept and plain.canvas == tagged.canvas
    assert containers.picture_parts(webp(flags=0x20)).canvas != plain.canvas, "ICC counts"
    assert containers.canvas_added(plain.canvas, (8, 6))
    assert not containers.canvas_added(plain.canvas, (8, 7))
    assert not containers.canvas_added(bytes([0x20]) + plain.canvas[1:], (8, 6))
    broken = webp()
    with pytest.raises(containers.StructureError, match="RIFF size"):
        containers.picture_parts(broken + b"extra")


def test_the_pictures_of_a_multi_picture_file() -> None:
    buffer = io.BytesIO()
    left, right = Image.new("RGB", (32, 24), "red"), Image.new("RGB", (32, 24), "blue")
    left.save(buffer, "MPO", save_all=True, append_images=[right])
    data = buffer.getvalue()
    (second,) = containers.mpf_images(data)
    assert data[second.start : second.start + 2] == b"\xff\xd8"
    assert second.start + second.size == len(data)
    assert containers.mpf_images(jpeg_with()) == []


def test_the_iptc_digest_is_refreshed_in_place() -> None:
    iim = iptc.build_iim([(iptc.CAPTION, "Now")])
    stale = iptc_digest(iptc.build_iim([(iptc.CAPTION, "Before")]))
    data = jpeg_with(photoshop_segment(iptc.build_resource(0x0404, iim), stale))
    refreshed = containers.refresh_iptc_digest(data)
    assert refreshed is not None and len(refreshed) == len(data)
    blocks = find_blocks(io.BytesIO(refreshed))
    assert blocks.iptc_digest == hashlib.md5(iim).digest()
    assert containers.refresh_iptc_digest(jpeg_with()) is None


def test_the_exif_block_and_its_maker_note() -> None:
    note = b"Maker\x00" + b"n" * 20
    block = tiff_block([(0x010F, "ascii", b"Cam\x00")], exif_ifd=[(0x927C, "undefined", note)])
    data = jpeg_with(exif_segment(block))
    assert containers.exif_block(data) == block
    span = containers.maker_note_span(block)
    assert span is not None and block[span[0] : span[0] + span[1]] == note
    assert containers.maker_note_span(tiff_block([(0x010F, "ascii", b"Cam\x00")])) is None
    assert containers.exif_block(png_with(png_chunk(b"eXIf", block))) == block
    assert containers.exif_block(webp(riff_chunk(b"EXIF", b"Exif\x00\x00" + block))) == block
    assert containers.exif_block(jpeg_with()) is None
