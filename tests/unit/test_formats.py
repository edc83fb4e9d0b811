"""Which image format a file is, by its first bytes; HEIF and AVIF only through pillow-heif,
loaded only when a file's bytes say HEIF."""

from __future__ import annotations

import io
import os
import socket
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import jpeg_bytes, python_output
from viewer.formats import (
    HEIF_BRANDS,
    SNIFF_BYTES,
    is_heif,
    register_extra_formats,
    register_formats_for,
    register_formats_for_stream,
    sniff_file,
    sniff_format,
)


def saved(fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 100, 50)).save(buffer, fmt, **options)
    return buffer.getvalue()


def heic_bytes() -> bytes:
    assert register_extra_formats(), "pillow-heif is a dependency"
    return saved("HEIF", quality=90)


def ftyp(brand: bytes) -> bytes:
    """The first bytes of an ISO base media file of ``brand``."""
    return b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x00\x00mif1"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (jpeg_bytes(size=(8, 8)), "JPEG"),
        (saved("PNG"), "PNG"),
        (saved("GIF"), "GIF"),
        (b"GIF87a" + bytes(10), "GIF"),
        (saved("TIFF"), "TIFF"),
        (b"MM\x00*\x00\x00\x00\x08" + bytes(8), "TIFF"),  # big-endian TIFF (and DNG)
        (saved("BMP"), "BMP"),
        (saved("WEBP"), "WebP"),
        (saved("MPO", save_all=True, append_images=[Image.new("RGB", (8, 8))]), "JPEG"),
    ],
    ids=["jpeg", "png", "gif89a", "gif87a", "tiff-le", "tiff-be", "bmp", "webp", "mpo"],
)
def test_every_format_is_known_by_its_first_bytes(data: bytes, expected: str) -> None:
    assert sniff_format(data[:SNIFF_BYTES]) == expected


def test_a_real_heic_file_is_heif() -> None:
    data = heic_bytes()
    assert is_heif(data[:12])
    assert sniff_format(data[:SNIFF_BYTES]) == "HEIF"


@pytest.mark.parametrize("brand", HEIF_BRANDS)
def test_every_heif_and_avif_brand_is_heif(brand: bytes) -> None:
    assert is_heif(ftyp(brand))
    assert sniff_format(ftyp(brand)) == "HEIF"


@pytest.mark.parametrize("brand", [b"isom", b"mp42", b"qt  ", b"M4A ", b"crx "])
def test_other_iso_media_brands_are_not_images(brand: bytes) -> None:
    """Videos, sound and Canon's CR3 share the ``ftyp`` box; Photo Desk opens none of them."""
    assert not is_heif(ftyp(brand))
    assert sniff_format(ftyp(brand)) == ""


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"\xff\xd8",  # a JPEG cut after two bytes
        b"hello, I am text",
        b"RIFF\x00\x00\x00\x00WAVEfmt ",  # RIFF, but sound
        b"%PDF-1.7\n",
        b"\x00\x00\x00\x18ftyp",  # a box with no brand
        b"II*",  # one byte short of TIFF
    ],
)
def test_what_is_no_image_format_sniffs_as_nothing(head: bytes) -> None:
    assert sniff_format(head) == ""


def test_files_are_sniffed_by_content_not_by_name(tmp_path: Path) -> None:
    png = tmp_path / "really-a-png.jpg"
    png.write_bytes(saved("PNG"))
    assert sniff_file(png) == "PNG"
    text = tmp_path / "photo.jpg"
    text.write_text("not a picture")
    assert sniff_file(text) == ""


def test_what_cannot_be_read_as_a_file_sniffs_as_nothing_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    listening = socket.socket(socket.AF_UNIX)
    try:
        listening.bind(str(tmp_path / "socket.jpg"))
        for path in (fifo, tmp_path / "socket.jpg", tmp_path, tmp_path / "missing.jpg"):
            assert sniff_file(path) == "", path.name
    finally:
        listening.close()
    device = tmp_path / "zero.jpg"
    device.symlink_to("/dev/zero")
    assert sniff_file(device) == ""


def test_registering_for_a_stream_leaves_it_at_its_start() -> None:
    for data in (jpeg_bytes(size=(8, 8)), heic_bytes()):
        stream = io.BytesIO(data)
        register_formats_for_stream(stream)
        assert stream.tell() == 0
        with Image.open(stream) as image:
            assert image.size == (8, 8)


def test_pillow_heif_is_loaded_only_for_heif_files(tmp_path: Path) -> None:
    """In a fresh interpreter: JPEGs, PNGs, FIFOs and missing files leave pillow-heif
    unloaded; the first HEIC stream loads it, and Pillow then opens HEIC."""
    heic = tmp_path / "phone.heic"
    heic.write_bytes(heic_bytes())
    jpeg = tmp_path / "camera.jpg"
    jpeg.write_bytes(jpeg_bytes(size=(8, 8)))
    png = tmp_path / "drawing.png"
    png.write_bytes(saved("PNG"))
    os.mkfifo(tmp_path / "pipe.heic")
    code = f"""
import sys
from pathlib import Path
from PIL import Image, UnidentifiedImageError
from viewer.formats import register_formats_for, register_formats_for_stream
folder = Path({str(tmp_path)!r})
said = []
for name in ("camera.jpg", "drawing.png"):
    with open(folder / name, "rb") as stream:
        register_formats_for_stream(stream)
register_formats_for(folder / "pipe.heic")
register_formats_for(folder / "missing.heic")
said.append("pillow_heif" in sys.modules)
try:
    Image.open(folder / "phone.heic")
    said.append("opened")
except UnidentifiedImageError:
    said.append("unknown")
with open(folder / "phone.heic", "rb") as stream:
    register_formats_for_stream(stream)
    said.append("pillow_heif" in sys.modules)
    with Image.open(stream) as image:
        said.append(image.size)
print(said)
"""
    assert python_output(code) == "[False, 'unknown', True, (8, 8)]"


def test_registering_for_a_heif_path_makes_it_openable(tmp_path: Path) -> None:
    heic = tmp_path / "phone.heic"
    heic.write_bytes(heic_bytes())
    code = (
        "from pathlib import Path\n"
        "from PIL import Image\n"
        "from viewer.formats import register_formats_for\n"
        f"path = Path({str(heic)!r})\n"
        "register_formats_for(path)\n"
        "print(Image.open(path).size)\n"
    )
    assert python_output(code) == "(8, 8)"
    register_formats_for(heic)  # in this process too: a memo, registering only once
    assert register_extra_formats() is True
