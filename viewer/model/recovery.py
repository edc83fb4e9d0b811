"""Recovery copies of unsaved stories, so that a crash loses at most the last 30 seconds.

While a story has unsaved changes the window calls :func:`write_recovery` every 30
seconds; it writes one file per story (named after the story file's path, so each copy
replaces the last) into :func:`recovery_folder`, beside the log in the app's state folder,
atomically and readable by the user alone. The copy is the story's format 2 document
(with the fingerprints recorded when the story was opened: no photo is read) wrapped
with the story file it belongs to and when it was written::

    {"photodesk_recovery": 1, "story_file": "/photos/gallery.json",
     "written": "2024-05-01T10:30:00+00:00", "story": {"photodesk_gallery": 2, ...}}

At the next start :func:`find_recoveries` lists the copies found, newest first, each with
its story read as if it were the story file (same validation and confinement; photos gone
since are marked missing); a copy that cannot be read is listed with the reason, so that
it can be discarded. After a save, or when the user declines a copy,
:func:`discard_recovery` deletes it. No Qt here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path

from viewer.logs import log_folder
from viewer.model.gallery import Gallery
from viewer.model.manifest import ManifestError, gallery_from_document, read_document
from viewer.model.story_file import encode_document, story_document, write_atomically

RECOVERY_KEY = "photodesk_recovery"
RECOVERY_VERSION = 1
SUFFIX = ".json"


@dataclasses.dataclass(frozen=True)
class RecoveryCopy:
    """A recovery copy found at start.

    Attributes:
        path: the copy itself, in the recovery folder.
        story_file: the story file it belongs to (where saving it would write).
        written: when it was written (timezone-aware).
        gallery: the story as it was, or None when the copy cannot be read.
        problem: why it cannot be read ("" when it can).
    """

    path: Path
    story_file: Path
    written: dt.datetime
    gallery: Gallery | None
    problem: str = ""


def recovery_folder(environ: dict[str, str] | None = None, platform: str = sys.platform) -> Path:
    r"""Where recovery copies live: ``recovery`` in the app's state folder (not created here).

    ``$XDG_STATE_HOME/photodesk/recovery`` on Linux, beside the ``logs`` folder on
    Windows (``%LOCALAPPDATA%\photodesk\recovery``), and in the log folder elsewhere.
    """
    logs = log_folder(environ, platform)
    return logs.with_name("recovery") if logs.name == "logs" else logs / "recovery"


def recovery_path(story_file: Path, folder: Path | None = None) -> Path:
    """The recovery copy of the story saved as ``story_file``."""
    key = hashlib.sha256(os.fsencode(os.path.abspath(story_file))).hexdigest()[:24]
    return (folder if folder is not None else recovery_folder()) / f"story-{key}{SUFFIX}"


def write_recovery(
    gallery: Gallery, folder: Path | None = None, now: dt.datetime | None = None
) -> Path:
    """Write a recovery copy of ``gallery`` (its story file is ``gallery.source``).

    Returns the copy's path. No photo is read.

    Raises:
        StoryError: the story could not be saved either (a photo outside its folder).
        OSError: the recovery folder cannot be written.
    """
    folder = folder if folder is not None else recovery_folder()
    story_file = Path(os.path.abspath(gallery.source))
    story = story_document(gallery, story_file.parent, hash_files=False)
    encode_document(story, story_file)  # only a copy that would load is worth keeping
    written = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    wrapper = {
        RECOVERY_KEY: RECOVERY_VERSION,
        "story_file": os.fspath(story_file),  # ensure_ascii keeps undecodable names exact
        "written": written.isoformat(timespec="seconds"),
        "story": story,
    }
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = recovery_path(story_file, folder)
    data = (json.dumps(wrapper, ensure_ascii=True, indent=1) + "\n").encode("ascii")
    write_atomically(target, data, private=True)
    return target


def _read_copy(path: Path) -> RecoveryCopy:
    try:
        written_at = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    except OSError:
        written_at = dt.datetime.fromtimestamp(0, dt.UTC)
    try:
        wrapper = read_document(path)
    except ManifestError as exc:
        return RecoveryCopy(path, path, written_at, None, exc.problem)
    if not isinstance(wrapper, dict) or wrapper.get(RECOVERY_KEY) != RECOVERY_VERSION:
        return RecoveryCopy(path, path, written_at, None, "this is not a recovery copy")
    story_file, written = wrapper.get("story_file"), wrapper.get("written")
    if not isinstance(story_file, str) or not os.path.isabs(story_file) or "\x00" in story_file:
        return RecoveryCopy(path, path, written_at, None, "it does not say which story it is")
    with contextlib.suppress(TypeError, ValueError, OverflowError):  # else the file's time
        written_at = dt.datetime.fromisoformat(str(written)).astimezone(dt.UTC)
    target = Path(story_file)
    try:
        gallery = gallery_from_document(wrapper.get("story"), target)
    except ManifestError as exc:
        return RecoveryCopy(path, target, written_at, None, str(exc))
    return RecoveryCopy(path, target, written_at, gallery)


def find_recoveries(folder: Path | None = None) -> list[RecoveryCopy]:
    """The recovery copies in ``folder`` (default: :func:`recovery_folder`), newest first."""
    folder = folder if folder is not None else recovery_folder()
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return []
    copies = [
        _read_copy(folder / name)
        for name in names
        if name.endswith(SUFFIX) and not name.startswith(".")
    ]
    return sorted(copies, key=lambda copy: copy.written, reverse=True)


def discard_recovery(copy: RecoveryCopy | Path) -> None:
    """Delete a recovery copy (one already gone is no error); the story file is untouched."""
    path = copy.path if isinstance(copy, RecoveryCopy) else copy
    path.unlink(missing_ok=True)
