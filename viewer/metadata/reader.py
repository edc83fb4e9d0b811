"""What a photo file says about itself: caption, credit, camera, place and time.

The flow for one file, opened once through :func:`viewer.fileaccess.open_regular`:

1. its structure is walked for metadata blocks (:mod:`viewer.metadata.blocks`: EXIF
   directories, XMP packets, IPTC blocks and the IPTC digest, trailers);
2. exifread reads camera, exposure, date taken and GPS;
3. Pillow reads the image's size and orientation without decoding pixels (and, for
   formats walked by no reader of ours, such as HEIF and GIF, hands over its EXIF and
   XMP);
4. each IPTC block, the XMP packets and the sidecar (:mod:`viewer.metadata.sidecar`) are
   decoded, each on its own: a broken IPTC dataset costs the IPTC, never the XMP;
5. every caption field is reconciled as the Metadata Working Group (and ExifTool's MWG
   module) reads it, with its source and flags (:mod:`viewer.metadata.fields`);
6. only when the walk finds Content Credentials, they are verified, offline
   (:mod:`viewer.metadata.provenance`): a photo without them costs nothing more.

Every step is guarded: a broken segment costs the fields it holds and is listed in
``problems``, never the photo.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from viewer.fileaccess import open_regular
from viewer.formats import header_exif, register_formats_for_stream
from viewer.metadata import exif as exif_reader
from viewer.metadata import iptc, tiff
from viewer.metadata.blocks import Blocks, IptcBlock, find_blocks
from viewer.metadata.fields import LIST_JOINER, SPECS, Found, reconcile
from viewer.metadata.flags import Flag, synthetic_flag
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.provenance import Provenance, has_credentials, verify_stream
from viewer.metadata.sidecar import find_sidecar, read_sidecar
from viewer.metadata.text import UTF8, decode_legacy
from viewer.metadata.trust import trust_anchor_files
from viewer.metadata.xmp import XmpValues, parse_xmp

_SWAPS_AXES = {5, 6, 7, 8}
R = TypeVar("R")


@dataclass
class _Reading:
    """Everything read from one file, before reconciliation."""

    blocks: Blocks = field(default_factory=Blocks)
    exif: dict[str, Any] = field(default_factory=dict)
    container: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def guarded(self, what: str, reader: Callable[[], R]) -> R | None:
        try:
            return reader()
        except Exception as exc:  # real files make parsers raise many types
            self.problems.append(f"{what} could not be read: {describe(exc)}")
            return None


def read_metadata(path: Path, *, trust_anchors: Sequence[Path] | None = None) -> PhotoMetadata:
    """Read EXIF, IPTC, XMP and the XMP sidecar of ``path``; never raises for a broken file.

    Content Credentials are verified when the file has them, against ``trust_anchors``
    (PEM files; by default the user's, see :func:`trust_anchor_files`). Problems (an
    unreadable file, a broken segment) are listed in ``problems``.
    """
    reading = _Reading()
    try:
        stream = open_regular(path)
    except OSError as exc:
        return PhotoMetadata(problems=(f"the file could not be read: {describe(exc)}",))
    with stream:
        blocks = reading.guarded("the file's structure", lambda: find_blocks(stream))
        if blocks is not None:
            reading.blocks = blocks
            reading.problems += blocks.problems
        reading.exif = reading.guarded("EXIF", lambda: exif_reader.read_exif(stream)) or {}
        header = reading.problems[:]
        reading.guarded("the image header", lambda: _read_container(stream, reading))
        if "width" not in reading.container and reading.blocks.size is not None:
            # Pillow gave up (a PNG text chunk over its limit) but the walk read the size.
            reading.problems = header
            _size_from_blocks(reading)
        provenance = reading.guarded(
            "Content Credentials", lambda: _read_credentials(stream, trust_anchors)
        )
    found = Found()
    _decode_blocks(reading, found)
    reading.guarded("the XMP sidecar", lambda: _read_sidecar(path, found))
    metadata = _reconcile(reading, found)
    if provenance is None:
        return metadata
    return replace(metadata, provenance=provenance.with_source_type(metadata.digital_source_type))


def _read_credentials(stream: BinaryIO, trust_anchors: Sequence[Path] | None) -> Provenance | None:
    """The file's Content Credentials verified, or None without loading anything when none."""
    if not has_credentials(stream):
        return None
    anchors = trust_anchor_files() if trust_anchors is None else trust_anchors
    provenance = verify_stream(stream, trust_anchors=anchors)
    return None if provenance.state == "none" else provenance


def _read_container(stream: BinaryIO, reading: _Reading) -> None:
    """Read size and orientation through Pillow, with no pixels decoded.

    EXIF and XMP are read here too, for the formats :func:`find_blocks` does not walk.
    """
    from PIL import Image  # noqa: PLC0415 - keep start-up light

    stream.seek(0)
    register_formats_for_stream(stream)
    with Image.open(stream) as image:
        width, height = image.size
        orientation = 1
        try:
            exif = header_exif(image)
            value = exif.get(0x0112, 1)
            orientation = value if isinstance(value, int) and 1 <= value <= 8 else 1
            taken = exif.get_ifd(0x8769).get(0x9003)  # DateTimeOriginal
            if isinstance(taken, str):
                reading.container["date_taken"] = exif_reader.parse_date(taken)
        except Exception as exc:  # a broken EXIF block costs these fields only
            reading.problems.append(f"EXIF orientation could not be read: {describe(exc)}")
        if orientation in _SWAPS_AXES:
            width, height = height, width
        reading.container.update(width=width, height=height, orientation=orientation)
        blocks = reading.blocks
        if not blocks.kind:
            raw_exif = image.info.get("exif")
            if isinstance(raw_exif, bytes):
                blocks.add_exif(raw_exif)
            packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
            if isinstance(packet, str):
                packet = packet.encode("utf-8")
            if isinstance(packet, bytes):
                blocks.add_xmp(packet)


def _size_from_blocks(reading: _Reading) -> None:
    assert reading.blocks.size is not None
    width, height = reading.blocks.size
    orientation = _exif_orientation(reading.blocks)
    if orientation in _SWAPS_AXES:
        width, height = height, width
    reading.container.update(width=width, height=height, orientation=orientation)


def _decode_blocks(reading: _Reading, found: Found) -> None:
    """EXIF texts, IPTC blocks and XMP packets, each decoded on its own."""
    blocks = reading.blocks
    for name, tag in (("description", tiff.IMAGE_DESCRIPTION), ("artist", tiff.ARTIST)):
        raw = tiff.string_bytes(blocks.ifd0.get(tag))
        _set_exif_text(found, name, raw)
    _set_exif_text(found, "copyright", tiff.copyright_bytes(blocks.ifd0.get(tiff.COPYRIGHT)))
    for block in blocks.iptc:
        record = reading.guarded(block.where, functools.partial(_read_iptc, block))
        if record is None:
            continue
        if record.problem:
            reading.problems.append(f"{block.where}: {record.problem}")
        found.iptc.append(record)
    standard = next((b for b in blocks.iptc if b.standard), None)
    if standard is not None and blocks.iptc_digest is not None:
        current = hashlib.md5(standard.data, usedforsecurity=False).digest()
        found.digest = "match" if current == blocks.iptc_digest else "mismatch"
    for index, packet in enumerate([*blocks.xmp, *blocks.extended_xmp.values()]):
        what = "XMP" if index == 0 else "an additional XMP packet"
        values = reading.guarded(what, functools.partial(parse_xmp, packet))
        for key, items in (values or {}).items():
            found.xmp.setdefault(key, items)


def _read_iptc(block: IptcBlock) -> iptc.IptcRecord:
    return iptc.read_record(block.data, block.where, block.standard)


def _set_exif_text(found: Found, name: str, raw: bytes) -> None:
    if not raw:
        return
    text, encoding = decode_legacy(raw)
    found.exif[name] = text
    if encoding != UTF8:
        found.exif_encodings[name] = encoding


def _read_sidecar(path: Path, found: Found) -> None:
    sidecar = find_sidecar(path)
    if sidecar is not None:
        found.sidecar = read_sidecar(sidecar)
        found.sidecar_name = sidecar.name


def _reconcile(reading: _Reading, found: Found) -> PhotoMetadata:
    values: dict[str, Any] = {}
    sources: list[tuple[str, str]] = []
    flags: list[Flag] = []
    for spec in SPECS:
        result = reconcile(spec, found)
        if spec.many:
            values[spec.name if spec.name != "byline" else "bylines"] = tuple(result.values)
        else:
            values[spec.name] = LIST_JOINER.join(result.values)
        if result.source:
            sources.append((spec.name, result.source))
        flags += result.flags
    if not values["caption"]:
        values["caption"], source = _caption_fallback(reading.blocks)
        if source:
            sources.append(("caption", source))
    ai = synthetic_flag(values["digital_source_type"])
    if ai is not None:
        flags.append(ai)
    xmp = {**found.sidecar, **found.xmp}
    values.update(_camera_and_time(reading, found, xmp, sources))
    return PhotoMetadata(
        **values,
        orientation=reading.container.get("orientation", _exif_orientation(reading.blocks)),
        width=reading.container.get("width"),
        height=reading.container.get("height"),
        sources=tuple(sources),
        flags=tuple(flags),
        problems=tuple(reading.problems),
    )


def _caption_fallback(blocks: Blocks) -> tuple[str, str]:
    """Only when no caption field has one: Windows XPComment, XPTitle, EXIF UserComment."""
    for tag, source in ((tiff.XP_COMMENT, "Windows XPComment"), (tiff.XP_TITLE, "Windows XPTitle")):
        entry = blocks.ifd0.get(tag)
        text = exif_reader.utf16_text(entry.data) if entry is not None else ""
        if text:
            return text, source
    comment = blocks.exif_ifd.get(tiff.USER_COMMENT)
    text = exif_reader.user_comment(comment.data) if comment is not None else ""
    return (text, "EXIF UserComment") if text else ("", "")


def _camera_and_time(
    reading: _Reading, found: Found, xmp: XmpValues, sources: list[tuple[str, str]]
) -> dict[str, Any]:
    exif, blocks = reading.exif, reading.blocks

    def ifd_text(tag: int) -> str:
        for directory in (blocks.ifd0, blocks.exif_ifd):
            text = exif_reader.clean(decode_legacy(tiff.string_bytes(directory.get(tag)))[0])
            if text:
                return text
        return ""

    def first(values: list[str]) -> str:
        return values[0] if values else ""

    standard = found.standard_iptc
    iptc_date = exif_reader.iptc_date(
        first(standard.text(iptc.DATE_CREATED)) if standard else "",
        first(standard.text(iptc.TIME_CREATED)) if standard else "",
    )
    candidates = (
        ("EXIF", exif.get("date_taken")),
        ("EXIF", reading.container.get("date_taken")),
        ("XMP", exif_reader.parse_date(first(xmp.get("photoshop:DateCreated", [])))),
        ("XMP", exif_reader.parse_date(first(xmp.get("exif:DateTimeOriginal", [])))),
        ("IPTC", iptc_date),
    )
    taken_source, taken = next(((s, d) for s, d in candidates if d is not None), ("", None))
    if taken_source:
        sources.append(("date_taken", taken_source))
    gps = exif.get("gps") or exif_reader.xmp_gps(xmp)
    if gps:
        sources.append(("gps", "EXIF" if exif.get("gps") else "XMP"))
    return {
        "make": ifd_text(tiff.MAKE) or exif.get("make", "") or first(xmp.get("tiff:Make", [])),
        "model": ifd_text(tiff.MODEL) or exif.get("model", "") or first(xmp.get("tiff:Model", [])),
        "software": ifd_text(tiff.SOFTWARE) or exif.get("software", ""),
        "lens": exif.get("lens", ""),
        "exposure_time": exif.get("exposure_time", ""),
        "f_number": exif.get("f_number", ""),
        "iso": exif.get("iso", ""),
        "focal_length": exif.get("focal_length", ""),
        "date_taken": taken,
        "gps": gps,
    }


def _exif_orientation(blocks: Blocks) -> int:
    entry = blocks.ifd0.get(tiff.ORIENTATION)
    value = entry.number() if entry is not None else None
    return value if value is not None and 1 <= value <= 8 else 1


def describe(exc: BaseException) -> str:
    """An exception as words: its type and message.

    Pillow's "cannot identify image file" is put as what it means: the bytes are no
    image format Pillow knows.
    """
    if type(exc).__name__ == "UnidentifiedImageError":
        return "this is not an image format Photo Desk can read"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
