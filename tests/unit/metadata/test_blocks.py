"""Finding metadata wherever files keep it: the quirks Photo Desk once misread.

Each file is built here (Pillow and a few struct calls, see tests/builders.py); the same
files are compared with ExifTool in tests/e2e/test_exiftool_agreement.py.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import (
    QUIRKS,
    alt,
    exif_segment,
    jpeg_with,
    photoshop_segment,
    rich_xmp,
    segment,
    tiff_block,
    xmp_segment,
)
from viewer.metadata import iptc, read_metadata
from viewer.metadata.blocks import MAX_BLOCKS, Blocks, find_blocks
from viewer.metadata.photo import PhotoMetadata


def quirk(tmp_path: Path, name: str) -> PhotoMetadata:
    path = tmp_path / name
    path.write_bytes(QUIRKS[name]())
    return read_metadata(path)


@pytest.mark.parametrize(
    ("name", "credit", "other"),
    [
        ("quirk-two-app13.jpg", "Credit in the first block", ("keywords", ("second",))),
        ("quirk-two-iptc-resources.jpg", "Credit in the first resource", ("headline", "")),
        ("quirk-split-resource.jpg", "Credit after the split", ("caption", "x" * 1500)),
    ],
)
def test_several_iptc_blocks_keep_the_first_ones_credit(
    tmp_path: Path, name: str, credit: str, other: tuple[str, object]
) -> None:
    meta = quirk(tmp_path, name)
    assert meta.credit == credit
    assert meta.source_of("credit") == "IPTC"
    field, value = other
    if value:
        assert meta.value(field) == value


def test_a_second_iptc_block_fills_only_what_the_first_lacks(tmp_path: Path) -> None:
    meta = quirk(tmp_path, "quirk-two-app13.jpg")
    assert meta.city == "Bern", "the standard block's city, not the second block's Basel"
    assert meta.source_of("keywords") == "IPTC"  # the second block, read as ExifTool does
    meta = quirk(tmp_path, "quirk-two-iptc-resources.jpg")
    assert meta.headline == "Headline in the second"


def test_tiff_iptc_in_photoshop_resources_is_a_fallback(tmp_path: Path) -> None:
    resources = iptc.build_resource(0x0404, iptc.build_iim([(iptc.CREDIT, "From resources")]))
    path = tmp_path / "ps.tif"
    Image.new("RGB", (8, 8)).save(path, tiffinfo={34377: resources})
    meta = read_metadata(path)
    assert meta.credit == "From resources"
    assert meta.source_of("credit") == "IPTC in the Photoshop resources"


def test_lengths_that_lie_cost_nothing_but_their_block(tmp_path: Path) -> None:
    # An APP13 segment whose resource claims 4 GiB, and an extended IIM length of 8 bytes.
    lying = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", 0xFFFFFFFF)
    wide = b"\x1c\x02\x78\x80\x08" + b"\xff" * 8
    path = tmp_path / "lies.jpg"
    path.write_bytes(
        jpeg_with(photoshop_segment(lying), photoshop_segment(iptc.build_resource(0x0404, wide)))
    )
    meta = read_metadata(path)
    assert meta.caption == ""
    assert meta.width == 64


def blocks_of(data: bytes) -> Blocks:
    return find_blocks(io.BytesIO(data))


CAPTION_XMP = rich_xmp(alt("dc:description", "XMP caption"))
CREDIT_IIM = iptc.build_iim([(iptc.CREDIT, "IPTC credit")])


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (jpeg_with(), "JPEG"),
        (tiff_block([(0x010F, "ascii", b"Canon\0")]), "TIFF"),
        (b"\x89PNG\r\n\x1a\n" + bytes(8), "PNG"),
        (b"RIFF\x00\x00\x00\x00WEBP", "WebP"),
        (b"GIF89a" + bytes(10), "GIF"),
        (b"\x00\x00\x00\x18ftypheic" + bytes(12), ""),  # HEIF: Pillow hands its EXIF over
        (b"", ""),
    ],
)
def test_the_container_is_known_by_its_first_bytes(data: bytes, kind: str) -> None:
    assert blocks_of(data).kind == kind


def test_a_jpegs_exif_xmp_iptc_and_digest_are_found_in_place() -> None:
    digest = bytes(range(16))
    data = jpeg_with(
        exif_segment(tiff_block([(0x013B, "ascii", b"Artist\0")])),
        xmp_segment(CAPTION_XMP),
        photoshop_segment(
            iptc.build_resource(0x0404, CREDIT_IIM), iptc.build_resource(0x0425, digest)
        ),
    )
    blocks = blocks_of(data)
    assert blocks.has_exif and 0x013B in blocks.ifd0
    assert blocks.xmp == [CAPTION_XMP.encode()]
    assert [(b.data, b.where, b.standard) for b in blocks.iptc] == [(CREDIT_IIM, "IPTC", True)]
    assert blocks.iptc_digest == digest
    assert blocks.problems == []


def test_the_first_exif_block_wins() -> None:
    first = exif_segment(tiff_block([(0x010F, "ascii", b"First\0")]))
    second = exif_segment(tiff_block([(0x010F, "ascii", b"Second\0")]))
    assert blocks_of(jpeg_with(first, second)).ifd0[0x010F].data == b"First\0"


def test_extended_xmp_is_put_back_together_in_order() -> None:
    """Packets over 64 KiB continue in "extension" segments, each saying its offset."""
    packet = rich_xmp(alt("dc:title", "Title in the extension")).encode()
    guid = b"0123456789ABCDEF0123456789ABCDEF"
    half = len(packet) // 2

    def part(offset: int, data: bytes) -> bytes:
        header = b"http://ns.adobe.com/xmp/extension/\0" + guid
        return segment(0xE1, header + struct.pack(">II", len(packet), offset) + data)

    data = jpeg_with(xmp_segment(CAPTION_XMP), part(half, packet[half:]), part(0, packet[:half]))
    assert blocks_of(data).extended_xmp == {guid: packet}
    incomplete = jpeg_with(xmp_segment(CAPTION_XMP), part(0, packet[:half]))
    assert blocks_of(incomplete).extended_xmp == {}, "a missing part: none of it"


def test_extended_xmp_fills_what_the_main_packet_lacks(tmp_path: Path) -> None:
    extension = rich_xmp(alt("dc:title", "Extension title") + alt("dc:description", "Other"))
    packet = extension.encode()
    guid = b"F" * 32
    header = b"http://ns.adobe.com/xmp/extension/\0" + guid + struct.pack(">II", len(packet), 0)
    path = tmp_path / "extended.jpg"
    path.write_bytes(jpeg_with(xmp_segment(CAPTION_XMP), segment(0xE1, header + packet)))
    meta = read_metadata(path)
    assert (meta.title, meta.caption) == ("Extension title", "XMP caption")


def test_xmp_behind_a_mangled_namespace_is_still_found() -> None:
    mangled = segment(0xE1, b"XMP\0://ns.adobe.com/xap/1.0/\0" + CAPTION_XMP.encode())
    assert blocks_of(jpeg_with(mangled)).xmp == [CAPTION_XMP.encode()]


def test_photoshop_25_and_xmp_in_photoshop_resources_are_read() -> None:
    old = segment(0xED, b"Adobe_Photoshop2.5:" + iptc.build_resource(0x0404, CREDIT_IIM))
    blocks = blocks_of(jpeg_with(old))
    assert [(b.data, b.standard) for b in blocks.iptc] == [(CREDIT_IIM, True)]
    packet = photoshop_segment(iptc.build_resource(0x0424, CAPTION_XMP.encode()))
    assert blocks_of(jpeg_with(packet)).xmp == [CAPTION_XMP.encode()]


def test_fill_bytes_between_segments_are_skipped() -> None:
    data = jpeg_with(b"\xff\xff" + xmp_segment(CAPTION_XMP))
    assert blocks_of(data).xmp == [CAPTION_XMP.encode()]


def test_what_one_file_may_keep_is_bounded() -> None:
    resources = b"".join(
        iptc.build_resource(0x0404, iptc.build_iim([(iptc.CITY, f"City {n}")])) for n in range(40)
    )
    blocks = blocks_of(jpeg_with(photoshop_segment(resources)))
    assert len(blocks.iptc) == MAX_BLOCKS
    assert [b.standard for b in blocks.iptc] == [True] + [False] * (MAX_BLOCKS - 1)


def test_nothing_after_the_image_data_is_taken_for_a_segment() -> None:
    data = jpeg_with() + xmp_segment(CAPTION_XMP)  # after EOI: not metadata
    assert blocks_of(data).xmp == []


def test_an_exif_block_cut_inside_its_header_costs_only_the_exif(tmp_path: Path) -> None:
    """The segment's own length is right: only the TIFF header inside it is cut short (six
    of its eight bytes). The walk must go on to the XMP and IPTC segments after it."""
    data = jpeg_with(
        exif_segment(b"II*\x00\x08\x00"),
        xmp_segment(CAPTION_XMP),
        photoshop_segment(iptc.build_resource(0x0404, CREDIT_IIM)),
    )
    blocks = blocks_of(data)
    assert blocks.xmp == [CAPTION_XMP.encode()]
    assert [b.data for b in blocks.iptc] == [CREDIT_IIM]
    path = tmp_path / "cut-exif.jpg"
    path.write_bytes(data)
    meta = read_metadata(path)
    assert (meta.caption, meta.credit) == ("XMP caption", "IPTC credit")
