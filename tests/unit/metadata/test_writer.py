"""write_metadata on real files: written everywhere, undone, refused, or a sidecar; never raises."""

from __future__ import annotations

import io
import os
import pickle
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.builders import (
    CAMERA_EXIF,
    CAMERA_EXIF_IFD,
    QUIRKS,
    jpeg_bytes,
    jpeg_with,
    segment,
)
from tests.unit.metadata.reference import differences, needs_exiftool, read_tags
from viewer.metadata import read_metadata
from viewer.metadata.writer import EDITABLE, LIST_FIELDS, FieldValue, WriteResult, write_metadata

TEXT = "Écrit à la main — 火星 🙂"


@pytest.fixture
def camera(tmp_path: Path) -> Path:
    """A camera JPEG: EXIF with caption, artist and copyright, no IPTC or XMP yet."""
    photo = tmp_path / "IMG_0001.JPG"
    photo.write_bytes(jpeg_bytes(exif=CAMERA_EXIF, exif_ifd=CAMERA_EXIF_IFD))
    return photo


def only_the_photo_is_left(folder: Path, *names: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def test_the_api_the_window_uses() -> None:
    assert len(EDITABLE) == 21 and {"byline", "keywords", "persons"} == LIST_FIELDS


def test_a_caption_reaches_every_place_and_reads_back(camera: Path) -> None:
    result = write_metadata(camera, {"caption": TEXT, "byline": ("Jane Doe", "John Roe")})
    assert (result.status, result.reason, result.target) == ("written", "", camera)
    assert result.previous == {"caption": "EXIF description", "byline": ("EXIF Artist",)}
    meta = read_metadata(camera)
    assert meta.caption == TEXT and meta.bylines == ("Jane Doe", "John Roe")
    assert meta.source_of("caption") == "EXIF", "EXIF wins (MWG), and it says the same"
    assert meta.make == "Canon" and meta.date_taken is not None
    only_the_photo_is_left(camera.parent, camera.name)


@needs_exiftool
def test_exiftool_reads_what_was_written_and_nothing_else_changed(
    camera: Path, tmp_path: Path
) -> None:
    original = tmp_path / "original.jpg"
    original.write_bytes(camera.read_bytes())
    write_metadata(camera, {"caption": TEXT, "keywords": ("Mars", TEXT), "credit": "Agency"})
    tags = read_tags([original, camera])
    changed = differences(tags["original.jpg"], tags[camera.name])
    assert tags[camera.name]["IPTC:Caption-Abstract"] == TEXT
    assert tags[camera.name]["XMP-dc:Description"] == TEXT
    assert tags[camera.name]["IFD0:ImageDescription"] == TEXT
    assert tags[camera.name]["XMP-dc:Subject"] == ["Mars", TEXT]
    assert tags[camera.name]["IPTC:CodedCharacterSet"] == "UTF8"
    expected = {
        "IFD0:ImageDescription", "IPTC:Caption-Abstract", "XMP-dc:Description",
        "IPTC:Keywords", "XMP-dc:Subject", "IPTC:Credit", "XMP-photoshop:Credit",
        "IPTC:CodedCharacterSet", "IPTC:ApplicationRecordVersion", "XMP-x:XMPToolkit",
    }  # fmt: skip
    assert set(changed) == expected


def test_undo_writes_the_previous_values_back(tmp_path: Path) -> None:
    photo = tmp_path / "newsroom.jpg"
    photo.write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    before = read_metadata(photo)
    changes: dict[str, FieldValue] = {
        "caption": TEXT,
        "keywords": (),
        "city": "",
        "persons": ("Someone",),
    }
    result = write_metadata(photo, changes)
    assert result.status == "written"
    assert set(result.previous) == set(changes)
    undo = write_metadata(photo, result.previous)
    assert undo.status == "written"
    after = read_metadata(photo)
    for name in changes:
        assert after.value(name) == before.value(name), name


def test_the_same_values_change_nothing(camera: Path) -> None:
    data = camera.read_bytes()
    result = write_metadata(camera, {"caption": "EXIF description", "title": ""})
    assert (result.status, result.previous) == ("unchanged", {})
    assert camera.read_bytes() == data
    assert write_metadata(camera, {}).status == "unchanged"


def test_a_dry_run_checks_everything_and_writes_nothing(camera: Path) -> None:
    data = camera.read_bytes()
    result = write_metadata(camera, {"caption": "Would be"}, dry_run=True)
    assert result.status == "written" and result.reason.startswith("dry run")
    assert camera.read_bytes() == data
    only_the_photo_is_left(camera.parent, camera.name)


def test_a_value_cut_in_iptc_is_whole_in_xmp_and_said(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(jpeg_bytes())
    result = write_metadata(photo, {"credit": TEXT})
    (warning,) = result.warnings
    assert "Credit" in warning and "32 IPTC allows" in warning
    assert read_metadata(photo).credit == TEXT


def test_the_files_permissions_are_kept(camera: Path) -> None:
    camera.chmod(0o640)
    assert write_metadata(camera, {"headline": "H"}).status == "written"
    assert stat.S_IMODE(camera.stat().st_mode) == 0o640


def test_a_read_only_photo_is_refused(camera: Path) -> None:
    camera.chmod(0o444)
    data = camera.read_bytes()
    result = write_metadata(camera, {"headline": "H"})
    assert result.status == "refused" and "read-only" in result.reason
    assert camera.read_bytes() == data


def test_other_names_of_the_file_keep_the_old_version(camera: Path) -> None:
    other = camera.with_name("link.jpg")
    os.link(camera, other)
    result = write_metadata(camera, {"headline": "H"})
    assert any("hard links" in warning for warning in result.warnings)
    assert read_metadata(other).headline == ""


def test_a_photo_outside_the_gallery_is_refused(tmp_path: Path, camera: Path) -> None:
    gallery = tmp_path / "gallery"
    gallery.mkdir()
    (gallery / "escape.jpg").symlink_to(camera)
    result = write_metadata(gallery / "escape.jpg", {"headline": "H"}, root=gallery)
    assert result.status == "refused" and "outside the gallery" in result.reason
    assert read_metadata(camera).headline == ""


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    results: list[WriteResult] = []
    worker = threading.Thread(target=lambda: results.append(write_metadata(fifo, {"title": "x"})))
    worker.start()
    worker.join(timeout=10)
    assert results and results[0].status == "refused" and "named pipe" in results[0].reason


def test_a_missing_file_or_not_a_photo_is_refused(tmp_path: Path) -> None:
    assert write_metadata(tmp_path / "gone.jpg", {"title": "x"}).status == "refused"
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    result = write_metadata(notes, {"title": "x"})
    assert result.status == "refused" and "not a photo" in result.reason


def test_a_raw_file_gets_a_sidecar(tmp_path: Path) -> None:
    raw = tmp_path / "IMG_1.CR2"
    raw.write_bytes(jpeg_bytes())  # the name decides: raw files are never rewritten
    data = raw.read_bytes()
    result = write_metadata(raw, {"caption": TEXT})
    assert result.status == "sidecar" and result.target == tmp_path / "IMG_1.xmp"
    assert "camera raw file" in result.reason and "IMG_1.xmp" in result.reason
    assert raw.read_bytes() == data
    assert read_metadata(raw).caption == TEXT


def test_heic_gets_a_sidecar(tmp_path: Path) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    photo = tmp_path / "phone.heic"
    Image.new("RGB", (32, 24), "green").save(photo, quality=60)
    result = write_metadata(photo, {"title": "From a phone"})
    assert result.status == "sidecar" and "HEIC/AVIF" in result.reason
    assert read_metadata(photo).title == "From a phone"


def test_content_credentials_are_never_broken(tmp_path: Path) -> None:
    photo = tmp_path / "signed.jpg"
    manifest = b"JP\x00\x01\x00\x00\x00\x01\x00\x00\x00\x20jumb\x00\x00\x00\x18jumdc2pa"
    photo.write_bytes(jpeg_with(segment(0xEB, manifest)))
    data = photo.read_bytes()
    result = write_metadata(photo, {"caption": "Signed elsewhere"})
    assert result.status == "sidecar" and "Content Credentials" in result.reason
    assert photo.read_bytes() == data
    assert result.target == tmp_path / "signed.xmp"


def test_a_sidecar_overridden_by_the_photo_says_so(tmp_path: Path) -> None:
    raw = tmp_path / "IMG_2.NEF"
    raw.write_bytes(jpeg_bytes(exif={0x010E: "Camera caption"}))
    result = write_metadata(raw, {"caption": "Mine"})
    assert result.status == "sidecar"
    assert any("the photo itself says “Camera caption”" in w for w in result.warnings)


def test_a_character_xmp_cannot_hold_is_refused(camera: Path) -> None:
    result = write_metadata(camera, {"caption": "bell \x07"})
    assert result.status == "refused" and "U+0007" in result.reason


def test_a_wrong_field_is_the_callers_error(camera: Path) -> None:
    with pytest.raises(ValueError, match="not an editable field"):
        write_metadata(camera, {"colour": "red"})


def test_the_result_crosses_from_a_worker_process(camera: Path) -> None:
    result = write_metadata(camera, {"keywords": ("a",)})
    assert pickle.loads(pickle.dumps(result)) == result


def test_png_and_webp_are_written_in_place(tmp_path: Path) -> None:
    for name, kind in (("a.png", "PNG"), ("b.webp", "WEBP")):
        photo = tmp_path / name
        buffer = io.BytesIO()
        Image.new("RGB", (16, 12), (9, 8, 7)).save(buffer, kind)
        photo.write_bytes(buffer.getvalue())
        result = write_metadata(photo, {"caption": TEXT, "persons": ("P",)})
        assert result.status == "written", result.reason
        assert read_metadata(photo).caption == TEXT


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_a_damaged_file_is_a_result_never_an_exception(tmp_path: Path, data: st.DataObject) -> None:
    original = QUIRKS["quirk-newsroom.jpg"]()
    cut = data.draw(st.integers(2, len(original)))
    flips = data.draw(st.lists(st.integers(0, cut - 1), max_size=4))
    damaged = bytearray(original[:cut])
    for at in flips:
        damaged[at] ^= 0xA5
    photo = tmp_path / "damaged.jpg"
    photo.write_bytes(bytes(damaged))
    result = write_metadata(photo, {"caption": TEXT, "keywords": ("x",)})
    assert result.status in ("written", "refused", "failed", "unchanged", "sidecar")
    if result.status != "written":
        assert photo.read_bytes() == bytes(damaged), "left as it was"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
