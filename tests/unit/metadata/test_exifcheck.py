"""A rewritten EXIF block is checked tag by tag, by exiv2 and by exifread, maker note included."""

from __future__ import annotations

import pytest

from tests.builders import exif_segment, jpeg_with, tiff_block
from viewer.metadata import exifcheck, exivedit

NOTE = (0x927C, "undefined", b"SomeMaker\x00" + bytes(range(40)))


def rewrite(data: bytes, caption: str | None) -> tuple[bytes, bytes]:
    """``data`` and exiv2's rewrite of it with ImageDescription set (None: left alone)."""
    image = exivedit.open_image(data)
    if caption is not None:
        image.exifData()["Exif.Image.ImageDescription"] = caption
    image.xmpData()["Xmp.photoshop.Headline"] = "touch the file"
    image.writeMetadata()
    return data, exivedit.image_bytes(image)


def compare(old: bytes, new: bytes, edited: set[str]) -> None:
    image = exivedit.open_image(old)
    snapshot = exivedit.exif_snapshot(image.exifData())
    exifcheck.compare(old, new, snapshot, exivedit.maker_note_parsed(image.exifData()), edited)


def camera_jpeg(*ifd0: tuple[int, str, bytes], note: bool = True) -> bytes:
    entries = [(0x010F, "ascii", b"SomeMaker\x00"), (0x010E, "ascii", b"Old\x00"), *ifd0]
    exif = [(0x829A, "undefined", b"\x00\x00\x00\x01"), *([NOTE] if note else [])]
    return jpeg_with(exif_segment(tiff_block(entries, exif_ifd=exif)))


def test_an_untouched_exif_block_passes() -> None:
    old, new = rewrite(camera_jpeg(), None)
    compare(old, new, set())


def test_an_edited_description_without_a_maker_note_passes() -> None:
    old, new = rewrite(camera_jpeg(note=False), "A much longer description than before")
    compare(old, new, {"Exif.Image.ImageDescription"})


def test_an_unknown_maker_note_may_not_move() -> None:
    old, new = rewrite(camera_jpeg(), "A much longer description than before")
    with pytest.raises(exifcheck.ExifDifferenceError, match="maker notes would move"):
        compare(old, new, {"Exif.Image.ImageDescription"})


def test_a_tag_exiv2_drops_is_caught() -> None:
    # exiv2 removes PhotometricInterpretation from a JPEG's EXIF whatever was edited.
    old, new = rewrite(camera_jpeg((0x0106, "short", b"\x00\x02"), note=False), "New")
    with pytest.raises(exifcheck.ExifDifferenceError, match="PhotometricInterpretation"):
        compare(old, new, {"Exif.Image.ImageDescription"})


def test_exifread_reads_the_block_with_its_maker_note() -> None:
    tags = exifcheck.exifread_tags(tiff_block([(0x010F, "ascii", b"Canon\x00")]))
    assert tags["Image Make"] == "Canon"
    assert exifcheck.exifread_tags(b"") == {}
    assert exifcheck.exifread_tags(b"not a TIFF") in ({}, {"(exifread)": "could not read it"})
