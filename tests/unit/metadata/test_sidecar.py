"""XMP sidecars beside the photo: which one applies, what it fills, what it may not do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.builders import QUIRKS, alt, jpeg_with, rich_xmp, xmp_segment
from viewer.metadata import read_metadata
from viewer.metadata.atomic import temporary_for
from viewer.metadata.sidecar import (
    find_sidecar,
    is_raw,
    owns_name_sidecar,
    read_sidecar,
    sidecar_candidates,
    sidecar_for_writing,
)
from viewer.metadata.xmp import MAX_PACKET_BYTES, XmpError


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


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


def test_where_a_sidecar_may_be_the_one_that_wins_first(tmp_path: Path) -> None:
    names = [path.name for path in sidecar_candidates(tmp_path / "photo.jpg")]
    assert names == ["photo.jpg.xmp", "photo.jpg.XMP", "photo.xmp", "photo.XMP"]
    assert [p.name for p in sidecar_candidates(tmp_path / "README")] == ["README.xmp", "README.XMP"]
    assert [p.name for p in sidecar_candidates(tmp_path / "notes.XMP")] == [
        "notes.XMP.xmp",
        "notes.XMP.XMP",
    ], "a sidecar is not its own sidecar"
    assert all(path.parent == tmp_path for path in sidecar_candidates(tmp_path / "a.b.jpg"))


def test_only_regular_files_are_sidecars(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    assert find_sidecar(photo) is None
    (tmp_path / "photo.jpg.xmp").mkdir()
    os.mkfifo(tmp_path / "photo.jpg.XMP")
    assert find_sidecar(photo) is None, "a folder and a FIFO are skipped"
    (tmp_path / "photo.XMP").write_text(rich_xmp(alt("dc:title", "Upper case")), "utf-8")
    assert find_sidecar(photo) == tmp_path / "photo.XMP"
    assert read_sidecar(tmp_path / "photo.XMP")["dc:title"] == ["Upper case"]


def test_a_sidecar_larger_than_a_packet_may_be_is_refused(tmp_path: Path) -> None:
    sidecar = tmp_path / "photo.jpg.xmp"
    sidecar.write_bytes(b" " * (MAX_PACKET_BYTES + 1))
    with pytest.raises(XmpError, match="larger than 16 MiB"):
        read_sidecar(sidecar)


def test_a_sidecar_that_cannot_be_opened_is_an_os_error(tmp_path: Path) -> None:
    fifo = tmp_path / "photo.jpg.xmp"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="named pipe"):
        read_sidecar(fifo)
    with pytest.raises(FileNotFoundError):
        read_sidecar(tmp_path / "gone.xmp")


def test_a_sidecar_never_overrides_the_files_own_value(tmp_path: Path) -> None:
    photo = write(tmp_path, "photo.jpg", QUIRKS["quirk-newsroom.jpg"]())
    (tmp_path / "photo.jpg.xmp").write_text(
        rich_xmp(alt("dc:description", "Sidecar caption"), 'photoshop:Credit="Sidecar credit"'),
        "utf-8",
    )
    meta = read_metadata(photo)
    assert meta.caption == "The Zhurong rover beside its landing platform."
    assert meta.credit == "CNSA via Storyful"
    assert {flag.field for flag in meta.flags} == {"caption", "credit"}
    assert all("the file's own value is shown" in flag.message for flag in meta.flags)


def test_a_raw_files_sidecar_is_not_taken_for_the_jpeg_beside_it(tmp_path: Path) -> None:
    jpeg = write(tmp_path, "IMG_1.JPG", jpeg_with())
    raw = write(tmp_path, "IMG_1.CR2", b"II*\x00raw")
    (tmp_path / "IMG_1.xmp").write_text(rich_xmp(alt("dc:title", "Of the raw file")), "utf-8")
    assert find_sidecar(jpeg) is None
    assert find_sidecar(raw) == tmp_path / "IMG_1.xmp"
    assert read_metadata(jpeg).title == ""
    assert sidecar_for_writing(jpeg) == tmp_path / "IMG_1.JPG.xmp"
    assert sidecar_for_writing(raw) == tmp_path / "IMG_1.xmp"


def test_a_shared_name_without_one_raw_file_belongs_to_no_one(tmp_path: Path) -> None:
    jpeg = write(tmp_path, "a.jpg", jpeg_with())
    write(tmp_path, "a.png", b"\x89PNG")
    (tmp_path / "a.xmp").write_text(rich_xmp(alt("dc:title", "Whose?")), "utf-8")
    assert find_sidecar(jpeg) is None
    assert not owns_name_sidecar(jpeg)


def test_where_a_sidecar_is_written(tmp_path: Path) -> None:
    alone = write(tmp_path, "alone.tif", b"II*\x00")
    assert sidecar_for_writing(alone) == tmp_path / "alone.xmp", "Adobe's name when it is free"
    (tmp_path / "alone.tif.xmp").write_text(rich_xmp(""), "utf-8")
    assert sidecar_for_writing(alone) == tmp_path / "alone.tif.xmp", "the one that applies"
    assert is_raw(tmp_path / "x.NEF") and is_raw(tmp_path / "x.dng") and not is_raw(alone)


def test_the_writers_temporary_file_has_the_photos_sidecar(tmp_path: Path) -> None:
    photo = write(tmp_path, "photo.jpg", jpeg_with())
    (tmp_path / "photo.jpg.xmp").write_text(rich_xmp(alt("dc:title", "S")), "utf-8")
    temporary = temporary_for(photo)
    temporary.write_bytes(photo.read_bytes())
    assert find_sidecar(temporary) == tmp_path / "photo.jpg.xmp"
    assert read_metadata(temporary).title == "S"
