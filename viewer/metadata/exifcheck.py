"""Whether a rewritten EXIF block still says everything the original said.

exiv2 rebuilds a JPEG's EXIF block when a tag in it changes size, and always in PNG
and WebP (little-endian, whatever the original's byte order). Moving things is safe
for the standard directories, whose offsets exiv2 rewrites, but not for every camera's
maker note: many point at their own values by offsets from the start of the block, and
only a writer that knows the maker note's format can move it. So, in order:

1. the same bytes: nothing to check;
2. exiv2's reading of the new block equals its reading of the old one, tag by tag,
   except the edited tags and the pointers between directories (data a tag points at,
   such as the thumbnail, is compared by its bytes);
3. the maker note: one that stays where it was keeps its bytes and declared size; one
   exiv2 does not understand may not move; one it understands may move, its tags
   being compared in step 2; and in a JPEG whose EXIF was not edited, a block holding
   a maker note must come out byte for byte (exiv2 re-declares the size of maker notes
   it parsed, which breaks some for other readers);
4. an independent second reader, exifread (with the maker notes it knows: Canon,
   Nikon, Olympus, Fujifilm, Casio, Apple...), reads the same before and after,
   except the edited tags and the offsets exiv2 updates.

Raises :class:`viewer.metadata.verify.VerificationError` through the caller.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from viewer.metadata import containers, exivedit

# exifread's names for the tags the writer edits.
EDITED_NAMES = {
    "Exif.Image.ImageDescription": "Image ImageDescription",
    "Exif.Image.Artist": "Image Artist",
    "Exif.Image.Copyright": "Image Copyright",
}
# exifread's names for offsets between directories, which a rebuild changes.
POINTER_NAMES = frozenset(
    {
        "Image ExifOffset",
        "Image GPSInfo",
        "EXIF InteroperabilityOffset",
        "Thumbnail JPEGInterchangeFormat",
        "Thumbnail StripOffsets",
        "Image StripOffsets",
        "Image JPEGInterchangeFormat",
        "EXIF MakerNote",
    }
)


class ExifDifferenceError(ValueError):
    """What differs between two EXIF blocks, in words."""


def compare(
    old: bytes,
    new: bytes,
    before: Mapping[str, tuple[str, int, bytes]],
    parsed: bool,
    edited: Iterable[str],
) -> None:
    """Compare the EXIF of two files (see the module's description).

    ``before`` is exiv2's snapshot of the old file, ``parsed`` whether exiv2 understood
    its maker note, ``edited`` the exiv2 keys written.

    Raises:
        ExifDifferenceError: anything but the edited tags differs.
    """
    old_block, new_block = containers.exif_block(old), containers.exif_block(new)
    if old_block == new_block:
        return
    edited = set(edited)
    after = exivedit.exif_snapshot(exivedit.open_image(new).exifData())
    _compare_exiv2(before, after, parsed, edited)
    _check_maker_note(old_block or b"", new_block or b"", parsed)
    _compare_exifread(old_block or b"", new_block or b"", edited)
    has_note = containers.maker_note_span(old_block or b"") is not None
    if not edited and has_note and containers.kind_of(old) == "JPEG":
        # exiv2 re-declares the size of maker notes it parsed, which breaks some of them
        # for other readers (ExifTool then loses a Canon PowerShot's notes): a block
        # with a maker note and no edit must come out as it went in.
        raise ExifDifferenceError(
            "exiv2 would rewrite the entry of the camera's maker notes although no EXIF "
            "field was edited"
        )


def _check_maker_note(old: bytes, new: bytes, parsed: bool) -> None:
    """A maker note stays as it was, or moves only when exiv2 knows its format."""
    was, now = containers.maker_note_span(old), containers.maker_note_span(new)
    if was is None:
        return
    if now is not None and was[0] == now[0]:
        if was[1] != now[1] or old[was[0] : was[0] + was[1]] != new[now[0] : now[0] + now[1]]:
            raise ExifDifferenceError("exiv2 would change the camera's maker notes")
    elif not parsed:
        raise ExifDifferenceError(
            "the camera's maker notes would move, and exiv2 does not know their format, "
            "so offsets inside them could break"
        )


def _compare_exiv2(
    before: Mapping[str, tuple[str, int, bytes]],
    after: Mapping[str, tuple[str, int, bytes]],
    parsed: bool,
    edited: set[str],
) -> None:
    skip = edited | {exivedit.MAKER_NOTE_OFFSET}
    for key in sorted((set(before) | set(after)) - skip):
        was, now = before.get(key), after.get(key)
        if key == exivedit.MAKER_NOTE and was and now and (parsed or now[2].startswith(was[2])):
            continue  # understood: compared tag by tag; else the same bytes must start it
        if was != now:
            raise ExifDifferenceError(f"EXIF {key.removeprefix('Exif.')} would change")


def exifread_tags(block: bytes) -> dict[str, str]:
    """What exifread reads in an EXIF block (maker notes included), as text."""
    import exifread  # noqa: PLC0415 - loaded with the first save

    log = logging.getLogger("exifread")
    if not log.handlers:
        log.addHandler(logging.NullHandler())
        log.propagate = False
    if not block:
        return {}
    try:
        tags: dict[str, Any] = exifread.process_file(io.BytesIO(block), details=True, debug=False)
    except Exception:  # a reader's failure is compared like any reading
        return {"(exifread)": "could not read it"}
    return {
        name: (value.hex() if isinstance(value, bytes) else str(value))
        for name, value in tags.items()
    }


def _compare_exifread(old: bytes, new: bytes, edited: set[str]) -> None:
    was, now = exifread_tags(old), exifread_tags(new)
    skip = POINTER_NAMES | {EDITED_NAMES[key] for key in edited if key in EDITED_NAMES}
    for name in sorted((set(was) | set(now)) - skip):
        first, second = was.get(name), now.get(name)
        if first == second:
            continue
        if name.startswith("MakerNote") and _is_offset(first) and _is_offset(second):
            continue
        raise ExifDifferenceError(f"EXIF {name} would read differently (checked with exifread)")


def _is_offset(value: str | None) -> bool:
    """A single whole number: possibly an offset a maker note keeps, updated when moved."""
    return value is not None and value.isdigit()
