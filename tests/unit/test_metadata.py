"""Reading EXIF and IPTC from JPEGs the tests build, and from the bundled pictures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PIL import Image, IptcImagePlugin

from tests.builders import CAMERA_EXIF, CAMERA_EXIF_IFD
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


def test_iptc_wins_over_exif_and_keeps_every_keyword(write_jpeg: WriteJpeg) -> None:
    path = write_jpeg(
        "wire.jpg",
        exif=CAMERA_EXIF,
        iptc_fields=[
            (iptc.CAPTION, "Zhurong beside its platform — ünïcode ✓"),
            (iptc.CREDIT, "CNSA via Storyful"),
            (iptc.BYLINE, "Remote camera"),
            (iptc.HEADLINE, "Mars pictures"),
            (iptc.KEYWORDS, "Mars"),
            (iptc.KEYWORDS, "rover"),
        ],
    )
    meta = read_metadata(path)
    assert meta.caption == "Zhurong beside its platform — ünïcode ✓"
    assert meta.credit == "CNSA via Storyful"
    assert meta.byline == "Remote camera"
    assert meta.headline == "Mars pictures"
    assert meta.keywords == ("Mars", "rover")


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
