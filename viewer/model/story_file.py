"""Save a story as a format 2 manifest, atomically, so that it loads back equal.

The flow of :func:`save_story`: each photo's path is made relative to the manifest's
folder with "/" separators (a photo outside it is refused, in words naming it: the
rules of opening apply to saving), its file is fingerprinted (size and digest, so that
it can be found again by content; a photo that cannot be read keeps the fingerprint it
had), and only what the story sets is written: empty words, the default title and
``illustration: false`` are left out. The document is then read back through the
manifest loader before anything is written, so a story that would not open is never
saved. The bytes go to a temporary file beside the target, are synced and read back,
take the mode of the file they replace (a new file the user's umask), and are renamed
over the target; then the folder is synced, so a crash leaves the old story or the new
one, never a mix.

Fingerprinting reads every photo (at most 256 MiB of each): run a save off the GUI
thread. No Qt here.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from viewer.fileaccess import current_umask, display_name, read_regular
from viewer.model.gallery import Gallery, Photo, Story
from viewer.model.manifest import (
    FORMAT_KEY,
    FORMAT_VERSION,
    MAX_MANIFEST_BYTES,
    ManifestError,
    gallery_from_document,
)
from viewer.model.relink import fingerprint_of
from viewer.model.story_edit import StoryError, relative_name


def _story_part(story: Story) -> dict[str, Any]:
    part: dict[str, Any] = {}
    for key, value in (
        ("headline", story.headline),
        ("publication", story.publication),
        ("date", story.date.isoformat()),
        ("byline", story.byline),
        ("summary", story.summary),
    ):
        if value:
            part[key] = value
    if story.passages:
        part["passages"] = [
            {"id": p.id, "text": p.text} if p.text else {"id": p.id} for p in story.passages
        ]
    return part


def _photo_part(photo: Photo, folder: Path, hash_files: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": relative_name(photo.path, folder)}
    for key, value in (
        ("title", photo.title),
        ("caption", photo.caption),
        ("credit", photo.credit),
        ("alt", photo.alt_text),
        ("passage", photo.passage_id or ""),
    ):
        if value:
            entry[key] = value
    if photo.illustration:
        entry["illustration"] = True
    fingerprint = photo.fingerprint
    if hash_files and not photo.missing:
        with contextlib.suppress(OSError):  # unreadable now: keep what was recorded
            fingerprint = fingerprint_of(photo.path, photo.root)
    if fingerprint is not None:
        entry["size"] = fingerprint.size
        entry["digest"] = fingerprint.digest
    return entry


def story_document(gallery: Gallery, folder: Path, *, hash_files: bool = True) -> dict[str, Any]:
    """The format 2 document of ``gallery`` for a manifest in ``folder``.

    With ``hash_files`` each photo's file is fingerprinted now; without, the
    fingerprints recorded when the story was opened are kept (a recovery copy every 30
    seconds should not read every photo).

    Raises:
        StoryError: a photo is outside ``folder`` or has a name a story cannot hold.
    """
    document: dict[str, Any] = {FORMAT_KEY: FORMAT_VERSION}
    if gallery.title != gallery.default_title():
        document["title"] = gallery.title
    if gallery.story is not None:
        document["story"] = _story_part(gallery.story)
    document["photos"] = [_photo_part(photo, folder, hash_files) for photo in gallery.photos]
    return document


def encode_document(document: dict[str, Any], target: Path) -> bytes:
    """The bytes of a manifest: UTF-8 JSON, indented, checked to load as ``target``.

    Raises:
        StoryError: it would be too large, or would not load back (the message says why).
    """
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    name = display_name(target)
    if len(data) > MAX_MANIFEST_BYTES:
        limit = MAX_MANIFEST_BYTES // (1024 * 1024)
        raise StoryError(f"{name}: the story would be larger than {limit} MiB")
    try:
        gallery_from_document(json.loads(data), target)
    except ManifestError as exc:
        raise StoryError(f"the story cannot be saved: {exc}") from None
    return data


def save_story(gallery: Gallery, target: Path) -> None:
    """Write ``gallery`` to ``target`` as a format 2 manifest, atomically.

    Photo paths are written relative to ``target``'s folder. ``load_manifest(target)``
    then gives back a gallery equal to ``gallery`` (as far as its photos' files are where
    they were, and ``gallery.source`` is ``target``).

    Raises:
        StoryError: a photo is outside the folder, the story is not one that can be
            opened again, or the file cannot be written (the message says which file and
            why; the old file, if any, is left as it was).
    """
    target = Path(os.path.abspath(target))
    document = story_document(gallery, target.parent)
    data = encode_document(document, target)
    try:
        write_atomically(target, data)
    except OSError as exc:
        raise StoryError(
            f"{display_name(target)}: the story cannot be saved here ({exc.strerror or exc})"
        ) from None


def write_atomically(target: Path, data: bytes, *, private: bool = False) -> None:
    """Replace ``target`` with ``data``: all of it or nothing, even after a crash.

    A temporary file beside the target is written, synced, read back and compared, then
    renamed over it, and the folder is synced. The file keeps the mode of the one it
    replaces; a new one gets what the user's umask gives (``private``: 0600).

    Raises:
        OSError: it cannot be written (the target is left as it was), or the target is
            not a regular file.
    """
    target = Path(os.path.abspath(target))
    mode = _mode_for(target, private)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if read_regular(temporary, len(data) + 1) != data:
            raise OSError(errno.EIO, "what was written reads back differently")
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(target.parent)


def _mode_for(target: Path, private: bool) -> int:
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return 0o600 if private else 0o666 & ~current_umask()
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EEXIST, "it exists and is not a regular file")
    return stat.S_IMODE(info.st_mode)


def sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the system lets a folder be synced)."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems cannot sync a folder
            os.fsync(handle)
    finally:
        os.close(handle)
