"""A photo's new bytes, made by exiv2 in memory and checked before anything is written.

The flow for one JPEG, PNG or WebP file (:func:`rewrite`):

1. refuse what exiv2 would lose: a damaged metadata block, an XMP packet exiv2 does
   not see (a mangled header), two IPTC blocks where exiv2 keeps one, a Photoshop 2.5
   segment;
2. edit in exiv2's model: XMP and EXIF through :mod:`viewer.metadata.exivedit`, the
   IPTC block as a list of datasets through :mod:`viewer.metadata.iimedit` (JPEG always,
   PNG when it has IPTC; WebP has none);
3. nothing to change: no bytes (the photo is "unchanged");
4. exiv2 writes the file into memory; the Photoshop IPTC digest is set to the new
   IPTC's MD5 when it matched the old IPTC (when it did not, another tool edited the
   IPTC after the XMP, and the digest keeps saying so);
5. :func:`viewer.metadata.verify.check_rewrite` compares the result with the original.

:func:`sidecar_packet` does steps 2 to 5 for an XMP sidecar, and
:func:`check_reading` reads the temporary file of a rewrite the way the app will read
the photo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import exiv2

from viewer.errors import PhotoDeskError
from viewer.metadata import containers, exivedit, iptc, verify
from viewer.metadata.blocks import Blocks
from viewer.metadata.fieldmap import PLACE_BY_NAME, FieldValue
from viewer.metadata.fields import SPECS
from viewer.metadata.iimedit import edit_block
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.reader import read_metadata

# Where exiv2 keeps the IPTC it writes, as viewer.metadata.blocks names the place.
IPTC_PLACE = {"JPEG": "IPTC", "PNG": "IPTC in PNG text"}


class RewriteRefusedError(PhotoDeskError):
    """A file Photo Desk will not rewrite: exiv2 would lose part of it."""


class RewriteFailedError(PhotoDeskError):
    """A rewrite that failed: exiv2 said no, or the result did not pass the checks."""


@dataclass
class Rewrite:
    """The new file (None when nothing changes) and what the user should know.

    ``synced`` names the unedited fields whose reading may come from XMP now (see
    :func:`rewrite`): those whose XMP was brought in step with the IPTC the reader
    showed (same value), and the fields the reader showed empty while the digest said
    the XMP was stale and the IPTC had no value (empty before, their XMP value now).
    """

    data: bytes | None
    warnings: list[str] = field(default_factory=list)
    synced: tuple[str, ...] = ()


def rewrite(
    data: bytes, kind: str, changes: Mapping[str, FieldValue], before: PhotoMetadata
) -> Rewrite:
    """See :func:`_rewrite`; an exiv2 error anywhere is a failed rewrite, said in words.

    Raises:
        RewriteRefusedError: exiv2 would lose part of the file.
        RewriteFailedError: exiv2 cannot read or write it, or the result changed
            something else.
    """
    try:
        return _rewrite(data, kind, changes, before)
    except exiv2.Exiv2Error as exc:
        raise RewriteFailedError(f"exiv2 could not make the change ({_words(exc)})") from None


def _rewrite(
    data: bytes, kind: str, changes: Mapping[str, FieldValue], before: PhotoMetadata
) -> Rewrite:
    """The file ``data`` (a JPEG, PNG or WebP) with ``changes`` written into it.

    ``before`` is what the reader makes of the file now. When the Photoshop IPTC digest
    says another tool edited the IPTC after the XMP (so readers show the IPTC), the XMP
    of every unedited field shown from IPTC is set to what is shown, and the digest is
    refreshed: the MWG's reconciliation, after which all copies agree and read as before.

    Raises:
        RewriteRefusedError: exiv2 would lose part of the file.
        RewriteFailedError: exiv2 cannot read or write it, or the result changed
            something else.
    """
    try:
        image = exivedit.open_image(data)
    except exiv2.Exiv2Error as exc:
        raise RewriteFailedError(f"exiv2 cannot read it ({_words(exc)})") from None
    blocks = verify.blocks_of(data)
    _refuse_losses(data, kind, blocks, image)
    standard = next((block for block in blocks.iptc if block.standard), None)
    current = standard is not None and blocks.iptc_digest == _md5(standard.data)
    stale = blocks.iptc_digest is not None and standard is not None and not current
    synced = _shown_from_iptc(changes, before) if stale else {}
    plan = verify.Plan({**changes, **synced}, iim_where=IPTC_PLACE.get(kind, ""))
    exif = image.exifData()
    plan.exif_before = exivedit.exif_snapshot(exif)
    plan.maker_note_parsed = exivedit.maker_note_parsed(exif)
    plan.exif = verify.exif_expectations(changes, plan.exif_before)
    try:
        changed, warnings = exivedit.apply_xmp(image.xmpData(), changes)
        _, _ = exivedit.apply_xmp(image.xmpData(), synced)
    except exivedit.EditRefusedError as exc:
        raise RewriteRefusedError(str(exc)) from None
    changed |= exivedit.apply_exif(exif, changes)
    changed |= _edit_iptc(image, kind, blocks, plan, changes, warnings)
    if not changed:
        return Rewrite(None, warnings)
    # A digest present stays current: refreshed after the XMP was brought in step (or
    # when the IPTC block is new, so the XMP keeps being read first, as before).
    plan.refresh_digest = blocks.iptc_digest is not None and (
        standard is not None or plan.iim is not None
    )
    if synced:
        labels = ", ".join(PLACE_BY_NAME[name].label for name in synced)
        warnings.append(
            "the file's IPTC digest said another tool had edited its IPTC after its XMP; "
            f"the XMP was brought in step with the IPTC shown ({labels})"
        )
    new = _written(image, plan)
    try:
        verify.check_rewrite(data, new, plan)
    except (verify.VerificationError, exiv2.Exiv2Error) as exc:
        raise RewriteFailedError(
            f"exiv2's rewrite did not pass the checks: {_words(exc)}"
        ) from None
    revealed = tuple(s.name for s in SPECS if stale and s.name not in changes)
    return Rewrite(new, warnings, (*synced, *revealed))


def _md5(data: bytes) -> bytes:
    return hashlib.md5(data, usedforsecurity=False).digest()


def _shown_from_iptc(
    changes: Mapping[str, FieldValue], before: PhotoMetadata
) -> dict[str, FieldValue]:
    """The unedited fields the reader shows from IPTC, with what it shows."""
    return {
        place.name: before.value(place.name)
        for place in PLACE_BY_NAME.values()
        if place.iim and place.name not in changes and before.source_of(place.name) == "IPTC"
    }


def _words(exc: Exception) -> str:
    if isinstance(exc, exiv2.Exiv2Error):
        return str(exc.args[-1]) if exc.args else "exiv2 error"
    return str(exc)


def _refuse_losses(data: bytes, kind: str, blocks: Blocks, image: Any) -> None:
    if blocks.problems:
        raise RewriteRefusedError(
            f"part of its metadata is damaged ({blocks.problems[0]}), and Photo Desk "
            "does not rewrite a file it cannot read whole"
        )
    if blocks.xmp and not exivedit.xmp_packet(image):
        raise RewriteRefusedError(
            "its XMP has a non-standard header that exiv2 does not read, so a rewrite "
            "would leave two XMP packets"
        )
    try:
        parts = containers.picture_parts(data)
    except containers.StructureError as exc:
        raise RewriteRefusedError(str(exc)) from None
    if parts.old_photoshop:
        raise RewriteRefusedError("it has a Photoshop 2.5 IPTC segment, which exiv2 does not read")
    place = IPTC_PLACE.get(kind)
    same_place = [block for block in blocks.iptc if block.where == place]
    if len(same_place) > 1:
        raise RewriteRefusedError(
            "it holds two IPTC blocks (written by different tools), and exiv2 keeps only one"
        )
    for block in same_place:
        _, problem = iptc.datasets(block.data)
        if problem:
            raise RewriteRefusedError(f"its IPTC is damaged ({problem})")


def _edit_iptc(
    image: Any,
    kind: str,
    blocks: Blocks,
    plan: verify.Plan,
    changes: Mapping[str, FieldValue],
    warnings: list[str],
) -> bool:
    place = IPTC_PLACE.get(kind)
    if place is None:
        return False
    block = next((b for b in blocks.iptc if b.where == place), None)
    wanted = any(value and PLACE_BY_NAME[name].iim for name, value in changes.items())
    if block is None and not (kind == "JPEG" and wanted):
        return False
    old = iptc.datasets(block.data)[0] if block is not None else []
    edit = edit_block(old, changes)
    try:
        exivedit.load_iptc(image.iptcData(), edit.datasets)
    except exivedit.EditRefusedError as exc:
        raise RewriteRefusedError(str(exc)) from None
    plan.iim = edit.datasets
    warnings.extend(edit.warnings)
    return edit.changed


def _written(image: Any, plan: verify.Plan) -> bytes:
    try:
        image.writeMetadata()
    except exiv2.Exiv2Error as exc:
        raise RewriteFailedError(f"exiv2 could not write it ({_words(exc)})") from None
    new = exivedit.image_bytes(image)
    if plan.refresh_digest:
        refreshed = containers.refresh_iptc_digest(new)
        if refreshed is None:
            raise RewriteFailedError("its Photoshop IPTC digest could not be brought up to date")
        new = refreshed
    return new


@dataclass
class Packet:
    """A sidecar's new XMP and what the user should know."""

    data: bytes
    warnings: list[str] = field(default_factory=list)


def sidecar_packet(existing: bytes, changes: Mapping[str, FieldValue]) -> Packet | None:
    """A sidecar (``existing``, or a new one when b"") with ``changes``; None if unchanged.

    See :func:`_sidecar_packet`.

    Raises:
        RewriteRefusedError: a place field when the sidecar lists several places shown.
        RewriteFailedError: exiv2 cannot read the sidecar, or the result did not pass.
    """
    try:
        return _sidecar_packet(existing, changes)
    except exiv2.Exiv2Error as exc:
        raise RewriteFailedError(f"exiv2 could not make the change ({_words(exc)})") from None


def _sidecar_packet(existing: bytes, changes: Mapping[str, FieldValue]) -> Packet | None:
    """The sidecar's new packet, checked (exiv2's own errors left to the caller).

    Raises:
        RewriteRefusedError: a place field when the sidecar lists several places shown.
        RewriteFailedError: exiv2 cannot read the sidecar, or the result did not pass.
    """
    try:
        image = exivedit.open_image(existing) if existing else exivedit.new_sidecar()
    except exiv2.Exiv2Error as exc:
        raise RewriteFailedError(f"exiv2 cannot read it ({_words(exc)})") from None
    if existing and not exivedit.xmp_packet(image):
        raise RewriteFailedError("it holds no XMP packet exiv2 can read")
    try:
        changed, warnings = exivedit.apply_xmp(image.xmpData(), changes)
    except exivedit.EditRefusedError as exc:
        raise RewriteRefusedError(str(exc)) from None
    if not changed:
        return None
    try:
        image.writeMetadata()
        data = exivedit.image_bytes(image)
        verify.check_packet(existing, data, changes)
    except (verify.VerificationError, exiv2.Exiv2Error) as exc:
        raise RewriteFailedError(_words(exc)) from None
    return Packet(data, warnings)


def check_reading(
    before: PhotoMetadata,
    temporary: Path,
    changes: Mapping[str, FieldValue],
    synced: tuple[str, ...] = (),
) -> list[str]:
    """Read a rewrite's temporary file as the app will read the photo; warnings.

    Raises:
        RewriteFailedError: an edited field reads otherwise, or an unedited one changed.
    """
    try:
        return verify.check_reading(before, read_metadata(temporary), changes, synced)
    except verify.VerificationError as exc:
        raise RewriteFailedError(f"reading it back: {exc}") from None
