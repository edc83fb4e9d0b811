"""Every caption field a newsroom uses: the MWG reconciliation, sources, flags, sidecars."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.builders import (
    NEWSROOM_IIM,
    QUIRKS,
    alt,
    bag,
    exif_segment,
    iptc_digest,
    jpeg_with,
    photoshop_segment,
    rich_xmp,
    tiff_block,
    xmp_segment,
)
from viewer.metadata import iptc, read_metadata
from viewer.metadata.fields import SPECS
from viewer.metadata.flags import source_type_words, synthetic_flag
from viewer.metadata.reader import PhotoMetadata


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def newsroom(tmp_path: Path) -> PhotoMetadata:
    return read_metadata(write(tmp_path, "newsroom.jpg", QUIRKS["quirk-newsroom.jpg"]()))


def test_every_newsroom_field_is_read(tmp_path: Path) -> None:
    meta = newsroom(tmp_path)
    assert meta.title == "Zhurong at the landing site"
    assert meta.heading == meta.title
    assert meta.headline == "China's rover sends its first pictures"
    assert meta.caption == "The Zhurong rover beside its landing platform."
    assert meta.caption_writer == "Desk editor"
    assert meta.credit == "CNSA via Storyful"
    assert meta.bylines == ("Remote camera",)
    assert meta.byline_title == "Robot"
    assert meta.copyright == "© 2021 CNSA"
    assert meta.usage_terms == "Editorial use only"
    assert meta.source == "CNSA"
    assert meta.instructions == "No archive"
    assert meta.job_id == "MARS-0611"
    assert meta.keywords == ("Mars", "rover")
    assert (meta.sublocation, meta.city, meta.state) == (
        "Landing site",
        "Utopia Planitia",
        "Northern plains",
    )
    assert (meta.country, meta.country_code) == ("Mars", "MRS")
    assert meta.event == "Tianwen-1 landing"
    assert meta.persons == ("Nobody", "Still nobody")
    assert meta.alt_text == "A six-wheeled rover on red dust"
    assert meta.extended_description == "The rover, seen from its platform."
    assert meta.digital_source_type.endswith("/digitalCapture")
    assert meta.flags == (), "IPTC and XMP agree and the digest matches"
    assert {name for name, _ in meta.sources} == {spec.name for spec in SPECS}
    assert all(source == "XMP" for _, source in meta.sources)


def test_iptc_edited_after_the_xmp_wins_and_is_flagged(tmp_path: Path) -> None:
    meta = read_metadata(write(tmp_path, "late.jpg", QUIRKS["quirk-iptc-edited-later.jpg"]()))
    assert (meta.credit, meta.headline) == ("Corrected credit", "New headline")
    assert meta.source_of("credit") == "IPTC"
    assert meta.caption == "", "MWG: the IPTC edited later has no caption, so none"
    conflicts = meta.flags_for("credit")
    assert len(conflicts) == 1 and conflicts[0].kind == "conflict"
    assert "Corrected credit" in conflicts[0].message and "digest" in conflicts[0].message


def test_iptc_alone_is_read_with_its_sources(tmp_path: Path) -> None:
    iim = iptc.build_iim(NEWSROOM_IIM)
    meta = read_metadata(
        write(tmp_path, "iim.jpg", jpeg_with(photoshop_segment(iptc.build_resource(0x0404, iim))))
    )
    assert meta.title == "Zhurong at the landing site"
    assert meta.job_id == "MARS-0611"
    assert meta.country_code == "MRS"
    assert meta.source_of("title") == "IPTC"
    assert meta.alt_text == "" and meta.source_of("alt_text") == ""


def test_exif_wins_for_caption_and_disagreement_is_flagged(tmp_path: Path) -> None:
    block = tiff_block([(0x010E, "ascii", b"OLYMPUS DIGITAL CAMERA\0")])
    path = write(
        tmp_path,
        "camera.jpg",
        jpeg_with(exif_segment(block), xmp_segment(rich_xmp(alt("dc:description", "Real")))),
    )
    meta = read_metadata(path)
    assert meta.caption == "OLYMPUS DIGITAL CAMERA", "the MWG rule, as ExifTool reads it"
    assert meta.source_of("caption") == "EXIF"
    (flag,) = meta.flags_for("caption")
    assert "EXIF says" in flag.message and "Real" in flag.message


def test_a_cut_iptc_value_gives_way_to_the_full_xmp(tmp_path: Path) -> None:
    meta = read_metadata(write(tmp_path, "cut.jpg", QUIRKS["quirk-truncated-headline.jpg"]()))
    assert meta.headline == ("A very long headline " * 20).strip()
    assert meta.source_of("headline") == "XMP"
    assert [f.kind for f in meta.flags_for("headline")] == ["truncated"]


def test_a_value_at_its_limit_without_xmp_may_have_been_cut(tmp_path: Path) -> None:
    iim = iptc.build_iim([(iptc.CREDIT, "c" * 32), (iptc.COUNTRY_CODE, "CHE")])
    path = write(tmp_path, "c.jpg", jpeg_with(photoshop_segment(iptc.build_resource(0x0404, iim))))
    meta = read_metadata(path)
    assert [f.kind for f in meta.flags] == ["truncated"], "country codes are always 3 long"
    assert "may have been cut" in meta.flags[0].message


def test_undeclared_encodings_and_mojibake_are_flagged(tmp_path: Path) -> None:
    meta = read_metadata(write(tmp_path, "u.jpg", QUIRKS["quirk-iptc-utf8-no-marker.jpg"]()))
    assert (meta.credit, meta.city) == ("Bjørn", "Tromsø")
    assert {f.field: f.kind for f in meta.flags} == {"credit": "charset", "city": "charset"}
    assert "read as UTF-8" in meta.flags_for("credit")[0].message
    assert "Windows Latin 1" in meta.flags_for("city")[0].message
    generated = read_metadata(write(tmp_path, "g.jpg", QUIRKS["quirk-generative.jpg"]()))
    (garbled,) = generated.flags_for("credit")
    assert garbled.kind == "mojibake" and "Café Bjørn" in garbled.message


def test_generative_ai_is_said_in_plain_words(tmp_path: Path) -> None:
    meta = read_metadata(write(tmp_path, "g.jpg", QUIRKS["quirk-generative.jpg"]()))
    (flag,) = meta.flags_for("digital_source_type")
    assert flag.kind == "synthetic"
    assert flag.message.startswith("Made by generative AI")
    assert synthetic_flag("digsrctype:compositeSynthetic") is not None
    assert synthetic_flag("http://cv.iptc.org/newscodes/digitalsourcetype/negativeFilm") is None
    assert source_type_words("negativeFilm") == "Scanned from a film negative"
    assert source_type_words("something new") == "something new"


def test_places_shown_win_as_exiftool_reads_them(tmp_path: Path) -> None:
    meta = read_metadata(write(tmp_path, "p.jpg", QUIRKS["quirk-places-shown.jpg"]()))
    assert meta.city == "Bern; Lyon", "Location Shown before the legacy photoshop:City"
    assert meta.country == "Switzerland; France"


def test_xmp_in_step_with_iptc_wins(tmp_path: Path) -> None:
    iim = iptc.build_iim([(iptc.CREDIT, "IIM credit")])
    packet = rich_xmp(bag("dc:creator", ["A", "B"], "Seq"), 'photoshop:Credit="XMP credit"')
    path = write(
        tmp_path,
        "sync.jpg",
        jpeg_with(
            xmp_segment(packet),
            photoshop_segment(iptc.build_resource(0x0404, iim), iptc_digest(iim)),
        ),
    )
    meta = read_metadata(path)
    assert (meta.credit, meta.bylines) == ("XMP credit", ("A", "B"))
    assert "XMP is shown" in meta.flags_for("credit")[0].message
    assert hashlib.md5(iim).digest() != bytes(16)


@pytest.mark.parametrize("name", ["photo.jpg.xmp", "photo.xmp", "photo.XMP"])
def test_a_sidecar_fills_what_the_file_lacks(tmp_path: Path, name: str) -> None:
    photo = write(tmp_path, "photo.jpg", jpeg_with(xmp_segment(rich_xmp(alt("dc:title", "T")))))
    (tmp_path / name).write_text(
        rich_xmp(
            alt("dc:title", "Sidecar title") + alt("dc:description", "Sidecar caption"),
            'photoshop:DateCreated="2021-06-11T09:30:00"',
        ),
        encoding="utf-8",
    )
    meta = read_metadata(photo)
    assert meta.title == "T", "the file's own value wins"
    assert meta.caption == "Sidecar caption"
    assert meta.source_of("caption") == f"sidecar {name}"
    assert meta.date_taken is not None and meta.date_taken.year == 2021
    (flag,) = meta.flags_for("title")
    assert "Sidecar title" in flag.message


def test_the_specific_sidecar_wins_over_the_shared_one(tmp_path: Path) -> None:
    photo = write(tmp_path, "photo.jpg", jpeg_with())
    (tmp_path / "photo.xmp").write_text(rich_xmp(alt("dc:title", "Of photo.cr2")), "utf-8")
    (tmp_path / "photo.jpg.xmp").write_text(rich_xmp(alt("dc:title", "Of photo.jpg")), "utf-8")
    assert read_metadata(photo).title == "Of photo.jpg"


def test_a_broken_or_hostile_sidecar_costs_only_itself(tmp_path: Path) -> None:
    photo = write(tmp_path, "photo.jpg", QUIRKS["quirk-newsroom.jpg"]())
    (tmp_path / "photo.jpg.xmp").write_text('<!DOCTYPE x [<!ENTITY a "b">]><x/>', "utf-8")
    meta = read_metadata(photo)
    assert meta.caption == "The Zhurong rover beside its landing platform."
    assert any("sidecar" in p and "DTD" in p for p in meta.problems), meta.problems


def test_a_fifo_sidecar_is_never_opened(tmp_path: Path) -> None:
    photo = write(tmp_path, "photo.jpg", QUIRKS["quirk-newsroom.jpg"]())
    os.mkfifo(tmp_path / "photo.jpg.xmp")
    meta = read_metadata(photo)
    assert meta.problems == ()
    assert meta.credit == "CNSA via Storyful"
