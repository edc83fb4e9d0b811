"""The caption fields written into a photo's metadata through exiv2, and snapshots to check it.

exiv2 (libexiv2 through its Python bindings) parses a file's EXIF, IPTC and XMP and
writes them back; this module tells it what to change:

* XMP (:func:`apply_xmp`): each field's property; a language alternative keeps its
  other languages (one that repeated the old default text follows the new one, as
  Adobe's XMP Toolkit does); a place also updates the one Location Shown entry that
  holds it, since the reader prefers Location Shown (several places: refused);
* EXIF (:func:`apply_exif`): ImageDescription, Artist (the MWG list string) and
  Copyright, only where the file already has the tag; an empty value removes it;
* IPTC (:func:`load_iptc`): the block is handed over as a list of datasets with their
  bytes (see :mod:`viewer.metadata.iimedit`), never as exiv2's own re-parse.

:func:`exif_snapshot` and :func:`xmp_snapshot` record what exiv2 reads, so that the
verifier can compare a file before and after. exiv2's own log is silenced: its
messages are about files, and the writer reports on files in its own words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import exiv2

from viewer.metadata.fieldmap import (
    LANG_ALT,
    LOCATION_SHOWN,
    PLACE_BY_NAME,
    SEQ,
    TEXT,
    FieldValue,
    Place,
    mwg_list,
)
from viewer.metadata.iimedit import Dataset

exiv2.LogMsg.setLevel(exiv2.LogMsg.Level.mute)
exiv2.XmpParser.initialize()

DEFAULT = "x-default"
# Keys whose value is where something else is, not what it is: compared by what they
# point to (data areas, the maker note) or not at all (directory pointers).
POINTERS = frozenset(
    {
        "Exif.Image.ExifTag",
        "Exif.Image.GPSTag",
        "Exif.Photo.InteroperabilityTag",
        "Exif.MakerNote.Offset",
    }
)
MAKER_NOTE = "Exif.Photo.MakerNote"
MAKER_NOTE_OFFSET = "Exif.MakerNote.Offset"

ExifSnapshot = dict[str, tuple[str, int, bytes]]
XmpSnapshot = dict[str, tuple[int, str]]


class EditRefusedError(ValueError):
    """A change exiv2 cannot make without losing something; the message says what."""


def open_image(data: bytes) -> Any:
    """An exiv2 image over ``data`` (kept in memory), its metadata read.

    Raises:
        exiv2.Exiv2Error: exiv2 cannot read it.
    """
    image = exiv2.ImageFactory.open(data)
    image.readMetadata()
    return image


def new_sidecar() -> Any:
    """An empty exiv2 XMP sidecar, in memory."""
    return exiv2.ImageFactory.create(exiv2.ImageType.xmp)


def image_bytes(image: Any) -> bytes:
    """What exiv2 wrote: the bytes of ``image``'s memory buffer."""
    with image.io().mmap() as view:
        return bytes(view)


# --- XMP ----------------------------------------------------------------------------------


def apply_xmp(xmp: Any, changes: Mapping[str, FieldValue]) -> tuple[bool, list[str]]:
    """Write ``changes`` into exiv2's XmpData; whether anything changed, and warnings.

    Raises:
        EditRefusedError: a place field when the file lists several places shown.
    """
    changed = False
    warnings: list[str] = []
    for name, value in changes.items():
        place = PLACE_BY_NAME[name]
        if place.shown:
            changed |= _set_location_shown(xmp, place, str(value))
        if place.kind == TEXT:
            changed |= _set_text(xmp, place.xmp, str(value))
        elif place.kind == LANG_ALT:
            changed |= _set_lang_alt(xmp, place, str(value), warnings)
        else:
            items = value if isinstance(value, tuple) else (value,)
            changed |= _set_array(xmp, place, tuple(i for i in items if i))
    return changed, warnings


def _find(data: Any, key: Any) -> Any | None:
    found = data.findKey(key)
    return None if found == data.end() else found


def _erase(data: Any, key: Any) -> bool:
    found = _find(data, key)
    if found is None:
        return False
    data.erase(found)
    return True


def _set_text(xmp: Any, key: str, value: str) -> bool:
    found = _find(xmp, exiv2.XmpKey(key))
    if not value:
        return _erase(xmp, exiv2.XmpKey(key))
    if found is not None and found.typeId() == exiv2.TypeId.xmpText and found.toString() == value:
        return False
    _erase(xmp, exiv2.XmpKey(key))
    xmp[key] = exiv2.XmpTextValue(value)
    return True


def lang_alt(xmp: Any, key: str) -> dict[str, str]:
    """A language alternative's entries (``{}`` when absent or not an Alt)."""
    found = _find(xmp, exiv2.XmpKey(key))
    if found is None or found.typeId() != exiv2.TypeId.langAlt:
        return {}
    return {str(lang): str(text) for lang, text in dict(found.value()).items()}


def _set_lang_alt(xmp: Any, place: Place, value: str, warnings: list[str]) -> bool:
    current = lang_alt(xmp, place.xmp)
    if not value:
        others = sorted(lang for lang in current if lang != DEFAULT)
        if others:
            warnings.append(
                f"{place.label}: its other languages ({', '.join(others)}) were removed too, "
                "so that no language of it is left to show"
            )
        return _erase(xmp, exiv2.XmpKey(place.xmp))
    old = current.get(DEFAULT)
    entries = {DEFAULT: value}
    for lang, text in current.items():
        if lang != DEFAULT:
            entries[lang] = value if old is not None and text == old else text
    if entries == current and list(entries) == list(current):
        return False
    _erase(xmp, exiv2.XmpKey(place.xmp))
    xmp[place.xmp] = exiv2.LangAltValue(entries)
    return True


def array_items(xmp: Any, key: str) -> tuple[list[str], int | None]:
    """The items of an XMP array property, and its exiv2 type (None when absent)."""
    found = _find(xmp, exiv2.XmpKey(key))
    if found is None:
        return [], None
    value = found.value()
    if found.typeId() in (exiv2.TypeId.xmpBag, exiv2.TypeId.xmpSeq, exiv2.TypeId.xmpAlt):
        return [str(value.toString(i)) for i in range(value.count())], int(found.typeId())
    return [str(found.toString())], int(found.typeId())


def _set_array(xmp: Any, place: Place, items: tuple[str, ...]) -> bool:
    current, kind = array_items(xmp, place.xmp)
    wanted_kind = exiv2.TypeId.xmpSeq if place.kind == SEQ else exiv2.TypeId.xmpBag
    if not items:
        return _erase(xmp, exiv2.XmpKey(place.xmp))
    if current == list(items) and kind == int(wanted_kind):
        return False
    _erase(xmp, exiv2.XmpKey(place.xmp))
    xmp[place.xmp] = exiv2.XmpArrayValue(list(items), wanted_kind)
    return True


def shown_keys(xmp: Any, field: str) -> list[str]:
    """The exiv2 keys of Location Shown entries that hold ``field`` (``Iptc4xmpExt:City``)."""
    prefix = LOCATION_SHOWN + "["
    suffix = "]/" + field
    return [
        str(datum.key())
        for datum in xmp
        if str(datum.key()).startswith(prefix) and str(datum.key()).endswith(suffix)
    ]


def _set_location_shown(xmp: Any, place: Place, value: str) -> bool:
    keys = shown_keys(xmp, place.shown)
    if not keys:
        return False
    if len(keys) > 1:
        raise EditRefusedError(
            f"{place.label}: the photo lists {len(keys)} places shown (IPTC Location "
            "Shown), and one value cannot say which is meant; edit them in a tool that "
            "edits Location Shown"
        )
    (key,) = keys
    if not value:
        return _erase(xmp, exiv2.XmpKey(key))
    found = _find(xmp, exiv2.XmpKey(key))
    if found is not None and found.toString() == value:
        return False
    xmp[key] = exiv2.XmpTextValue(value)
    return True


# --- EXIF ---------------------------------------------------------------------------------


def apply_exif(exif: Any, changes: Mapping[str, FieldValue]) -> bool:
    """Write caption, by-line and copyright into the EXIF tags the file already has.

    Returns whether anything changed.
    """
    changed = False
    for name, value in changes.items():
        place = PLACE_BY_NAME[name]
        if not place.exif or _find(exif, exiv2.ExifKey(place.exif)) is None:
            continue
        text = mwg_list(value) if isinstance(value, tuple) else value
        if not text:
            changed |= _erase(exif, exiv2.ExifKey(place.exif))
            continue
        if exif_text(exif, place.exif) == text:
            continue
        exif[place.exif] = exiv2.AsciiValue(text)
        changed = True
    return changed


def exif_text(exif: Any, key: str) -> str | None:
    """An EXIF text tag as exiv2 gives it; None when absent or not text."""
    found = _find(exif, exiv2.ExifKey(key))
    if found is None:
        return None
    try:
        return str(found.toString())
    except UnicodeError:
        return None


def exif_snapshot(exif: Any) -> ExifSnapshot:
    """Every EXIF tag exiv2 reads: key -> (type, count, value or pointed-to bytes).

    A tag that points at data (a thumbnail, strips, a preview) is recorded by that data,
    not by its offset; a repeated key gets ``#2``, ``#3``... appended.
    """
    snapshot: ExifSnapshot = {}
    for datum in exif:
        key = str(datum.key())
        while key in snapshot:
            key += "#"
        if datum.sizeDataArea():
            value = bytes(datum.dataArea().data())
        elif key in POINTERS:
            value = b""
        else:
            value = datum.toString().encode("utf-8", errors="surrogateescape")
        snapshot[key] = (str(datum.typeName()), int(datum.count()), value)
    return snapshot


def maker_note_parsed(exif: Any) -> bool:
    """Whether exiv2 understood the maker note (it lists its tags in a maker group)."""
    return any(exiv2.ExifTags.isMakerGroup(str(datum.groupName())) for datum in exif)


def thumbnail(exif: Any) -> bytes:
    """The EXIF thumbnail's bytes (b"" when there is none)."""
    buffer = exiv2.ExifThumb(exif).copy()
    return bytes(buffer.data()) if buffer.size() else b""


# --- IPTC and XMP snapshots -----------------------------------------------------------------


def load_iptc(iptc: Any, datasets: list[Dataset]) -> None:
    """Replace exiv2's IptcData by ``datasets``, byte for byte.

    Raises:
        EditRefusedError: the block repeats a dataset IIM says may appear once, which
            exiv2 cannot keep.
    """
    iptc.clear()
    for (record, number), raw in datasets:
        if iptc.add(exiv2.IptcKey(number, record), exiv2.DataValue(raw)) != 0:
            raise EditRefusedError(
                f"its IPTC repeats dataset {record}:{number:02d}, which may appear only "
                "once; exiv2 cannot keep both copies"
            )


def xmp_snapshot(xmp: Any) -> XmpSnapshot:
    """Every XMP property exiv2 reads: key -> (type, text)."""
    return {str(datum.key()): (int(datum.typeId()), str(datum.toString())) for datum in xmp}


def xmp_packet(image: Any) -> str:
    """The XMP packet exiv2 read from the file ("" when it found none)."""
    return str(image.xmpPacket())
