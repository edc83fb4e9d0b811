"""The camera's embedded preview, read without decoding the photo."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from tests.builders import exif_app1_with_thumbnail, jpeg_bytes
from viewer.imaging.exif_thumbnail import read_exif_thumbnail


def small_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 120), (10, 200, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def with_segment(photo: bytes, segment: bytes) -> bytes:
    return photo[:2] + segment + photo[2:]


def test_the_embedded_preview_is_found(tmp_path: Path) -> None:
    preview = small_jpeg()
    path = tmp_path / "camera.jpg"
    path.write_bytes(with_segment(jpeg_bytes(size=(1600, 1200)), exif_app1_with_thumbnail(preview)))
    assert read_exif_thumbnail(path) == preview
    with Image.open(path) as image:
        assert image.size == (1600, 1200), "the file is still a valid JPEG"


def test_files_without_a_preview_give_none(tmp_path: Path) -> None:
    plain = tmp_path / "plain.jpg"
    plain.write_bytes(jpeg_bytes())
    assert read_exif_thumbnail(plain) is None
    png = tmp_path / "x.png"
    Image.new("RGB", (4, 4)).save(png)
    assert read_exif_thumbnail(png) is None
    assert read_exif_thumbnail(tmp_path / "missing.jpg") is None


def test_broken_exif_blocks_give_none(tmp_path: Path) -> None:
    segment = exif_app1_with_thumbnail(small_jpeg())
    for cut in (12, 20, 40, 60):
        path = tmp_path / f"cut{cut}.jpg"
        broken = segment[:cut] + b"\x00" * 8
        path.write_bytes(b"\xff\xd8" + broken + b"\xff\xd9")
        assert read_exif_thumbnail(path) is None
