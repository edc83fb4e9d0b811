"""Reading EXIF and IPTC from JPEGs the tests build, and from the bundled pictures."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image, IptcImagePlugin
from PIL.TiffImagePlugin import IFDRational

from tests.builders import CAMERA_EXIF, CAMERA_EXIF_IFD, xmp_packet
from viewer.metadata import iptc, read_metadata
from viewer.model import load_manifest
from viewer.resources import bundled_gallery_path

WriteJpeg = Callable[..., Path]


def test_exif_fields_are_read_and_formatted(write_jpeg: WriteJpeg) -> None:
    path = write_jpeg("camera.jpg", size=(400, 300), exif=CAMERA_EXIF, exif_ifd=CAMERA_EXIF_IFD)
    meta = read_metadata(path)
    assert meta.problems == ()
    assert (meta.make, meta.model, meta.camera) == ("Canon", "Canon EOS 7D", "Canon EOS 7D")
    assert meta.exposure_time == "1/250 s"
    assert meta.f_number == "f/2.8"
    assert meta.iso == "400"
    assert meta.focal_length == "50 mm"
    assert meta.exposure_summary() == "50 mm · f/2.8 · 1/250 s · ISO 400"
    assert meta.date_taken == dt.datetime(2021, 6, 11, 9, 30, 15)
    assert (meta.width, meta.height, meta.orientation) == (400, 300, 1)
    # Without IPTC, EXIF's description and artist stand in for caption and by-line.
    assert meta.caption == "EXIF description"
    assert meta.byline == "EXIF Artist"
    assert meta.copyright == "(c) EXIF Copyright"


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


def test_windows_and_user_comment_captions_are_fallbacks(tmp_path: Path) -> None:
    image = Image.new("RGB", (40, 30))
    exif = Image.Exif()
    exif[0x9C9C] = "Comment ünïcode".encode("utf-16-le") + b"\x00\x00"  # XPComment
    exif.get_ifd(0x8769)[0x9286] = b"UNICODE\x00" + "User comment".encode("utf-16-le")
    path = tmp_path / "xp.jpg"
    image.save(path, exif=exif.tobytes())
    assert read_metadata(path).caption == "Comment ünïcode"
    only_user = Image.Exif()
    only_user.get_ifd(0x8769)[0x9286] = b"ASCII\x00\x00\x00Plain comment"
    path2 = tmp_path / "uc.jpg"
    image.save(path2, exif=only_user.tobytes())
    assert read_metadata(path2).caption == "Plain comment"


def test_gps_and_dates_with_offsets(tmp_path: Path) -> None:
    image = Image.new("RGB", (40, 30))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update(
        {
            1: "S",
            2: (IFDRational(33), IFDRational(51), IFDRational(54)),
            3: "E",
            4: (IFDRational(151), IFDRational(12), IFDRational(36)),
        }
    )
    sub = exif.get_ifd(0x8769)
    sub.update({0x9003: "2021:06:11 09:30:15", 0x9291: "25", 0x9011: "+08:00"})
    path = tmp_path / "gps.jpg"
    image.save(path, exif=exif.tobytes())
    meta = read_metadata(path)
    assert meta.gps is not None
    assert abs(meta.gps[0] - -33.865) < 1e-4
    assert abs(meta.gps[1] - 151.21) < 1e-4
    assert meta.date_taken is not None
    assert meta.date_taken.isoformat() == "2021-06-11T09:30:15.250000+08:00"


def test_xmp_with_a_dtd_is_refused_and_costs_only_xmp(write_jpeg: WriteJpeg) -> None:
    evil = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="&b;"/></rdf:RDF></x:xmpmeta>'
    )
    path = write_jpeg("evil.jpg", exif=CAMERA_EXIF, xmp=evil)
    meta = read_metadata(path)
    assert any("XMP" in p and "DTD" in p for p in meta.problems), meta.problems
    assert meta.caption == "EXIF description", "the rest of the file is still read"


def test_iptc_without_charset_marker_falls_back_to_latin1(write_jpeg: WriteJpeg) -> None:
    path = write_jpeg("legacy.jpg", iptc_fields=[(iptc.CAPTION, "Café in Zürich")], iptc_utf8=False)
    assert read_metadata(path).caption == "Café in Zürich"


def test_the_iptc_block_we_build_is_what_pillow_reads() -> None:
    block = iptc.build_iim([(iptc.CAPTION, "x"), (iptc.CREDIT, "y")])
    assert block.startswith(b"\x1c\x01\x5a\x00\x03\x1b%G")
    assert b"\x1c\x02\x78\x00\x01x" in block


def test_orientation_that_rotates_swaps_the_displayed_size(write_jpeg: WriteJpeg) -> None:
    path = write_jpeg("rotated.jpg", size=(300, 200), exif={0x0112: 6})
    meta = read_metadata(path)
    assert (meta.orientation, meta.width, meta.height) == (6, 200, 300)


def test_bogus_orientation_means_as_stored(write_jpeg: WriteJpeg) -> None:
    path = write_jpeg("bogus.jpg", size=(300, 200), exif={0x0112: 99})
    meta = read_metadata(path)
    assert (meta.orientation, meta.width, meta.height) == (1, 300, 200)


def test_a_file_without_metadata_reads_as_empty(write_jpeg: WriteJpeg) -> None:
    meta = read_metadata(write_jpeg("plain.jpg"))
    assert (meta.caption, meta.credit, meta.camera, meta.date_taken) == ("", "", "", None)
    assert meta.problems == ()


def test_broken_files_cost_fields_not_the_call(tmp_path: Path, write_jpeg: WriteJpeg) -> None:
    garbage = tmp_path / "garbage.jpg"
    garbage.write_bytes(b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00" + b"\x00" * 7)
    meta = read_metadata(garbage)
    assert meta.problems, "a broken file must say what could not be read"
    truncated = write_jpeg("whole.jpg", exif=CAMERA_EXIF, exif_ifd=CAMERA_EXIF_IFD)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(truncated.read_bytes()[:60])
    read_metadata(cut)  # must not raise
    missing = read_metadata(tmp_path / "missing.jpg")
    assert any("could not be read" in p for p in missing.problems)


def test_bundled_pictures_carry_honest_exif_and_iptc() -> None:
    gallery = load_manifest(bundled_gallery_path())
    for photo in gallery.photos:
        meta = read_metadata(photo.path)
        assert meta.problems == ()
        assert meta.caption == photo.caption
        assert meta.credit == photo.credit
        assert "illustration" in meta.byline.lower()
        assert meta.camera == "", "an illustration must not claim a camera"
        assert meta.width is not None and meta.width >= 1600
        with Image.open(photo.path) as image:
            assert IptcImagePlugin.getiptcinfo(image) is not None
            exif = image.getexif()
            assert exif.get(0x010E) == photo.caption  # ImageDescription
            assert "Photo Desk" in exif.get(0x013B, "")  # Artist
            assert exif.get(0x8298)  # Copyright
            assert exif.get(0x0132)  # DateTime


def test_png_with_exif_and_xmp(tmp_path: Path) -> None:
    from PIL import PngImagePlugin  # noqa: PLC0415

    exif = Image.Exif()
    exif[0x010F] = "Nikon"
    exif[0x0110] = "Nikon Z 6"
    exif.get_ifd(0x8769)[0x9003] = "2022:02:03 04:05:06"
    info = PngImagePlugin.PngInfo()
    info.add_itxt(
        "XML:com.adobe.xmp",
        xmp_packet(
            dc_description="PNG caption from XMP",
            photoshop_Credit="PNG credit",
            dc_subject=["png", "xmp"],
        ),
    )
    path = tmp_path / "meta.png"
    Image.new("RGB", (50, 40)).save(path, pnginfo=info, exif=exif.tobytes())
    meta = read_metadata(path)
    assert meta.caption == "PNG caption from XMP"
    assert meta.credit == "PNG credit"
    assert meta.keywords == ("png", "xmp")
    assert (meta.make, meta.model) == ("Nikon", "Nikon Z 6")
    assert meta.date_taken == dt.datetime(2022, 2, 3, 4, 5, 6)


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
