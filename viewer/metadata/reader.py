"""What a photo file says about itself: caption, credit, camera and exposure.

The flow for one file: exifread walks the EXIF block (camera, exposure, dates,
ImageDescription/Artist/Copyright); Pillow opens the file lazily (no pixels decoded) for
its size, orientation and IPTC block. Each parser call is guarded: a broken segment costs
the fields it holds and is listed in ``problems``, never the photo.

When sources disagree the IPTC text wins over EXIF's, as the Metadata Working Group
guidance ranks them for descriptive fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from viewer.metadata import iptc

_SWAPS_AXES = {5, 6, 7, 8}


@dataclass(frozen=True)
class PhotoMetadata:
    """Metadata of one file; empty strings and None mean "not recorded"."""

    caption: str = ""
    credit: str = ""
    byline: str = ""
    headline: str = ""
    copyright: str = ""
    keywords: tuple[str, ...] = ()
    make: str = ""
    model: str = ""
    lens: str = ""
    exposure_time: str = ""
    f_number: str = ""
    iso: str = ""
    focal_length: str = ""
    software: str = ""
    date_taken: dt.datetime | None = None
    orientation: int = 1
    width: int | None = None
    height: int | None = None
    problems: tuple[str, ...] = ()

    @property
    def camera(self) -> str:
        """Make and model without the make repeated (``Canon Canon EOS 7D`` reads badly)."""
        make, model = self.make.strip(), self.model.strip()
        if make and model.lower().startswith(make.split()[0].lower()):
            return model
        return " ".join(part for part in (make, model) if part)

    def exposure_summary(self) -> str:
        """One line such as ``50 mm · f/2.8 · 1/250 s · ISO 400``, or ""."""
        parts = [self.focal_length, self.f_number, self.exposure_time]
        if self.iso:
            parts.append(f"ISO {self.iso}")
        return " · ".join(p for p in parts if p)


def read_metadata(path: Path) -> PhotoMetadata:
    """Read EXIF and IPTC from ``path``; never raises for a broken file.

    Problems (an unreadable file, a broken segment) are listed in ``problems``.
    """
    fields: dict[str, Any] = {}
    problems: list[str] = []
    try:
        fields.update(_read_exif(path))
    except Exception as exc:
        problems.append(f"EXIF could not be read: {_describe(exc)}")
    try:
        fields.update(_read_pillow(path))
    except Exception as exc:
        problems.append(f"image header and IPTC could not be read: {_describe(exc)}")
    iptc_fields = fields.pop("_iptc", {})
    merged: dict[str, Any] = {
        "caption": _first(iptc_fields.get(iptc.CAPTION), fields.get("description")),
        "credit": _first(iptc_fields.get(iptc.CREDIT)),
        "byline": _first(iptc_fields.get(iptc.BYLINE), fields.get("artist")),
        "headline": _first(iptc_fields.get(iptc.HEADLINE)),
        "copyright": _first(iptc_fields.get(iptc.COPYRIGHT), fields.get("exif_copyright")),
        "keywords": tuple(iptc_fields.get(iptc.KEYWORDS, ())),
    }
    for name in ("description", "artist", "exif_copyright"):
        fields.pop(name, None)
    return PhotoMetadata(**fields, **merged, problems=tuple(problems))


def _first(*candidates: object) -> str:
    for candidate in candidates:
        value = (candidate[0] if candidate else "") if isinstance(candidate, list) else candidate
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _read_exif(path: Path) -> dict[str, Any]:
    import exifread  # noqa: PLC0415 - a slow import, only paid when metadata is read

    with path.open("rb") as stream:
        tags = exifread.process_file(stream, details=False, extract_thumbnail=False)
    if not tags:
        return {}

    def text(name: str) -> str:
        tag = tags.get(name)
        return _clean(str(tag.printable)) if tag is not None else ""

    def number(name: str) -> Fraction | None:
        tag = tags.get(name)
        try:
            value = tag.values[0] if tag is not None else None
            return Fraction(value) if value is not None else None
        except (TypeError, ValueError, ZeroDivisionError, IndexError):
            return None

    result: dict[str, Any] = {
        "make": text("Image Make"),
        "model": text("Image Model"),
        "lens": text("EXIF LensModel"),
        "software": text("Image Software"),
        "description": text("Image ImageDescription"),
        "artist": text("Image Artist"),
        "exif_copyright": text("Image Copyright"),
        "iso": text("EXIF ISOSpeedRatings"),
        "date_taken": _parse_exif_date(text("EXIF DateTimeOriginal") or text("Image DateTime")),
    }
    exposure = number("EXIF ExposureTime")
    if exposure is not None and exposure > 0:
        result["exposure_time"] = (
            f"1/{round(1 / exposure)} s" if exposure < 1 else f"{float(exposure):g} s"
        )
    f_number = number("EXIF FNumber")
    if f_number is not None and f_number > 0:
        result["f_number"] = f"f/{float(f_number):.1f}".replace(".0", "")
    focal = number("EXIF FocalLength")
    if focal is not None and focal > 0:
        result["focal_length"] = f"{float(focal):g} mm"
    return result


def _clean(value: str) -> str:
    return value.replace("\x00", "").strip()


def _parse_exif_date(raw: str) -> dt.datetime | None:
    for pattern in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M"):
        try:
            return dt.datetime.strptime(raw.strip()[:19], pattern)
        except ValueError:
            continue
    return None


def _read_pillow(path: Path) -> dict[str, Any]:
    from PIL import Image, IptcImagePlugin  # noqa: PLC0415 - keep start-up light

    result: dict[str, Any] = {}
    with Image.open(path) as image:
        width, height = image.size
        orientation = 1
        try:
            value = image.getexif().get(0x0112, 1)
            orientation = value if isinstance(value, int) and 1 <= value <= 8 else 1
        except Exception:  # a broken EXIF block costs the orientation only
            orientation = 1
        if orientation in _SWAPS_AXES:
            width, height = height, width
        result.update(width=width, height=height, orientation=orientation)
        info = IptcImagePlugin.getiptcinfo(image)
        if info:
            result["_iptc"] = iptc.decode_iptc(info)
    return result
