"""IPTC-IIM: datasets read to their damage, character sets, and the blocks tests build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.builders import jpeg_bytes
from viewer.metadata import iptc, read_metadata

WriteJpeg = Callable[..., Path]


def test_iptc_without_charset_marker_falls_back_to_latin1(write_jpeg: WriteJpeg) -> None:
    path = write_jpeg("legacy.jpg", iptc_fields=[(iptc.CAPTION, "Café in Zürich")], iptc_utf8=False)
    assert read_metadata(path).caption == "Café in Zürich"


def test_the_iptc_block_we_build_is_what_pillow_reads() -> None:
    block = iptc.build_iim([(iptc.CAPTION, "x"), (iptc.CREDIT, "y")])
    assert block.startswith(b"\x1c\x01\x5a\x00\x03\x1b%G")
    assert b"\x1c\x02\x78\x00\x01x" in block


def test_iim_blocks_are_read_to_their_damage() -> None:
    block = iptc.build_iim([(iptc.CAPTION, "kept")]) + b"\x1c\x02\x6e\x00\x50short"
    record = iptc.read_record(block)
    assert record.text(iptc.CAPTION) == ["kept"]
    assert "runs past the end" in record.problem
    padded = iptc.build_iim([(iptc.CREDIT, "x")]) + b"\x00" * 10
    assert iptc.read_record(padded).problem == "", "zero padding is not damage"
    extended = b"\x1c\x02\x78\x80\x02\x00\x04long"
    assert iptc.read_record(extended).text(iptc.CAPTION) == ["long"]


def test_datasets_in_order_with_record_and_number() -> None:
    block = iptc.build_iim([(iptc.KEYWORDS, "Mars"), (iptc.KEYWORDS, "rover"), (iptc.CITY, "X")])
    found, problem = iptc.datasets(block)
    assert problem == ""
    assert found == [
        (iptc.CODED_CHARSET, iptc.UTF8_MARKER),
        (iptc.KEYWORDS, b"Mars"),
        (iptc.KEYWORDS, b"rover"),
        (iptc.CITY, b"X"),
    ]


@pytest.mark.parametrize(
    ("tail", "words"),
    [
        (b"\x1c\x02\x78\x80\x09" + b"\x00" * 9, "broken length"),  # a nine-byte length
        (b"\x1c\x02\x78\x80\x04\x00\x00", "broken length"),  # the length itself is cut
        (b"\x1c\x02\x78\x00\x50short", "runs past the end of its block"),
        (b"\x1b\x02\x78\x00\x01x", "a damaged IPTC dataset at byte"),  # not 0x1C
    ],
)
def test_damage_is_said_and_what_came_before_is_kept(tail: bytes, words: str) -> None:
    block = iptc.build_iim([(iptc.CREDIT, "kept")], utf8=False)
    found, problem = iptc.datasets(block + tail)
    assert found == [(iptc.CREDIT, b"kept")]
    assert words in problem


def test_text_is_read_as_declared_or_as_its_bytes_suggest() -> None:
    declared = iptc.read_record(iptc.build_iim([(iptc.CITY, "Zürich")]))
    assert declared.utf8 and declared.text(iptc.CITY) == ["Zürich"]
    assert declared.undeclared_non_ascii(iptc.CITY) == ""
    latin = iptc.read_record(iptc.build_iim([(iptc.CITY, "Zürich")], utf8=False))
    assert not latin.utf8 and latin.text(iptc.CITY) == ["Zürich"]
    assert latin.undeclared_non_ascii(iptc.CITY) == "Windows Latin 1"
    assert latin.raw[iptc.CITY] == ["Zürich".encode("latin-1")]
    undeclared_utf8 = iptc.read_record(iptc.dataset(iptc.CITY, "Zürich".encode()))
    assert undeclared_utf8.text(iptc.CITY) == ["Zürich"]
    assert undeclared_utf8.undeclared_non_ascii(iptc.CITY) == "UTF-8"
    plain = iptc.read_record(iptc.build_iim([(iptc.CITY, "Bern")], utf8=False))
    assert plain.undeclared_non_ascii(iptc.CITY) == "", "ASCII raises no question"


def test_values_are_cleaned_and_empty_ones_are_not_text() -> None:
    block = iptc.dataset(iptc.KEYWORDS, b" Mars \x00") + iptc.dataset(iptc.KEYWORDS, b"   ")
    record = iptc.read_record(block + iptc.dataset((1, 20), b"envelope"))
    assert record.values[iptc.KEYWORDS] == ["Mars", ""]
    assert record.text(iptc.KEYWORDS) == ["Mars"]
    assert (1, 20) not in record.values, "only record 2 holds text"
    assert record.text(iptc.CAPTION) == []


def test_where_a_block_was_found_is_kept() -> None:
    record = iptc.read_record(b"", where="IPTC in a FotoStation trailer", standard=False)
    assert (record.where, record.standard, record.problem) == (
        "IPTC in a FotoStation trailer",
        False,
        "",
    )


def test_long_datasets_need_the_extended_form() -> None:
    with pytest.raises(ValueError, match="extended form"):
        iptc.dataset(iptc.CAPTION, b"x" * 0x8000)
    assert iptc.dataset(iptc.CAPTION, b"x" * 0x7FFF)[3:5] == b"\x7f\xff"


def test_resources_and_segments_are_built_as_photoshop_writes_them() -> None:
    resource = iptc.build_resource(0x0404, b"odd")
    assert resource == b"8BIM\x04\x04\x00\x00\x00\x00\x00\x03odd\x00"
    segment = iptc.build_app13(b"abcd")
    assert segment[:2] == b"\xff\xed"
    assert int.from_bytes(segment[2:4], "big") == len(segment) - 2
    assert segment[4:].startswith(b"Photoshop 3.0\x008BIM\x04\x04")


def test_a_segment_goes_after_the_jpegs_app0_and_app1() -> None:
    jpeg = jpeg_bytes(size=(16, 16), exif={0x010F: "Canon"})
    marker = iptc.build_app13(iptc.build_iim([(iptc.CREDIT, "x")]))
    combined = iptc.insert_jpeg_segment(jpeg, marker)
    at = combined.index(marker)
    before = combined[:at]
    assert b"JFIF" in before and b"Exif" in before, "after APP0 and APP1"
    assert combined.replace(marker, b"") == jpeg
    with pytest.raises(ValueError, match="not a JPEG"):
        iptc.insert_jpeg_segment(b"\x89PNG\r\n\x1a\n", marker)
