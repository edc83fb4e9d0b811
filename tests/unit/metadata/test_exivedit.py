"""The fields written into exiv2's model of a file: XMP, EXIF and IPTC, and snapshots."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.builders import (
    CAMERA_EXIF,
    CAMERA_EXIF_IFD,
    alt,
    bag,
    jpeg_bytes,
    jpeg_with,
    rich_xmp,
    xmp_segment,
)
from viewer.metadata import exivedit, iptc
from viewer.metadata.blocks import find_blocks

SHOWN = "<Iptc4xmpExt:LocationShown><rdf:Bag>{items}</rdf:Bag></Iptc4xmpExt:LocationShown>"
PLACE = '<rdf:li rdf:parseType="Resource"><Iptc4xmpExt:City>{city}</Iptc4xmpExt:City></rdf:li>'


def image_with(body: str) -> Any:
    return exivedit.open_image(jpeg_with(xmp_segment(rich_xmp(body))))


def test_a_language_alternative_keeps_its_other_languages() -> None:
    image = image_with(
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Old</rdf:li>'
        '<rdf:li xml:lang="en-GB">Old</rdf:li><rdf:li xml:lang="fr">Ancien</rdf:li>'
        "</rdf:Alt></dc:description>"
    )
    changed, warnings = exivedit.apply_xmp(image.xmpData(), {"caption": "New"})
    assert changed and not warnings
    assert exivedit.lang_alt(image.xmpData(), "Xmp.dc.description") == {
        "x-default": "New",
        "en-GB": "New",  # it repeated the old default text, so it follows the new one
        "fr": "Ancien",
    }


def test_clearing_a_language_alternative_removes_it_and_says_so() -> None:
    image = image_with(
        '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">T</rdf:li>'
        '<rdf:li xml:lang="de">D</rdf:li></rdf:Alt></dc:title>'
    )
    changed, warnings = exivedit.apply_xmp(image.xmpData(), {"title": ""})
    assert changed and exivedit.lang_alt(image.xmpData(), "Xmp.dc.title") == {}
    (warning,) = warnings
    assert warning.startswith("Title: its other languages (de) were removed too")


def test_the_same_value_changes_nothing() -> None:
    image = image_with(
        alt("dc:title", "T")
        + bag("dc:subject", ["a", "b"])
        + "<photoshop:City>Paris</photoshop:City>"
    )
    changed, _ = exivedit.apply_xmp(
        image.xmpData(), {"title": "T", "keywords": ("a", "b"), "city": "Paris", "event": ""}
    )
    assert not changed


def test_lists_are_bags_or_sequences_as_the_standard_says() -> None:
    image = image_with(bag("dc:creator", ["Old"], "Bag"))
    exivedit.apply_xmp(
        image.xmpData(), {"byline": ("A", "B"), "keywords": ("k",), "persons": ("p",)}
    )
    xmp = image.xmpData()
    assert exivedit.array_items(xmp, "Xmp.dc.creator") == (["A", "B"], 65544)  # Seq
    assert exivedit.array_items(xmp, "Xmp.dc.subject")[0] == ["k"]
    assert exivedit.array_items(xmp, "Xmp.iptcExt.PersonInImage")[0] == ["p"]
    exivedit.apply_xmp(xmp, {"keywords": ()})
    assert exivedit.array_items(xmp, "Xmp.dc.subject") == ([], None)


def test_a_single_place_shown_follows_the_edit() -> None:
    image = image_with(SHOWN.format(items=PLACE.format(city="Lyon")))
    exivedit.apply_xmp(image.xmpData(), {"city": "Paris"})
    (key,) = exivedit.shown_keys(image.xmpData(), "Iptc4xmpExt:City")
    assert image.xmpData()[key].toString() == "Paris"
    assert image.xmpData()["Xmp.photoshop.City"].toString() == "Paris"


def test_several_places_shown_are_not_guessed_at() -> None:
    image = image_with(SHOWN.format(items=PLACE.format(city="Lyon") + PLACE.format(city="Nice")))
    with pytest.raises(exivedit.EditRefusedError, match="lists 2 places shown"):
        exivedit.apply_xmp(image.xmpData(), {"city": "Paris"})
    changed, _ = exivedit.apply_xmp(image.xmpData(), {"country": "France"})
    assert changed, "a field no place shown holds is written as usual"


def test_exif_tags_are_written_only_where_the_file_has_them() -> None:
    image = exivedit.open_image(jpeg_bytes(exif={0x010E: "Old caption", 0x010F: "Canon"}))
    exif = image.exifData()
    assert exivedit.apply_exif(exif, {"caption": "New", "copyright": "© Me", "byline": ("A", "B")})
    assert exivedit.exif_text(exif, "Exif.Image.ImageDescription") == "New"
    assert exivedit.exif_text(exif, "Exif.Image.Copyright") is None, "not added"
    assert not exivedit.apply_exif(exif, {"caption": "New"})
    assert exivedit.apply_exif(exif, {"caption": ""})
    assert exivedit.exif_text(exif, "Exif.Image.ImageDescription") is None


def test_the_byline_goes_to_exif_artist_as_an_mwg_list() -> None:
    image = exivedit.open_image(jpeg_bytes(exif=CAMERA_EXIF))
    exivedit.apply_exif(image.exifData(), {"byline": ("Doe; Jane", "Roe")})
    assert exivedit.exif_text(image.exifData(), "Exif.Image.Artist") == '"Doe; Jane"; Roe'


def test_iptc_is_loaded_byte_for_byte() -> None:
    image = exivedit.open_image(jpeg_with())
    datasets = [(iptc.CODED_CHARSET, iptc.UTF8_MARKER), (iptc.TIME_CREATED, b"132723")]
    exivedit.load_iptc(image.iptcData(), datasets)
    image.writeMetadata()
    (block,) = find_blocks(io.BytesIO(exivedit.image_bytes(image))).iptc
    assert iptc.datasets(block.data) == (datasets, ""), "exiv2 would have written 132723+0000"


def test_a_repeated_single_dataset_is_refused() -> None:
    image = exivedit.open_image(jpeg_with())
    with pytest.raises(exivedit.EditRefusedError, match="repeats dataset 2:120"):
        exivedit.load_iptc(image.iptcData(), [(iptc.CAPTION, b"a"), (iptc.CAPTION, b"b")])


def test_snapshots_record_what_exiv2_reads() -> None:
    data = jpeg_bytes(
        exif=CAMERA_EXIF, exif_ifd=CAMERA_EXIF_IFD, xmp=rich_xmp(alt("dc:title", "T"))
    )
    image = exivedit.open_image(data)
    snapshot = exivedit.exif_snapshot(image.exifData())
    assert snapshot["Exif.Image.Make"] == ("Ascii", 6, b"Canon")
    assert snapshot["Exif.Image.ExifTag"][2] == b"", "a pointer is not compared by value"
    assert exivedit.xmp_snapshot(image.xmpData())["Xmp.dc.title"][1] == 'lang="x-default" T'
    assert "dc:title" in exivedit.xmp_packet(image)
    assert not exivedit.maker_note_parsed(image.exifData())
    assert exivedit.thumbnail(image.exifData()) == b""


def test_a_new_sidecar_is_an_xmp_packet() -> None:
    sidecar = exivedit.new_sidecar()
    exivedit.apply_xmp(sidecar.xmpData(), {"headline": "H"})
    sidecar.writeMetadata()
    packet = exivedit.image_bytes(sidecar)
    assert packet.startswith(b"<?xpacket") and b'photoshop:Headline="H"' in packet
