"""Check a rewritten photo against the original: only the intended fields may differ.

The writer calls :func:`check_rewrite` on the bytes exiv2 produced, before anything
reaches the disk, and :func:`check_reading` on the temporary file before it replaces
the photo. In order:

1. the picture: every segment or chunk that is not metadata, the compressed image data
   and all that follows it are byte for byte the same (:mod:`viewer.metadata.containers`);
   a multi-picture file's other pictures are still where its index says;
2. IPTC: the edited block holds exactly the datasets planned
   (:mod:`viewer.metadata.iimedit`), every other IPTC block is untouched, and the
   Photoshop digest says what it should (refreshed when it was current, else as it was);
3. XMP: every property in every namespace reads the same except the edited ones
   (:mod:`viewer.metadata.xmpflat`), and the edited ones hold the new values;
4. EXIF: the block is the same bytes, or every tag exiv2 reads is the same except the
   edited ones; a maker note that moved must be one exiv2 understands and re-reads the same;
5. reading the new file through Photo Desk's reader gives the new values for the edited
   fields and the same as before for everything else.

Any difference raises :class:`VerificationError` naming it; the photo is then left as
it was.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from viewer.metadata import containers, exifcheck, exivedit, iptc
from viewer.metadata.blocks import Blocks, find_blocks
from viewer.metadata.fieldmap import PLACE_BY_NAME, FieldValue, Place, mwg_list, shown
from viewer.metadata.flags import CHARSET
from viewer.metadata.iimedit import Dataset
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.xmp import parse_xmp
from viewer.metadata.xmpflat import ABOUT, Flat, flatten

# exiv2 key prefix -> (namespace URI, the reader's prefix)
NAMESPACES = {
    "dc": ("http://purl.org/dc/elements/1.1/", "dc"),
    "photoshop": ("http://ns.adobe.com/photoshop/1.0/", "photoshop"),
    "xmpRights": ("http://ns.adobe.com/xap/1.0/rights/", "xmpRights"),
    "iptc": ("http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/", "Iptc4xmpCore"),
    "iptcExt": ("http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "Iptc4xmpExt"),
}
_INSTANCE_ID = "{http://ns.adobe.com/xap/1.0/mm}InstanceID"  # as flattened


class VerificationError(ValueError):
    """A rewrite that changed more (or less) than it should; the message says what."""


@dataclass
class Plan:
    """What a rewrite is meant to change.

    Attributes:
        changes: the edited fields and their new values (normalised).
        iim: the datasets the edited IPTC block must hold afterwards, or None when the
            file's IPTC is not written.
        iim_where: which block that is (its ``where`` as :mod:`viewer.metadata.blocks`
            names it).
        exif: EXIF keys written, with the text expected (None: removed).
        exif_before: exiv2's EXIF snapshot of the original.
        maker_note_parsed: whether exiv2 understood the original's maker note.
        refresh_digest: the Photoshop IPTC digest must match the new IPTC.
    """

    changes: dict[str, FieldValue]
    iim: list[Dataset] | None = None
    iim_where: str = "IPTC"
    exif: dict[str, str | None] = field(default_factory=dict)
    exif_before: exivedit.ExifSnapshot = field(default_factory=dict)
    maker_note_parsed: bool = False
    refresh_digest: bool = False


def blocks_of(data: bytes) -> Blocks:
    """The metadata blocks of a file held in memory."""
    return find_blocks(io.BytesIO(data))


def check_rewrite(old: bytes, new: bytes, plan: Plan) -> None:
    """Compare a rewrite with its original (steps 1 to 4 of the module's description).

    Raises:
        VerificationError: anything but the planned changes differs.
    """
    _check_picture(old, new)
    before, after = blocks_of(old), blocks_of(new)
    if after.problems:
        raise VerificationError(f"the rewritten file cannot be read back: {after.problems[0]}")
    _check_iptc(before, after, plan)
    _check_xmp(before, after, plan.changes)
    _check_exif(old, new, plan)


def _check_picture(old: bytes, new: bytes) -> None:
    try:
        was, now = containers.picture_parts(old), containers.picture_parts(new)
    except containers.StructureError as exc:
        raise VerificationError(f"the rewritten file's structure is damaged ({exc})") from None
    if not was.same_tail(now):
        raise VerificationError("the compressed image data (or what follows it) would change")
    if was.kept != now.kept:
        labels = [label for label, _ in was.kept]
        changed = [label for label, _ in now.kept if label not in labels] or labels
        raise VerificationError(f"parts that are not metadata would change ({changed[0]})")
    if was.photoshop != now.photoshop:
        raise VerificationError("Photoshop image resources other than IPTC would change")
    if was.icc != now.icc:
        raise VerificationError("the ICC colour profile would change")
    if was.comments != now.comments:
        raise VerificationError("the JPEG comment would change")
    if was.canvas != now.canvas and not (not was.canvas and _canvas_fits(now.canvas, new)):
        raise VerificationError("the WebP's canvas or features would change")
    for one, other in zip(containers.mpf_images(old), containers.mpf_images(new), strict=False):
        if old[one.start : one.start + one.size] != new[other.start : other.start + other.size]:
            raise VerificationError("the multi-picture index would no longer find its pictures")
    if len(containers.mpf_images(old)) != len(containers.mpf_images(new)):
        raise VerificationError("the multi-picture index would change")


def _canvas_fits(canvas: bytes, data: bytes) -> bool:
    from PIL import Image  # noqa: PLC0415 - loaded by the reader already

    try:
        with Image.open(io.BytesIO(data)) as image:
            return containers.canvas_added(canvas, image.size)
    except (OSError, ValueError):
        return False


def _check_iptc(before: Blocks, after: Blocks, plan: Plan) -> None:
    def untouched(blocks: Blocks) -> list[tuple[str, bool, bytes]]:
        return [
            (b.where, b.standard, b.data)
            for b in blocks.iptc
            if plan.iim is None or b.where != plan.iim_where
        ]

    if untouched(before) != untouched(after):
        raise VerificationError("IPTC outside the block being edited would change")
    if plan.iim is not None:
        edited = [b for b in after.iptc if b.where == plan.iim_where]
        got, problem = iptc.datasets(edited[0].data) if len(edited) == 1 else ([], "missing")
        expected = sorted(plan.iim, key=lambda item: item[0][0])  # exiv2 orders by record
        if problem or got != expected:
            raise VerificationError("the IPTC block would not hold what was planned")
    standard = next((b for b in after.iptc if b.standard), None)
    if plan.refresh_digest:
        current = hashlib.md5(standard.data, usedforsecurity=False).digest() if standard else None
        if after.iptc_digest != current:
            raise VerificationError("the Photoshop IPTC digest would not match the new IPTC")
    elif after.iptc_digest != before.iptc_digest:
        raise VerificationError("the Photoshop IPTC digest would change")


def exiv2_key_to_reader(key: str) -> str:
    """``Xmp.iptc.CountryCode`` -> ``Iptc4xmpCore:CountryCode`` (the reader's names)."""
    _, prefix, name = key.split(".", 2)
    return f"{NAMESPACES[prefix][1]}:{name}"


def _edited_paths(changes: Mapping[str, FieldValue]) -> tuple[set[str], set[str]]:
    """The flattened paths (and Location Shown field suffixes) the changes may touch."""
    paths, shown_fields = set(), set()
    for name in changes:
        place = PLACE_BY_NAME[name]
        _, prefix, local = place.xmp.split(".", 2)
        paths.add("{" + NAMESPACES[prefix][0].rstrip("/") + "}" + local)
        if place.shown:
            local_field = place.shown.split(":", 1)[1]
            shown_fields.add("/{" + NAMESPACES["iptcExt"][0].rstrip("/") + "}" + local_field)
    return paths, shown_fields


def _without_edited(pairs: Flat, changes: Mapping[str, FieldValue]) -> Flat:
    paths, shown_fields = _edited_paths(changes)
    location = "{" + NAMESPACES["iptcExt"][0].rstrip("/") + "}LocationShown["
    kept: Flat = pairs.copy()
    for path, value in pairs:
        head = path.split("[", 1)[0].split("?", 1)[0]
        in_shown = path.startswith(location) and any(path.endswith(s) for s in shown_fields)
        if head in paths or in_shown:
            del kept[(path, value)]
    return kept


def _check_xmp(before: Blocks, after: Blocks, changes: Mapping[str, FieldValue]) -> None:
    if before.xmp[1:] != after.xmp[1:] or before.extended_xmp != after.extended_xmp:
        raise VerificationError("an additional XMP packet would change")
    if not after.xmp:
        if any(changes.values()):
            raise VerificationError("the rewritten file holds no XMP")
        return
    check_packet(before.xmp[0] if before.xmp else b"", after.xmp[0], changes)


def check_packet(old: bytes, new: bytes, changes: Mapping[str, FieldValue]) -> None:
    """An XMP packet rewritten: the edited fields hold their values, nothing else changed.

    Raises:
        VerificationError: it is not so.
    """
    was = _without_edited(flatten(old), changes) if old else Counter()
    now = _without_edited(flatten(new), changes)
    about = [text for path, text in was if path == ABOUT]
    for pairs in (was, now):
        for key in [k for k in pairs if k[0] == ABOUT]:
            del pairs[key]
    for text in about:
        # Adobe's XMP Toolkit moves an old rdf:about UUID to xmpMM:InstanceID.
        if (_INSTANCE_ID, text) in now and (_INSTANCE_ID, text) not in was:
            del now[(_INSTANCE_ID, text)]
    if was != now:
        lost = sorted(set(was) - set(now)) or sorted(set(now) - set(was))
        raise VerificationError(f"XMP {lost[0][0].split('}')[-1]} would change")
    values = parse_xmp(new)
    for name, value in changes.items():
        place = PLACE_BY_NAME[name]
        got = values.get(exiv2_key_to_reader(place.xmp), [])
        wanted = list(value) if isinstance(value, tuple) else ([value] if value else [])
        if (got[:1] if place.kind == "lang-alt" else got) != wanted:
            raise VerificationError(f"{place.label}: XMP would hold {shown(tuple(got))}")


def _check_exif(old: bytes, new: bytes, plan: Plan) -> None:
    try:
        exifcheck.compare(old, new, plan.exif_before, plan.maker_note_parsed, plan.exif)
    except exifcheck.ExifDifferenceError as exc:
        raise VerificationError(str(exc)) from None
    if not plan.exif:
        return
    after = exivedit.exif_snapshot(exivedit.open_image(new).exifData())
    for key, text in plan.exif.items():
        got = after.get(key)
        if (got[2].decode("utf-8", "replace") if got else None) != text:
            raise VerificationError(f"EXIF {key.split('.')[-1]} would not hold the new value")


def exif_expectations(
    changes: Mapping[str, FieldValue], snapshot: Mapping[str, Any]
) -> dict[str, str | None]:
    """The EXIF keys a write touches (those the file has) and the text each must hold."""
    expected: dict[str, str | None] = {}
    for name, value in changes.items():
        place = PLACE_BY_NAME[name]
        if place.exif and place.exif in snapshot:
            text = mwg_list(value) if isinstance(value, tuple) else value
            expected[place.exif] = text or None
    return expected


# --- the reader's view ------------------------------------------------------------------


def check_reading(
    before: PhotoMetadata,
    after: PhotoMetadata,
    changes: Mapping[str, FieldValue],
    synced: tuple[str, ...] = (),
) -> list[str]:
    """Compare what Photo Desk's reader shows before and after; warnings for leftovers.

    Edited fields must read as written; a field cleared may still show a value from a
    place Photo Desk does not write (a sidecar, a trailer, Windows XPComment): that is
    a warning. Every other field, the camera data, the size and the problems read the
    same (flags about undeclared IPTC encodings may go: the IPTC is now UTF-8; the
    ``synced`` fields may now be read from XMP rather than IPTC, with the same value).

    Raises:
        VerificationError: an edited field reads otherwise, or another one changed.
    """
    warnings = []
    for name, value in changes.items():
        place = PLACE_BY_NAME[name]
        got = after.value(name)
        if got == value:
            continue
        if not value:
            warnings.append(_leftover(place, got, after.source_of(name)))
            continue
        raise VerificationError(f"{place.label} would read {shown(got)} instead of {shown(value)}")
    _check_unedited(before, after, changes, set(synced))
    return warnings


def _leftover(place: Place, got: FieldValue, source: str) -> str:
    return (
        f"{place.label}: cleared, but {shown(got)} still shows, from {source or 'elsewhere'} "
        "(a place Photo Desk does not write)"
    )


def _check_unedited(
    before: PhotoMetadata,
    after: PhotoMetadata,
    changes: Mapping[str, FieldValue],
    synced: set[str],
) -> None:
    edited = set(changes) | ({"bylines"} if "byline" in changes else set())
    synced = synced | ({"bylines"} if "byline" in synced else set())
    for item in fields(PhotoMetadata):
        name = item.name
        if name in edited or name in ("sources", "flags"):
            continue
        was, now = getattr(before, name), getattr(after, name)
        if was != now and not (name in synced and not was):
            raise VerificationError(f"{name.replace('_', ' ')} would read differently")
    kept = [s for s in before.sources if s[0] not in edited | synced]
    if kept != [s for s in after.sources if s[0] not in edited | synced]:
        raise VerificationError("where an unedited field is read from would change")
    flags = [f for f in before.flags if f.field not in edited | synced and f.kind != CHARSET]
    if flags != [f for f in after.flags if f.field not in edited | synced and f.kind != CHARSET]:
        raise VerificationError("the checks on an unedited field would change")
