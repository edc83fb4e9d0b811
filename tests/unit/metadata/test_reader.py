"""read_metadata: one file opened once, every block guarded, the result plain data."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, IptcImagePlugin

from tests.builders import (
    CAMERA_EXIF,
    CAMERA_EXIF_IFD,
    QUIRKS,
    alt,
    exif_segment,
    jpeg_with,
    photoshop_segment,
    python_output,
    rich_xmp,
    tiff_block,
    xmp_segment,
)
from tests.unit.metadata import c2pa_builders
from viewer.metadata import iptc, read_metadata
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.reader import describe
from viewer.metadata.trust import trust_folder
from viewer.model import load_manifest
from viewer.resources import bundled_gallery_path

WriteJpeg = Callable[..., Path]


# The big PNG is left out: the fuzzer would spend its time rewriting 1.8 MB.
QUIRK_BYTES = {name: make() for name, make in QUIRKS.items() if not name.endswith(".png")}


def quirk(tmp_path: Path, name: str) -> PhotoMetadata:
    path = tmp_path / name
    path.write_bytes(QUIRKS[name]())
    return read_metadata(path)


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


def test_a_fifo_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    meta = read_metadata(fifo)
    assert meta.width is None
    assert any("named pipe" in p for p in meta.problems), meta.problems


def test_metadata_crosses_process_boundaries(tmp_path: Path) -> None:
    meta = quirk(tmp_path, "quirk-generative.jpg")
    copy = pickle.loads(pickle.dumps(meta))
    assert copy == meta
    assert copy.flags and copy.sources


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


@pytest.mark.parametrize(
    ("make", "model", "camera"),
    [
        ("Canon", "Canon EOS 7D", "Canon EOS 7D"),
        ("NIKON CORPORATION", "NIKON Z 6", "NIKON Z 6"),
        ("Apple", "iPhone 12", "Apple iPhone 12"),
        ("", "X2D", "X2D"),
        ("Hasselblad", "", "Hasselblad"),
        ("", "", ""),
    ],
)
def test_the_camera_is_named_without_repeating_the_make(make: str, model: str, camera: str) -> None:
    assert PhotoMetadata(make=make, model=model).camera == camera


def test_the_exposure_in_one_line() -> None:
    full = PhotoMetadata(focal_length="50 mm", f_number="f/2.8", exposure_time="1/250 s", iso="400")
    assert full.exposure_summary() == "50 mm · f/2.8 · 1/250 s · ISO 400"
    assert PhotoMetadata(iso="100").exposure_summary() == "ISO 100"
    assert PhotoMetadata().exposure_summary() == ""


def test_fields_by_their_export_keys_with_sources_and_flags(tmp_path: Path) -> None:
    assert quirk(tmp_path, "quirk-newsroom.jpg").value("byline") == ("Remote camera",)
    meta = quirk(tmp_path, "quirk-iptc-edited-later.jpg")
    assert meta.value("byline") == (), "the IPTC edited later has none, so none"
    assert meta.value("credit") == "Corrected credit"
    assert meta.source_of("credit") == "IPTC"
    assert meta.source_of("caption") == "", "empty fields have no source"
    assert [flag.field for flag in meta.flags_for("credit")] == ["credit"]
    assert meta.flags_for("city") == ()
    assert meta.heading == "New headline", "no title in the IPTC shown: its headline"
    assert PhotoMetadata(headline="Only a headline").heading == "Only a headline"


def test_problems_are_said_in_words() -> None:
    from PIL import UnidentifiedImageError  # noqa: PLC0415

    assert describe(UnidentifiedImageError("cannot identify image file")) == (
        "this is not an image format Photo Desk can read"
    )
    assert describe(ValueError("bad value")) == "ValueError: bad value"
    assert describe(KeyError()) == "KeyError"


def test_a_file_that_is_no_image_keeps_its_metadata_problem_and_no_size(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("just text", encoding="utf-8")
    meta = read_metadata(path)
    assert meta.width is None and meta.caption == ""
    assert meta.problems == (
        "the image header could not be read: this is not an image format Photo Desk can read",
    )


def test_a_heic_from_a_phone_gives_its_camera_date_and_upright_size(tmp_path: Path) -> None:
    from viewer.formats import register_extra_formats  # noqa: PLC0415

    assert register_extra_formats()
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 12"
    exif.get_ifd(0x8769)[0x9003] = "2021:06:11 09:30:15"
    path = tmp_path / "phone.heic"
    Image.new("RGB", (60, 40)).save(path, "HEIF", exif=exif.tobytes())
    meta = read_metadata(path)
    assert meta.camera == "Apple iPhone 12"
    assert (meta.width, meta.height) == (40, 60), "as shown: turned upright"
    assert meta.date_taken == dt.datetime(2021, 6, 11, 9, 30, 15)


# --- Content Credentials: read with the rest, only for files that have them --------------


def test_a_photo_without_credentials_has_no_provenance_and_loads_no_library(
    tmp_path: Path,
) -> None:
    path = tmp_path / "newsroom.jpg"
    path.write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    assert read_metadata(path).provenance is None
    code = (
        "import sys\nfrom pathlib import Path\nfrom viewer.metadata import read_metadata\n"
        f"meta = read_metadata(Path({str(path)!r}))\n"
        "print(meta.provenance, meta.caption != '', 'c2pa' in sys.modules)\n"
    )
    assert python_output(code) == "None True False"


def test_signed_photos_carry_their_credentials_with_the_caption(tmp_path: Path) -> None:
    pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    authority = c2pa_builders.make_authority()
    newsroom = QUIRKS["quirk-newsroom.jpg"]()
    path = tmp_path / "signed.jpg"
    path.write_bytes(c2pa_builders.sign(newsroom, authority))
    meta = read_metadata(path)
    assert meta.caption == "The Zhurong rover beside its landing platform."
    assert meta.problems == ()
    assert meta.provenance is not None
    assert (meta.provenance.state, meta.provenance.actions) == ("valid", ("created",))
    assert pickle.loads(pickle.dumps(meta)) == meta, "it crosses from the workers"
    authority.write_root(trust_folder())  # the user adds the signer's root
    assert read_metadata(path).provenance == replace(meta.provenance, state="trusted")
    assert read_metadata(path, trust_anchors=()).provenance == meta.provenance
    changed = tmp_path / "changed.jpg"
    changed.write_bytes(c2pa_builders.changed_after_signing(path.read_bytes()))
    after = read_metadata(changed)
    assert after.provenance is not None and after.provenance.changed
    assert after.caption == meta.caption, "the rest of the metadata reads as before"


def test_the_iptc_source_type_counts_for_generative_ai(tmp_path: Path) -> None:
    pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    authority = c2pa_builders.make_authority()
    path = tmp_path / "generated.jpg"
    path.write_bytes(c2pa_builders.sign(QUIRKS["quirk-generative.jpg"](), authority))
    meta = read_metadata(path)
    assert meta.provenance is not None
    assert meta.provenance.source_type == c2pa_builders.CAMERA
    assert meta.provenance.ai_generated is True, "the IPTC Digital Source Type says so"
