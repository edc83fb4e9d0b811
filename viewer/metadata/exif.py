"""Camera, exposure, time and place from EXIF, read by exifread (and a few parsers).

exifread walks EXIF in every container it knows (and the maker notes we do not need);
from it come the camera's lens and software, the exposure, the date taken with its
sub-seconds and offset, and GPS. Caption, by-line and copyright texts are read from the
raw directory bytes instead (:mod:`viewer.metadata.tiff`), where their encoding can be
judged.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from fractions import Fraction
from typing import TYPE_CHECKING, Any, BinaryIO

from viewer.metadata.text import decode_legacy

if TYPE_CHECKING:
    from viewer.metadata.xmp import XmpValues

_SAMPLE_DATE = dt.datetime(2000, 1, 1)  # how long each date pattern's text is


def read_exif(stream: BinaryIO) -> dict[str, Any]:
    """What exifread finds in an open file: camera, exposure, date taken and GPS."""
    import exifread  # noqa: PLC0415 - a slow import, only paid when metadata is read

    # exifread logs what it skips ("PNG file does not have exif data") as warnings; we
    # report problems ourselves, so its records stop at a handler that drops them.
    exif_log = logging.getLogger("exifread")
    if not exif_log.handlers:
        exif_log.addHandler(logging.NullHandler())
        exif_log.propagate = False

    stream.seek(0)
    tags = exifread.process_file(stream, details=False, extract_thumbnail=False)
    if not tags:
        return {}

    def text(name: str) -> str:
        tag = tags.get(name)
        if tag is None:
            return ""
        if isinstance(tag.values, bytes):  # text with bytes that are not ASCII
            return clean(decode_legacy(tag.values)[0])
        return clean(str(tag.printable))

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
        "iso": text("EXIF ISOSpeedRatings"),
    }
    taken = parse_date(text("EXIF DateTimeOriginal"))
    if taken is not None:
        taken = _with_subseconds_and_offset(
            taken, text("EXIF SubSecTimeOriginal"), text("EXIF OffsetTimeOriginal")
        )
    result["date_taken"] = taken
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
    result["gps"] = _exif_gps(tags)
    return result


def _exif_gps(tags: dict[str, Any]) -> tuple[float, float] | None:
    lat = _degrees(tags.get("GPS GPSLatitude"))
    lon = _degrees(tags.get("GPS GPSLongitude"))
    if lat is None or lon is None:
        return None
    if str(getattr(tags.get("GPS GPSLatitudeRef"), "printable", "N")).strip().upper() == "S":
        lat = -lat
    if str(getattr(tags.get("GPS GPSLongitudeRef"), "printable", "E")).strip().upper() == "W":
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return (round(lat, 7), round(lon, 7))


def _degrees(tag: Any) -> float | None:
    """Degrees, minutes, seconds as rationals, or (written by some tools) as a string."""
    if tag is None:
        return None
    values = tag.values
    if isinstance(values, str):  # e.g. "52,00000,50,00000,34,01180": first three numbers
        values = [float(v) for v in re.findall(r"\d+(?:\.\d+)?", values)[:3]]
    try:
        parts = [float(Fraction(v)) for v in list(values)[:3]]
    except (ZeroDivisionError, ValueError, TypeError):
        return None  # "0/0" stands for "no position" in some cameras' empty GPS blocks
    if not parts:
        return None
    parts += [0.0] * (3 - len(parts))
    return parts[0] + parts[1] / 60 + parts[2] / 3600


def xmp_gps(xmp: XmpValues) -> tuple[float, float] | None:
    """XMP writes GPS as ``51,30.5N``: degrees, decimal minutes, hemisphere."""
    coords = []
    for name in ("exif:GPSLatitude", "exif:GPSLongitude"):
        values = xmp.get(name)
        match = (
            re.fullmatch(r"(\d+),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?([NSEW])", values[0])
            if values
            else None
        )
        if match is None:
            return None
        value = float(match[1]) + float(match[2]) / 60 + float(match[3] or 0) / 3600
        coords.append(-value if match[4] in "SW" else value)
    return (round(coords[0], 7), round(coords[1], 7))


def clean(value: str) -> str:
    """Text without NULs and surrounding blanks."""
    return value.replace("\x00", "").strip()


def parse_date(raw: str) -> dt.datetime | None:
    """A date in any of the forms EXIF, XMP and IPTC write (seconds and zone dropped)."""
    raw = raw.strip()
    if not raw or raw.startswith("0000"):
        return None
    for pattern in (
        "%Y:%m:%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y:%m:%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d",
        "%Y:%m:%d",
    ):
        try:
            length = len(_SAMPLE_DATE.strftime(pattern))
            return dt.datetime.strptime(raw[:length], pattern)
        except ValueError:
            continue
    return None


def _with_subseconds_and_offset(taken: dt.datetime, subsec: str, offset: str) -> dt.datetime:
    digits = "".join(ch for ch in subsec if ch in "0123456789")[:6]
    if digits:
        taken = taken.replace(microsecond=int(digits.ljust(6, "0")))
    match = re.fullmatch(r"([+-])(\d\d):(\d\d)", offset.strip())
    if match:
        delta = dt.timedelta(hours=int(match[2]), minutes=int(match[3]))
        taken = taken.replace(tzinfo=dt.timezone(delta if match[1] == "+" else -delta))
    return taken


def iptc_date(date: str, time: str) -> dt.datetime | None:
    """IPTC DateCreated with TimeCreated; a date alone says nothing about when in the day."""
    try:
        return dt.datetime.strptime(date[:8] + time[:6], "%Y%m%d%H%M%S") if date and time else None
    except ValueError:
        return None


def utf16_text(raw: bytes) -> str:
    """Windows XP* tags: UTF-16LE bytes, NUL-terminated."""
    return raw.decode("utf-16-le", errors="replace").split("\x00")[0].strip()


def user_comment(raw: object) -> str:
    """EXIF UserComment: an 8-byte character-code prefix, then the text."""
    if not isinstance(raw, bytes) or len(raw) < 8:
        return raw.strip() if isinstance(raw, str) else ""
    prefix, body = raw[:8], raw[8:]
    if prefix.startswith(b"UNICODE"):
        encoding = "utf-16-be" if body[:1] == b"\x00" else "utf-16-le"
        text = body.decode(encoding, errors="replace")
    elif prefix.startswith(b"ASCII") or prefix == b"\x00" * 8:
        text = body.decode("utf-8", errors="replace")
    elif prefix.startswith(b"JIS"):
        text = body.decode("shift_jis", errors="replace")
    else:
        text = raw.decode("utf-8", errors="replace")
    return text.replace("\x00", "").strip()
