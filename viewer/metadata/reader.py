"""What a photo file says about itself: caption, credit, camera, place and time.

The flow for one file: exifread walks the EXIF block (camera, exposure, dates, GPS,
ImageDescription/Artist/Copyright, the Windows XP tags); Pillow opens the file lazily
(no pixels decoded) for its size, orientation, UserComment, IPTC block (with its stored
digest) and XMP packet, which defusedxml parses. Each parser call is guarded: a broken
segment costs the fields it holds and is listed in ``problems``, never the photo.

When sources disagree, the Metadata Working Group's reconciliation is applied, as
ExifTool's MWG module also reads it:

* caption (ImageDescription / Caption-Abstract / dc:description), by-line (Artist /
  By-line / dc:creator), copyright (Copyright / CopyrightNotice / dc:rights): a
  non-blank EXIF value wins; otherwise XMP, unless the file has IPTC and the digest
  stored with it says the IPTC was edited after the XMP was written, then IPTC. An IPTC
  value cut at its length limit that is the start of the XMP value counts as the XMP.
* keywords, credit, headline, city, country (no EXIF equivalent): XMP, with the same
  IPTC digest rule.
* date taken: EXIF DateTimeOriginal (with sub-seconds and offset), then XMP
  photoshop:DateCreated, then IPTC date and time created.
* Only when the MWG sources give no caption: Windows XPComment, XPTitle, then EXIF
  UserComment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from viewer.formats import register_formats_for
from viewer.metadata import iptc
from viewer.metadata.xmp import XmpValues, parse_xmp

T = TypeVar("T", str, tuple[str, ...])
_SWAPS_AXES = {5, 6, 7, 8}
_SAMPLE_DATE = dt.datetime(2000, 1, 1)  # how long each date pattern's text is
_IPTC_DIGEST_RESOURCE = 0x0425
_IPTC_RESOURCE = 0x0404
# IIM length limits the MWG truncation rule needs.
_LIMITS = {"caption": 2000, "byline": 32, "copyright": 128, "keywords": 64}


@dataclass(frozen=True)
class PhotoMetadata:
    """Metadata of one file; empty strings and None mean "not recorded"."""

    caption: str = ""
    credit: str = ""
    byline: str = ""
    headline: str = ""
    copyright: str = ""
    keywords: tuple[str, ...] = ()
    city: str = ""
    country: str = ""
    gps: tuple[float, float] | None = None
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

    @property
    def credit_line(self) -> str:
        """What a caption's credit says: the credit, else the by-line, else the copyright."""
        return self.credit or self.byline or self.copyright

    def exposure_summary(self) -> str:
        """One line such as ``50 mm · f/2.8 · 1/250 s · ISO 400``, or ""."""
        parts = [self.focal_length, self.f_number, self.exposure_time]
        if self.iso:
            parts.append(f"ISO {self.iso}")
        return " · ".join(p for p in parts if p)


@dataclass
class _Sources:
    """Everything read from one file, before reconciliation."""

    exif: dict[str, Any] = field(default_factory=dict)
    iptc: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    iptc_in_sync: bool = True
    has_iptc: bool = False
    xmp: XmpValues = field(default_factory=dict)
    container: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def guarded(self, what: str, reader: Callable[[], None]) -> None:
        try:
            reader()
        except Exception as exc:  # real files make parsers raise many types
            self.problems.append(f"{what} could not be read: {_describe(exc)}")


def read_metadata(path: Path) -> PhotoMetadata:
    """Read EXIF, IPTC and XMP from ``path``; never raises for a broken file.

    Problems (an unreadable file, a broken segment) are listed in ``problems``.
    """
    sources = _Sources()
    sources.guarded("EXIF", lambda: sources.exif.update(_read_exif(path)))
    sources.guarded("the image header, IPTC and XMP", lambda: _read_container(path, sources))
    return _reconcile(sources)


# --- reconciliation -----------------------------------------------------------------------


def _mwg(sources: _Sources, exif: str, iptc_value: str, xmp_value: str, limit: int) -> str:
    """MWG reading of a field that EXIF, IPTC and XMP all carry."""
    if exif.strip():
        return exif.strip()
    return _xmp_or_iptc(sources, xmp_value, iptc_value, limit)


def _xmp_or_iptc(sources: _Sources, xmp_value: T, iptc_value: T, limit: int = 0) -> T:
    """XMP, unless the file has IPTC that was edited after the XMP (or has no XMP).

    Works for text and for lists (keywords): an empty value counts as absent.
    """
    if not sources.has_iptc or (xmp_value and sources.iptc_in_sync):
        return xmp_value
    if (
        limit
        and isinstance(iptc_value, str)
        and isinstance(xmp_value, str)
        and len(iptc_value) == limit
        and xmp_value.startswith(iptc_value)
    ):
        return xmp_value  # IIM cut the XMP's text at its length limit
    return iptc_value


def _one_text(values: list[str], joiner: str = "") -> str:
    """The first value, or all of them joined when ``joiner`` is given; "" for none."""
    if not values:
        return ""
    return joiner.join(values) if joiner else values[0]


def _reconcile(sources: _Sources) -> PhotoMetadata:
    # exifread walks more of EXIF; where it failed or skipped a tag, Pillow's reading stands in.
    exif = {
        **sources.container.get("exif_basics", {}),
        **{k: v for k, v in sources.exif.items() if v not in ("", None)},
    }
    xmp, found = sources.xmp, sources.iptc

    def x(name: str, joiner: str = "") -> str:
        return _one_text(xmp.get(name, []), joiner)

    def i(key: tuple[int, int], joiner: str = "") -> str:
        return _one_text(found.get(key, []), joiner)

    caption = _mwg(
        sources,
        exif.get("description", ""),
        i(iptc.CAPTION),
        x("dc:description"),
        _LIMITS["caption"],
    )
    if not caption:
        caption = next(
            (
                v
                for v in (
                    exif.get("xp_comment", ""),
                    exif.get("xp_title", ""),
                    sources.container.get("user_comment", ""),
                )
                if v.strip()
            ),
            "",
        )
    keywords = _xmp_or_iptc(
        sources, tuple(xmp.get("dc:subject", [])), tuple(found.get(iptc.KEYWORDS, []))
    )
    return PhotoMetadata(
        caption=caption.strip(),
        credit=_xmp_or_iptc(sources, x("photoshop:Credit"), i(iptc.CREDIT)),
        byline=_mwg(
            sources,
            exif.get("artist", ""),
            i(iptc.BYLINE, "; "),
            x("dc:creator", "; "),
            _LIMITS["byline"],
        ),
        headline=_xmp_or_iptc(sources, x("photoshop:Headline"), i(iptc.HEADLINE)),
        copyright=_mwg(
            sources,
            exif.get("copyright", ""),
            i(iptc.COPYRIGHT),
            x("dc:rights"),
            _LIMITS["copyright"],
        ),
        keywords=keywords,
        city=_xmp_or_iptc(sources, x("photoshop:City"), i(iptc.CITY)),
        country=_xmp_or_iptc(
            sources, x("photoshop:Country") or x("Iptc4xmpCore:CountryName"), i(iptc.COUNTRY)
        ),
        gps=exif.get("gps") or _xmp_gps(xmp),
        make=exif.get("make", "") or x("tiff:Make"),
        model=exif.get("model", "") or x("tiff:Model"),
        lens=exif.get("lens", ""),
        exposure_time=exif.get("exposure_time", ""),
        f_number=exif.get("f_number", ""),
        iso=exif.get("iso", ""),
        focal_length=exif.get("focal_length", ""),
        software=exif.get("software", ""),
        date_taken=exif.get("date_taken")
        or _parse_date(x("photoshop:DateCreated"))
        or _parse_date(x("exif:DateTimeOriginal"))
        or _iptc_date(found),
        orientation=sources.container.get("orientation", 1),
        width=sources.container.get("width"),
        height=sources.container.get("height"),
        problems=tuple(sources.problems),
    )


# --- EXIF through exifread ----------------------------------------------------------------


def _read_exif(path: Path) -> dict[str, Any]:
    import exifread  # noqa: PLC0415 - a slow import, only paid when metadata is read

    # exifread logs what it skips ("PNG file does not have exif data") as warnings; we
    # report problems ourselves, so its records stop at a handler that drops them.
    exif_log = logging.getLogger("exifread")
    if not exif_log.handlers:
        exif_log.addHandler(logging.NullHandler())
        exif_log.propagate = False

    with path.open("rb") as stream:
        tags = exifread.process_file(stream, details=False, extract_thumbnail=False)
    if not tags:
        return {}

    def text(name: str) -> str:
        tag = tags.get(name)
        if tag is None:
            return ""
        if isinstance(tag.values, bytes):  # text with bytes that are not ASCII
            return _clean(_decode_bytes(tag.values))
        return _clean(str(tag.printable))

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
        "copyright": text("Image Copyright"),
        "iso": text("EXIF ISOSpeedRatings"),
        "xp_comment": _utf16(tags.get("Image XPComment")),
        "xp_title": _utf16(tags.get("Image XPTitle")),
    }
    taken = _parse_date(text("EXIF DateTimeOriginal"))
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


def _utf16(tag: Any) -> str:
    """Windows XP* tags: UTF-16LE bytes, NUL-terminated."""
    if tag is None:
        return ""
    values = tag.values
    raw = bytes(values) if isinstance(values, list) else str(values).encode("latin-1", "replace")
    return raw.decode("utf-16-le", errors="replace").split("\x00")[0].strip()


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
    parts = [float(Fraction(v)) for v in list(values)[:3]]
    if not parts:
        return None
    parts += [0.0] * (3 - len(parts))
    return parts[0] + parts[1] / 60 + parts[2] / 3600


def _xmp_gps(xmp: XmpValues) -> tuple[float, float] | None:
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


def _decode_bytes(raw: bytes) -> str:
    """EXIF text should be UTF-8 (MWG); older writers used an 8-bit code page."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _clean(value: str) -> str:
    return value.replace("\x00", "").strip()


def _parse_date(raw: str) -> dt.datetime | None:
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
    digits = "".join(ch for ch in subsec if ch.isdigit())[:6]
    if digits:
        taken = taken.replace(microsecond=int(digits.ljust(6, "0")))
    match = re.fullmatch(r"([+-])(\d\d):(\d\d)", offset.strip())
    if match:
        delta = dt.timedelta(hours=int(match[2]), minutes=int(match[3]))
        taken = taken.replace(tzinfo=dt.timezone(delta if match[1] == "+" else -delta))
    return taken


def _iptc_date(found: dict[tuple[int, int], list[str]]) -> dt.datetime | None:
    """IPTC DateCreated with TimeCreated; a date alone says nothing about when in the day."""
    date = (found.get((2, 55)) or [""])[0]
    time = (found.get((2, 60)) or [""])[0]
    try:
        return dt.datetime.strptime(date[:8] + time[:6], "%Y%m%d%H%M%S") if date and time else None
    except ValueError:
        return None


# --- the container through Pillow ---------------------------------------------------------


def _read_container(path: Path, sources: _Sources) -> None:
    from PIL import Image, IptcImagePlugin  # noqa: PLC0415 - keep start-up light

    register_formats_for(path)
    with Image.open(path) as image:
        width, height = image.size
        orientation = 1
        user_comment = ""
        try:
            exif = image.getexif()
            value = exif.get(0x0112, 1)
            orientation = value if isinstance(value, int) and 1 <= value <= 8 else 1
            user_comment = _user_comment(exif.get_ifd(0x8769).get(0x9286))
            sources.container["exif_basics"] = _pillow_exif_basics(exif)
        except Exception as exc:  # a broken EXIF block costs these fields only
            sources.problems.append(f"EXIF orientation could not be read: {_describe(exc)}")
        if orientation in _SWAPS_AXES:
            width, height = height, width
        sources.container.update(
            width=width, height=height, orientation=orientation, user_comment=user_comment
        )
        info = IptcImagePlugin.getiptcinfo(image)
        if info:
            sources.has_iptc = True
            sources.iptc = iptc.decode_iptc(info)
            resources = image.info.get("photoshop", {})
            stored = resources.get(_IPTC_DIGEST_RESOURCE) if isinstance(resources, dict) else None
            block = resources.get(_IPTC_RESOURCE) if isinstance(resources, dict) else None
            if isinstance(stored, bytes) and isinstance(block, bytes):
                current = hashlib.md5(block, usedforsecurity=False).digest()
                sources.iptc_in_sync = stored[:16] == current
        packet = _xmp_packet(image)
    if packet:
        sources.guarded("XMP", lambda: sources.xmp.update(parse_xmp(packet)))


def _pillow_exif_basics(exif: Any) -> dict[str, Any]:
    """Camera, text and date fields through Pillow, for files exifread cannot walk."""

    def text(value: object) -> str:
        return _clean(value) if isinstance(value, str) else ""

    taken = exif.get_ifd(0x8769).get(0x9003)  # DateTimeOriginal; DateTime is a file time
    return {
        "make": text(exif.get(0x010F)),
        "model": text(exif.get(0x0110)),
        "software": text(exif.get(0x0131)),
        "description": text(exif.get(0x010E)),
        "artist": text(exif.get(0x013B)),
        "copyright": text(exif.get(0x8298)),
        "date_taken": _parse_date(taken) if isinstance(taken, str) else None,
    }


def _xmp_packet(image: Any) -> bytes | None:
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = image.info.get(key)
        if isinstance(value, str):
            return value.encode("utf-8")
        if isinstance(value, bytes):
            return value
    tag = getattr(image, "tag_v2", {}).get(700) if hasattr(image, "tag_v2") else None
    if isinstance(tag, (bytes, bytearray)):
        return bytes(tag)
    # Some writers mangle the APP1 namespace header ("XMP\0://ns.adobe.com/xap/1.0/");
    # Pillow then skips the packet, but the namespace and its NUL are still there.
    for marker, data in getattr(image, "applist", []):
        head = data[:48]
        if marker == "APP1" and b"ns.adobe.com/xap/1.0/\x00" in head:
            return bytes(data[head.index(b"/1.0/\x00") + 6 :])
    return None


def _user_comment(raw: object) -> str:
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


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
