"""Builders of test files: real JPEGs with EXIF and IPTC, and gallery manifests."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from viewer.metadata import iptc

EXIF_IFD = 0x8769


def jpeg_bytes(
    size: tuple[int, int] = (320, 200),
    color: tuple[int, int, int] = (180, 110, 60),
    exif: dict[int, Any] | None = None,
    exif_ifd: dict[int, Any] | None = None,
    iptc_fields: list[tuple[tuple[int, int], str]] | None = None,
    iptc_utf8: bool = True,
) -> bytes:
    """A real JPEG with a gradient, optional EXIF (IFD0 and Exif IFD) and IPTC."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image = Image.blend(image, Image.new("RGB", size, color), 0.6)
    info = Image.Exif()
    for tag, value in (exif or {}).items():
        info[tag] = value
    if exif_ifd:
        sub = info.get_ifd(EXIF_IFD)
        sub.update(exif_ifd)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=info.tobytes())
    data = buffer.getvalue()
    if iptc_fields:
        data = iptc.insert_jpeg_segment(
            data, iptc.build_app13(iptc.build_iim(iptc_fields, utf8=iptc_utf8))
        )
    return data


CAMERA_EXIF = {
    0x010F: "Canon",
    0x0110: "Canon EOS 7D",
    0x0112: 1,
    0x010E: "EXIF description",
    0x013B: "EXIF Artist",
    0x8298: "(c) EXIF Copyright",
}
CAMERA_EXIF_IFD = {
    0x829A: IFDRational(1, 250),
    0x829D: IFDRational(28, 10),
    0x8827: 400,
    0x920A: IFDRational(50, 1),
    0x9003: "2021:06:11 09:30:15",
}


def photo_entry(file: str, n: int, **overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "file": file,
        "title": f"Photo {n}",
        "caption": f"Caption {n}",
        "credit": f"Credit {n}",
        "alt": f"Alt text {n}",
        "passage": "p1",
    }
    entry.update(overrides)
    return entry


def manifest_document(files: list[str]) -> dict[str, Any]:
    return {
        "photodesk_gallery": 1,
        "title": "Test story",
        "story": {
            "headline": "A test headline",
            "publication": "The Test Times",
            "date": "2021-06-11",
            "summary": "What happened.",
            "passages": [
                {"id": "p1", "text": "The first passage."},
                {"id": "p2", "text": "The second passage."},
            ],
        },
        "photos": [photo_entry(f, i + 1) for i, f in enumerate(files)],
    }
