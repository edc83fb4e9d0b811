"""Finding metadata wherever files keep it: the quirks Photo Desk once misread.

Each file is built here (Pillow and a few struct calls, see tests/builders.py); the same
files are compared with ExifTool in tests/e2e/test_exiftool_agreement.py.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from tests.builders import (
    QUIRKS,
    alt,
    exif_segment,
    jpeg_with,
    photoshop_segment,
    rich_xmp,
    tiff_block,
    xmp_segment,
)
from viewer.metadata import iptc, read_metadata
from viewer.metadata.reader import PhotoMetadata

# The big PNG is left out: the fuzzer would spend its time rewriting 1.8 MB.
QUIRK_BYTES = {name: make() for name, make in QUIRKS.items() if not name.endswith(".png")}


def quirk(tmp_path: Path, name: str) -> PhotoMetadata:
    path = tmp_path / name
    path.write_bytes(QUIRKS[name]())
    return read_metadata(path)


def test_utf8_exif_text_is_not_read_as_latin1(tmp_path: Path) -> None:
    meta = quirk(tmp_path, "quirk-exif-utf8.jpg")
    assert meta.caption == "Fjørd at dawn, Ålesund"
    assert meta.bylines == ("Bjørn Ødegård", "Åse Ås"), "EXIF Artist holds an MWG list"
    assert meta.byline == "Bjørn Ødegård; Åse Ås"
    assert meta.copyright == "© 2024 Bjørn Ødegård"
    assert meta.flags == ()


def test_an_old_photoshop_tiff_description_is_mac_roman(tmp_path: Path) -> None:
    meta = quirk(tmp_path, "quirk-exif-macroman.tif")
    assert meta.caption == "File written by Adobe Photoshop®4.0"
    assert [f.kind for f in meta.flags] == ["charset"]
    assert "Mac Roman" in meta.flags[0].message


def test_png_xmp_beyond_pillows_text_limit_is_read(tmp_path: Path) -> None:
    meta = quirk(tmp_path, "quirk-png-big-xmp.png")
    assert PngImagePlugin.MAX_TEXT_CHUNK == 1024 * 1024, "Pillow's global limit is left alone"
    assert meta.caption == "The Zhurong rover beside its landing platform."
    assert meta.credit == "CNSA via Storyful"
    assert (meta.width, meta.height) == (16, 16)
    assert meta.problems == ()


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


@pytest.mark.parametrize(
    ("name", "caption", "credit", "where"),
    [
        ("quirk-fotostation.jpg", "Caption kept by FotoStation", "NTB", "FotoStation"),
        ("quirk-afcp.jpg", "Caption in an AFCP trailer", "AXS", "AFCP"),
    ],
)
def test_iptc_in_trailers_is_read(
    tmp_path: Path, name: str, caption: str, credit: str, where: str
) -> None:
    meta = quirk(tmp_path, name)
    assert (meta.caption, meta.credit) == (caption, credit)
    assert where in meta.source_of("caption")
    assert meta.width == 64, "the picture itself is untouched by the trailer"


def test_a_broken_iptc_dataset_costs_neither_xmp_caption_nor_credit(tmp_path: Path) -> None:
    meta = quirk(tmp_path, "quirk-broken-iptc.jpg")
    assert meta.caption == "XMP caption"
    assert meta.credit == "XMP credit"
    assert any("IPTC" in p and "broken length" in p for p in meta.problems), meta.problems


def test_an_unreadable_iptc_block_leaves_xmp_and_exif(tmp_path: Path) -> None:
    garbage = iptc.build_resource(0x0404, b"\x00\x01garbage that is not IIM")
    path = tmp_path / "garbage-iptc.jpg"
    path.write_bytes(
        jpeg_with(
            exif_segment(tiff_block([(0x013B, "ascii", b"EXIF artist\0")])),
            xmp_segment(rich_xmp(alt("dc:description", "Still here"))),
            photoshop_segment(garbage),
        )
    )
    meta = read_metadata(path)
    assert (meta.caption, meta.byline) == ("Still here", "EXIF artist")
    assert any("damaged IPTC dataset" in p for p in meta.problems)


def test_webp_exif_and_xmp_chunks(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    packet = rich_xmp(alt("dc:title", "WebP title"), 'photoshop:Credit="WebP credit"')
    exif = tiff_block([(0x010E, "ascii", "Überschrift\0".encode())])
    Image.new("RGB", (20, 10)).save(buffer, "WEBP", exif=exif, xmp=packet.encode())
    path = tmp_path / "meta.webp"
    path.write_bytes(buffer.getvalue())
    meta = read_metadata(path)
    assert (meta.title, meta.credit, meta.caption) == ("WebP title", "WebP credit", "Überschrift")


def test_gif_xmp_is_read(tmp_path: Path) -> None:
    packet = rich_xmp(alt("dc:description", "GIF caption"))
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF")
    gif = buffer.getvalue()
    # An application extension as Adobe writes it: the raw packet, then the magic trailer.
    magic = bytes([1, *range(255, -1, -1), 0])
    extension = b"\x21\xff\x0bXMP DataXMP" + packet.encode() + magic
    path = tmp_path / "meta.gif"
    path.write_bytes(gif[:-1] + extension + b"\x3b")
    assert read_metadata(path).caption == "GIF caption"


def test_tiff_iptc_in_photoshop_resources_is_a_fallback(tmp_path: Path) -> None:
    resources = iptc.build_resource(0x0404, iptc.build_iim([(iptc.CREDIT, "From resources")]))
    path = tmp_path / "ps.tif"
    Image.new("RGB", (8, 8)).save(path, tiffinfo={34377: resources})
    meta = read_metadata(path)
    assert meta.credit == "From resources"
    assert meta.source_of("credit") == "IPTC in the Photoshop resources"


def test_a_fifo_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    meta = read_metadata(fifo)
    assert meta.width is None
    assert any("named pipe" in p for p in meta.problems), meta.problems


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


def test_metadata_crosses_process_boundaries(tmp_path: Path) -> None:
    meta = quirk(tmp_path, "quirk-generative.jpg")
    copy = pickle.loads(pickle.dumps(meta))
    assert copy == meta
    assert copy.flags and copy.sources


def test_the_credit_line_as_a_caption_says_it() -> None:
    meta = PhotoMetadata(bylines=("Jane Doe",), credit="Reuters", copyright="© 2021 Reuters")
    assert meta.credit_text == "Jane Doe / Reuters · © 2021 Reuters"
    assert meta.credit_line == "Reuters", "what existing callers get is unchanged"
    assert PhotoMetadata(credit="AP", copyright="AP").credit_text == "AP"
    assert PhotoMetadata(copyright="© X").credit_text == "© X"
    assert PhotoMetadata().credit_text == ""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(QUIRK_BYTES)),
    cuts=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    keep=st.floats(0.05, 1),
)
def test_damaged_quirks_never_raise(name: str, cuts: list[tuple[float, int]], keep: float) -> None:
    data = bytearray(QUIRK_BYTES[name])
    for where, value in cuts:
        data[int(where * len(data))] = value
    data = data[: max(16, int(len(data) * keep))]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(bytes(data))
        meta = read_metadata(path)
    assert isinstance(meta, PhotoMetadata)
    pickle.dumps(meta)
