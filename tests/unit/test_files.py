"""Which files are photos, and in what order a person expects them."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.builders import jpeg_bytes
from viewer.files import is_image, list_images, looks_like_image, natural_key


def test_natural_order() -> None:
    names = ["IMG_10.jpg", "img_2.jpg", "IMG_1.jpg", "IMG_100.jpg", "a.jpg", "B.jpg"]
    assert sorted(names, key=natural_key) == [
        "a.jpg", "B.jpg", "IMG_1.jpg", "img_2.jpg", "IMG_10.jpg", "IMG_100.jpg",
    ]  # fmt: skip


def test_formats_are_recognised_by_content(tmp_path: Path) -> None:
    jpeg = tmp_path / "no-suffix-jpeg"
    jpeg.write_bytes(jpeg_bytes())
    paths = [jpeg]
    for fmt in ("PNG", "GIF", "WEBP", "TIFF", "BMP"):
        path = tmp_path / f"no-suffix-{fmt}"
        Image.new("RGB", (8, 8)).save(path, fmt)
        paths.append(path)
    for path in paths:
        assert looks_like_image(path), path.name
        assert is_image(path), path.name
    text = tmp_path / "README"
    text.write_text("not a picture")
    assert not is_image(text)


def test_listing_skips_hidden_files_folders_and_non_images(tmp_path: Path) -> None:
    (tmp_path / "IMG_2.JPG").write_bytes(jpeg_bytes())
    (tmp_path / "IMG_10.jpg").write_bytes(jpeg_bytes())
    (tmp_path / ".thumb.jpg").write_bytes(jpeg_bytes())
    (tmp_path / "sidecar.json").write_text("{}")
    (tmp_path / "album.jpg").mkdir()
    assert [p.name for p in list_images(tmp_path)] == ["IMG_2.JPG", "IMG_10.jpg"]
