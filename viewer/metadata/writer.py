"""Writing caption fields into photos: on an explicit save, only the fields changed, safely.

The flow for one photo (:func:`write_metadata`, run in a worker process by the app):

1. the changes are checked and tidied (:func:`viewer.metadata.fieldmap.normalise`);
2. the photo is opened as the reader opens it (a regular file, inside the gallery's
   folder when one is given) and read whole; what it says now is read too: the
   ``previous`` values, for undo;
3. a JPEG, PNG or WebP without Content Credentials is rewritten in place; anything
   else (raw files, HEIC/AVIF, TIFF, GIF, photos with Content Credentials) gets its
   fields in an XMP sidecar (:mod:`viewer.metadata.sidecar` says which);
4. in place: exiv2 makes the new file in memory (:mod:`viewer.metadata.exivedit`, the
   IPTC block edited byte for byte by :mod:`viewer.metadata.iimedit`), the Photoshop
   IPTC digest is refreshed when it was current, and the result is compared with the
   original (:func:`viewer.metadata.verify.check_rewrite`): only the edited fields
   may differ;
5. the new bytes replace the photo atomically (:mod:`viewer.metadata.atomic`): a
   temporary file beside it, flushed, read back, read by Photo Desk's reader (the
   edited fields read as written, nothing else differs), the photo checked unchanged
   since it was read, then renamed over it with its permissions.

Whatever goes wrong with the file is a result, never an exception: "refused" when
Photo Desk chose not to write (read-only, changed meanwhile, a value it cannot store),
"failed" when a write was tried and did not pass (the photo is then as it was). No Qt.
"""

from __future__ import annotations

import os
import stat
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viewer.errors import PhotoDeskError
from viewer.fileaccess import FileAccessError, display_name, open_regular
from viewer.formats import sniff_format
from viewer.metadata import containers
from viewer.metadata.atomic import BusyError, ChangedError, Identity, ReplaceError, replace_file
from viewer.metadata.fieldmap import (
    EDITABLE,
    LIST_FIELDS,
    PLACE_BY_NAME,
    FieldValue,
    ValueRefusedError,
    normalise,
    shown,
)
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.provenance import has_credentials
from viewer.metadata.reader import describe, read_metadata
from viewer.metadata.sidecar import PHOTO_SUFFIXES, is_raw, sidecar_for_writing
from viewer.metadata.xmp import MAX_PACKET_BYTES

__all__ = ["EDITABLE", "LIST_FIELDS", "FieldValue", "WriteResult", "write_metadata"]

WRITTEN = "written"
UNCHANGED = "unchanged"
SIDECAR = "sidecar"
REFUSED = "refused"
FAILED = "failed"
STATUSES = (WRITTEN, UNCHANGED, SIDECAR, REFUSED, FAILED)
MAX_FILE_BYTES = 1 << 30  # a photo larger than 1 GiB is refused rather than held in memory
IN_PLACE = ("JPEG", "PNG", "WebP")
# What reading or rewriting a damaged or hostile file can raise, before anything is
# written: the save fails with the reason, the photo is as it was.
FILE_PROBLEMS = (
    OSError,
    ValueError,
    LookupError,
    struct.error,
    MemoryError,
    RecursionError,
    PhotoDeskError,
)


@dataclass(frozen=True)
class WriteResult:
    """What became of one photo's save.

    Attributes:
        path: the photo, as given.
        status: "written" (into the photo), "unchanged" (it already said so),
            "sidecar" (into its XMP sidecar), "refused" (not tried: ``reason`` says
            why) or "failed" (tried, and the photo was left as it was).
        reason: "" or why, in words a person understands, naming the file.
        warnings: what the user should know although it worked (a value cut in IPTC).
        previous: the changed fields' values before the save, as read (for undo).
        target: what was written: the photo, its sidecar, or None.
    """

    path: Path
    status: str
    reason: str = ""
    warnings: tuple[str, ...] = ()
    previous: dict[str, FieldValue] = field(default_factory=dict)
    target: Path | None = None


class _StopError(Exception):
    """Ends a save early with a result (refused, failed, unchanged)."""

    def __init__(self, status: str, reason: str = "") -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class _Photo:
    """The photo being saved, as read at the start."""

    path: Path
    real: Path
    data: bytes
    status: os.stat_result
    before: PhotoMetadata
    changes: dict[str, FieldValue]
    dry_run: bool
    root: Path | None
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return display_name(self.path.name)

    def previous(self) -> dict[str, FieldValue]:
        return {
            name: self.before.value(name)
            for name, value in self.changes.items()
            if self.before.value(name) != value
        }

    def result(self, status: str, reason: str = "", target: Path | None = None) -> WriteResult:
        previous = self.previous() if status in (WRITTEN, SIDECAR) else {}
        return WriteResult(
            self.path, status, reason, tuple(dict.fromkeys(self.warnings)), previous, target
        )


def write_metadata(
    path: Path,
    changes: Mapping[str, FieldValue],
    *,
    root: Path | None = None,
    dry_run: bool = False,
) -> WriteResult:
    """Write ``changes`` (field -> value; "" or () clears) into the photo at ``path``.

    ``root`` is the gallery's folder the photo must be inside (checked on what is opened,
    as :func:`viewer.fileaccess.open_regular` does); ``dry_run`` does everything but
    write, the checks included. Never raises for a problem with the file: see
    :class:`WriteResult`.

    Raises:
        ValueError: ``changes`` names a field that is not in :data:`EDITABLE`, or gives
            a list field a string (or a text field a tuple).
    """
    try:
        tidy = normalise(changes)
    except ValueRefusedError as exc:
        return WriteResult(path, REFUSED, f"{display_name(path.name)}: {exc}")
    if not tidy:
        return WriteResult(path, UNCHANGED)
    try:
        photo = _open(path, tidy, root, dry_run)
    except _StopError as stop:
        return WriteResult(path, stop.status, stop.reason)
    try:
        return _save(photo)
    except _StopError as stop:
        return photo.result(stop.status, stop.reason)
    except FILE_PROBLEMS as exc:  # a hostile file can make any parser give up
        return photo.result(FAILED, f"{photo.name} was left as it was: {describe(exc)}")


def _open(path: Path, changes: dict[str, FieldValue], root: Path | None, dry_run: bool) -> _Photo:
    name = display_name(path.name)
    try:
        with open_regular(path, root) as stream:
            status = os.fstat(stream.fileno())
            if status.st_size > MAX_FILE_BYTES:
                raise _StopError(
                    REFUSED, f"{name}: larger than 1 GiB, which Photo Desk does not rewrite"
                )
            data = stream.read(MAX_FILE_BYTES + 1)
        real = Path(os.path.realpath(path))
        if not os.path.samestat(os.stat(real), status):
            raise _StopError(REFUSED, f"{name}: the file was replaced while it was being read")
    except FileAccessError as exc:
        raise _StopError(REFUSED, str(exc)) from None
    except OSError as exc:
        raise _StopError(REFUSED, f"{name}: the file could not be read ({describe(exc)})") from None
    before = read_metadata(path)
    return _Photo(path, real, data, status, before, changes, dry_run, root)


def _save(photo: _Photo) -> WriteResult:
    if not photo.previous():
        return photo.result(UNCHANGED)  # every field already reads as asked: nothing to do
    kind = containers.kind_of(photo.data)
    format_name = sniff_format(photo.data[:16])
    if photo.data[:4] in (b"II+\x00", b"MM\x00+"):
        format_name = "BigTIFF"
    if is_raw(photo.path):
        why = f"{photo.name} is a camera raw file, which Photo Desk never rewrites"
        return _save_sidecar(photo, why)
    if kind in IN_PLACE:
        if has_credentials(photo.data):
            why = (
                f"{photo.name} carries Content Credentials (a signed C2PA manifest), which "
                "rewriting the file would break"
            )
            return _save_sidecar(photo, why)
        return _save_in_place(photo, kind)
    if format_name:
        what = "HEIC/AVIF" if format_name == "HEIF" else format_name
        why = f"{photo.name} is a {what} file, for which Photo Desk has no verified writer"
        return _save_sidecar(photo, why)
    if photo.path.suffix.lower() in PHOTO_SUFFIXES:
        why = (
            f"{photo.name}'s content is not what its name says (damaged, or a format "
            "Photo Desk does not know), so it is not rewritten"
        )
        return _save_sidecar(photo, why)
    raise _StopError(REFUSED, f"{photo.name}: this is not a photo Photo Desk can write to")


def _save_in_place(photo: _Photo, kind: str) -> WriteResult:
    from viewer.metadata import inplace  # noqa: PLC0415 - exiv2 loads with the first save

    if not os.access(photo.real, os.W_OK) or not photo.status.st_mode & 0o222:
        raise _StopError(REFUSED, f"{photo.name}: the file is read-only, so it was left as it is")
    try:
        rewrite = inplace.rewrite(photo.data, kind, photo.changes, photo.before)
    except inplace.RewriteRefusedError as exc:
        raise _StopError(REFUSED, f"{photo.name}: {exc}") from None
    except inplace.RewriteFailedError as exc:
        raise _StopError(FAILED, f"{photo.name} was left as it was: {exc}") from None
    photo.warnings += rewrite.warnings
    if rewrite.data is None:
        return photo.result(UNCHANGED)
    if photo.status.st_nlink > 1:
        photo.warnings.append(
            f"{photo.name} had other names (hard links); they keep the old version"
        )
    if photo.dry_run:
        return photo.result(WRITTEN, "dry run: checked, nothing was written", photo.real)

    def check(temporary: Path) -> None:
        photo.warnings.extend(
            inplace.check_reading(photo.before, temporary, photo.changes, rewrite.synced)
        )

    _replace(photo, photo.real, rewrite.data, Identity.of(photo.status), check)
    return photo.result(WRITTEN, "", photo.real)


def _save_sidecar(photo: _Photo, why: str) -> WriteResult:
    from viewer.metadata import inplace  # noqa: PLC0415 - exiv2 loads with the first save

    target = sidecar_for_writing(photo.real)
    existing, identity, mode = b"", None, None
    if os.path.lexists(target):
        try:
            with open_regular(target, photo.root) as stream:
                status = os.fstat(stream.fileno())
                existing = stream.read(MAX_PACKET_BYTES + 1)
        except OSError as exc:
            raise _StopError(
                REFUSED, f"{why}, and its sidecar {target.name} cannot be read ({describe(exc)})"
            ) from None
        if not os.access(target, os.W_OK):
            raise _StopError(REFUSED, f"{why}, and its sidecar {target.name} is read-only")
        identity, mode = Identity.of(status), stat.S_IMODE(status.st_mode)
    try:
        packet = inplace.sidecar_packet(existing, photo.changes)
    except inplace.RewriteRefusedError as exc:
        raise _StopError(REFUSED, f"{photo.name}: {exc}") from None
    except inplace.RewriteFailedError as exc:
        raise _StopError(
            FAILED, f"{why}, and its sidecar {target.name} could not be written: {exc}"
        ) from None
    if packet is None:
        return photo.result(UNCHANGED, "", target)
    reason = f"{why}; the fields were written to its sidecar {display_name(target.name)}"
    if photo.dry_run:
        return photo.result(SIDECAR, f"dry run: {reason}; nothing was written", target)
    _replace(photo, target, packet.data, identity, None, mode)
    photo.warnings.extend(packet.warnings)
    photo.warnings.extend(_overridden(photo))
    return photo.result(SIDECAR, reason, target)


def _overridden(photo: _Photo) -> list[str]:
    """The fields the photo itself holds otherwise, so the sidecar's value does not show."""
    after = read_metadata(photo.path)
    warnings = []
    for name, value in photo.changes.items():
        got = after.value(name)
        if got != value:
            place = PLACE_BY_NAME[name]
            warnings.append(
                f"{place.label}: the photo itself says {shown(got)} ({after.source_of(name)}), "
                "which Photo Desk and other apps show before its sidecar"
            )
    return warnings


def _replace(
    photo: _Photo,
    target: Path,
    data: bytes,
    identity: Identity | None,
    check: Any,
    mode: int | None = None,
) -> None:
    status = photo.status
    if target == photo.real:
        mode = stat.S_IMODE(status.st_mode)
    try:
        replace_file(
            target,
            data,
            expected=identity,
            mode=mode,
            owner=(status.st_uid, status.st_gid) if target == photo.real else None,
            check=check,
        )
    except (BusyError, ChangedError) as exc:
        raise _StopError(REFUSED, str(exc)) from None
    except ReplaceError as exc:
        raise _StopError(FAILED, f"{exc}; the photo was left as it was") from None
    except PhotoDeskError as exc:  # the check on the temporary file said no
        raise _StopError(FAILED, f"{photo.name} was left as it was: {exc}") from None
    except OSError as exc:
        raise _StopError(
            FAILED, f"{display_name(target.name)} could not be written ({describe(exc)})"
        ) from None
