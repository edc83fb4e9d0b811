"""Every caption field a newsroom uses, reconciled as the MWG (and ExifTool) read it:
EXIF, XMP, IPTC in and out of step, cut values, sources and flags."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.builders import (
    CAMERA_EXIF,
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
    xmp_packet,
    xmp_segment,
)
from viewer.metadata import iptc, read_metadata
from viewer.metadata.fields import SPEC_BY_NAME, SPECS, Found, Reading, reconcile
from viewer.metadata.iptc import IptcRecord
from viewer.metadata.photo import PhotoMetadata

WriteJpeg = Callable[..., Path]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def newsroom(tmp_path: Path) -> PhotoMetadata:
    return read_metadata(write(tmp_path, "newsroom.jpg", QUIRKS["quirk-newsroom.jpg"]()))


def test_mwg_exif_wins_for_caption_byline_and_copyright(write_jpeg: WriteJpeg) -> None:
    path = write_jpeg(
        "both.jpg",
        exif=CAMERA_EXIF,
        iptc_fields=[
            (iptc.CAPTION, "IPTC caption"),
            (iptc.BYLINE, "IPTC By-line"),
            (iptc.CREDIT, "CNSA via Storyful"),
        ],
        xmp=xmp_packet(dc_description="XMP caption", dc_creator=["XMP creator"]),
    )
    meta = read_metadata(path)
    assert meta.caption == "EXIF description"
    assert meta.byline == "EXIF Artist"
    assert meta.copyright == "(c) EXIF Copyright"
    assert meta.credit == "CNSA via Storyful", "no XMP credit: the IPTC one"


def test_mwg_xmp_wins_over_iptc_in_sync(write_jpeg: WriteJpeg) -> None:
    path = write_jpeg(
        "sync.jpg",
        iptc_fields=[
            (iptc.CAPTION, "Old IPTC caption"),
            (iptc.KEYWORDS, "old"),
            (iptc.CREDIT, "IPTC credit"),
            (iptc.HEADLINE, "IPTC headline"),
        ],
        xmp=xmp_packet(
            dc_description="Zhurong beside its platform — ünïcode ✓",
            dc_subject=["Mars", "rover"],
            dc_creator=["Remote camera", "CNSA"],
            photoshop_Credit="XMP credit",
            photoshop_Headline="XMP headline",
            photoshop_City="Utopia Planitia",
            photoshop_Country="Mars",
        ),
    )
    meta = read_metadata(path)
    assert meta.problems == ()
    assert meta.caption == "Zhurong beside its platform — ünïcode ✓"
    assert meta.keywords == ("Mars", "rover")
    assert meta.byline == "Remote camera; CNSA"
    assert meta.credit == "XMP credit"
    assert meta.headline == "XMP headline"
    assert (meta.city, meta.country) == ("Utopia Planitia", "Mars")


def test_mwg_iptc_edited_after_the_xmp_wins(write_jpeg: WriteJpeg) -> None:
    # The stored digest no longer matches the IPTC: a tool that ignores XMP changed it.
    path = write_jpeg(
        "stale.jpg",
        iptc_fields=[(iptc.CAPTION, "Corrected in an old tool"), (iptc.CREDIT, "New credit")],
        iptc_digest=bytes(16),
        xmp=xmp_packet(dc_description="Stale XMP caption", photoshop_Credit="Stale credit"),
    )
    meta = read_metadata(path)
    assert meta.caption == "Corrected in an old tool"
    assert meta.credit == "New credit"


def test_mwg_matching_digest_keeps_xmp(write_jpeg: WriteJpeg) -> None:
    fields = [(iptc.CAPTION, "IPTC caption")]
    digest = hashlib.md5(iptc.build_iim(fields)).digest()
    path = write_jpeg(
        "match.jpg",
        iptc_fields=fields,
        iptc_digest=digest,
        xmp=xmp_packet(dc_description="XMP caption"),
    )
    assert read_metadata(path).caption == "XMP caption"


def test_truncated_iptc_gives_way_to_the_full_xmp(write_jpeg: WriteJpeg) -> None:
    long_text = "x" * 2100
    path = write_jpeg(
        "long.jpg",
        iptc_fields=[(iptc.CAPTION, long_text[:2000])],
        iptc_digest=bytes(16),
        xmp=xmp_packet(dc_description=long_text),
    )
    assert read_metadata(path).caption == long_text


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


# --- the rules one field at a time, on what a file holds (no file needed) ----------------


def record(*fields: tuple[iptc.Key, str], standard: bool = True, where: str = "IPTC") -> IptcRecord:
    return iptc.read_record(iptc.build_iim(list(fields)), where, standard)


def field(
    name: str,
    *,
    exif: dict[str, str] | None = None,
    xmp: dict[str, list[str]] | None = None,
    blocks: list[IptcRecord] | None = None,
    digest: str = "none",
    sidecar: dict[str, list[str]] | None = None,
) -> Reading:
    found = Found(
        exif=exif or {},
        xmp=xmp or {},
        iptc=blocks or [],
        digest=digest,
        sidecar=sidecar or {},
        sidecar_name="photo.xmp",
    )
    return reconcile(SPEC_BY_NAME[name], found)


def test_exif_wins_unless_it_is_blank() -> None:
    xmp = {"dc:description": ["XMP caption"]}
    won = field("caption", exif={"description": "EXIF caption"}, xmp=xmp)
    assert (won.values, won.source) == (["EXIF caption"], "EXIF")
    blank = field("caption", exif={"description": "   "}, xmp=xmp)
    assert (blank.values, blank.source) == (["XMP caption"], "XMP")


def test_exif_artist_is_a_list_of_creators() -> None:
    reading = field("byline", exif={"artist": '"Doe; Jane"; Roe'})
    assert (reading.values, reading.source) == (["Doe; Jane", "Roe"], "EXIF")


@pytest.mark.parametrize(
    ("digest", "source", "value"),
    [("none", "XMP", "XMP credit"), ("match", "XMP", "XMP credit"), ("mismatch", "IPTC", "Old")],
)
def test_the_digest_decides_between_xmp_and_standard_iptc(
    digest: str, source: str, value: str
) -> None:
    reading = field(
        "credit",
        xmp={"photoshop:Credit": ["XMP credit"]},
        blocks=[record((iptc.CREDIT, "Old"))],
        digest=digest,
    )
    assert (reading.values, reading.source) == ([value], source)


def test_standard_iptc_alone_is_read_and_xmp_alone_too() -> None:
    iim_only = field("headline", blocks=[record((iptc.HEADLINE, "IIM headline"))])
    assert (iim_only.values, iim_only.source) == (["IIM headline"], "IPTC")
    xmp_only = field("headline", xmp={"photoshop:Headline": ["XMP headline"]})
    assert (xmp_only.values, xmp_only.source) == (["XMP headline"], "XMP")
    nothing = field("headline")
    assert (nothing.values, nothing.source, nothing.flags) == ([], "", [])


def test_non_standard_iptc_and_then_the_sidecar_fill_only_what_is_empty() -> None:
    trailer = record((iptc.CITY, "Oslo"), standard=False, where="IPTC in a FotoStation trailer")
    filled = field("city", blocks=[trailer], sidecar={"photoshop:City": ["Bergen"]})
    assert (filled.values, filled.source) == (["Oslo"], "IPTC in a FotoStation trailer")
    from_sidecar = field("country", blocks=[trailer], sidecar={"photoshop:Country": ["Norway"]})
    assert (from_sidecar.values, from_sidecar.source) == (["Norway"], "sidecar photo.xmp")


def test_lists_keep_every_value_and_single_fields_the_first() -> None:
    keywords = field("keywords", xmp={"dc:subject": ["Mars", "", "rover"]})
    assert keywords.values == ["Mars", "rover"]
    title = field("title", xmp={"dc:title": ["Default language", "Deutsch"]})
    assert title.values == ["Default language"]
    places = field(
        "city",
        xmp={
            "Iptc4xmpExt:LocationShown/Iptc4xmpExt:City": ["Bern", "Lyon"],
            "photoshop:City": ["Geneva"],
        },
    )
    assert places.values == ["Bern", "Lyon"]


def test_the_same_text_written_two_ways_is_no_conflict() -> None:
    rights = field(
        "copyright",
        exif={"copyright": "(c) 2021  CNSA"},
        xmp={"dc:rights": ["© 2021 CNSA"]},
    )
    assert rights.flags == [], "(c) is ©, and runs of spaces are one"
    keywords = field(
        "keywords",
        xmp={"dc:subject": ["rover", "Mars"]},
        blocks=[record((iptc.KEYWORDS, "Mars"), (iptc.KEYWORDS, "rover"))],
    )
    assert keywords.flags == [], "a list in another order says the same"


def test_a_real_disagreement_names_both_and_what_is_shown() -> None:
    reading = field(
        "credit",
        xmp={"photoshop:Credit": ["XMP credit"]},
        blocks=[record((iptc.CREDIT, "IPTC credit"))],
        digest="mismatch",
    )
    (flag,) = reading.flags
    assert flag.kind == "conflict"
    assert flag.message == (
        "Credit: IPTC says “IPTC credit” but XMP says “XMP credit”; IPTC is shown: it was "
        "changed after the XMP (the IPTC digest says so)"
    )


def test_long_values_are_shortened_in_messages() -> None:
    long_text = "word " * 40
    reading = field(
        "caption",
        exif={"description": "Short"},
        xmp={"dc:description": [long_text]},
    )
    (flag,) = reading.flags
    assert "…”" in flag.message and len(flag.message) < 200
