"""Find a story's missing photo again: by its name, then by its content.

When a story is saved, each photo's file gets a fingerprint (:func:`fingerprint_of`): its
size and the first 128 bits of the SHA-256 of its bytes, of at most :data:`HASH_LIMIT`
bytes (a larger file is identified by its size and its first 256 MiB). Reading goes
through :func:`viewer.fileaccess.open_regular`, so a FIFO or a device named like a photo
is refused instead of read for ever.

:func:`find_again` walks the story's folder and the folders below it (not following
links to folders, skipping hidden folders, at most :data:`MAX_SCAN_ENTRIES` entries) and
offers, best first: files with the photo's name whose content also matches, then files
with its name (exactly, then ignoring case, then the same name with another image
extension), then files with its content under another name. Only files of the recorded
size are hashed, and at most :data:`MAX_HASHED_BYTES` in all, so a search is bounded
whatever the folder holds. It reads the disk: run it off the GUI thread. No Qt here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from pathlib import Path

from viewer.fileaccess import display_name, is_regular_file, open_regular
from viewer.files import IMAGE_SUFFIXES, natural_key
from viewer.model.gallery import Fingerprint, Gallery, Photo
from viewer.model.story_edit import StoryError, story_folder, story_photo

HASH_LIMIT = 256 * 1024 * 1024  # bytes of a file that its digest covers
DIGEST_CHARS = 32  # hexadecimal digits kept of the SHA-256: 128 bits
MAX_SCAN_ENTRIES = 100_000  # files and folders looked at by one search
MAX_HASHED_BYTES = 2 * 1024 * 1024 * 1024  # bytes read by one search's content matching
_CHUNK = 1024 * 1024


def fingerprint_of(path: Path, root: Path | None = None) -> Fingerprint:
    """The size and digest of the regular file at ``path`` (inside ``root`` when given).

    Raises:
        OSError: it cannot be read, or is not a regular file (FileAccessError).
    """
    digest = hashlib.sha256()
    with open_regular(path, root) as stream:
        size = os.fstat(stream.fileno()).st_size
        left = HASH_LIMIT
        while left > 0:
            chunk = stream.read(min(_CHUNK, left))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
    return Fingerprint(size=size, digest=digest.hexdigest()[:DIGEST_CHARS])


def _name_rank(name: str, wanted: str) -> int | None:
    """0: the same name; 1: the same but for case; 2: another image extension; else None."""
    if name == wanted:
        return 0
    if name.casefold() == wanted.casefold():
        return 1
    stem, suffix = os.path.splitext(name)
    wanted_stem = os.path.splitext(wanted)[0]
    if stem.casefold() == wanted_stem.casefold() and suffix.casefold() in IMAGE_SUFFIXES:
        return 2
    return None


@dataclasses.dataclass
class _Search:
    """One walk of a folder: what was found and how much was read."""

    root: Path
    wanted: str
    fingerprint: Fingerprint | None
    hashed: int = 0
    found: list[tuple[tuple[int, int, int, tuple[object, ...]], Path]] = dataclasses.field(
        default_factory=list
    )

    def consider(self, path: Path, name: str, depth: int) -> None:
        try:
            info = os.stat(path)
        except OSError:
            return
        if not stat.S_ISREG(info.st_mode):
            return
        if not Path(os.path.realpath(path)).is_relative_to(self.root):
            return  # a link to a file outside the folder
        rank = _name_rank(name, self.wanted)
        same = self._same_content(path, info.st_size)
        if rank is None and not same:
            return
        group = 0 if rank is not None and same else 1 if rank is not None else 2
        key = (group, rank if rank is not None else 0, depth, natural_key(name))
        self.found.append((key, path))

    def _same_content(self, path: Path, size: int) -> bool:
        wanted = self.fingerprint
        if wanted is None or size != wanted.size:
            return False
        cost = min(size, HASH_LIMIT)
        if self.hashed + cost > MAX_HASHED_BYTES:
            return False
        self.hashed += cost
        try:
            return fingerprint_of(path, self.root) == wanted
        except OSError:
            return False


def find_again(photo: Photo, folder: Path) -> list[Path]:
    """Files in ``folder`` or below it that may be ``photo``'s, best first.

    By name (with matching content first), then by content under another name. The
    content can only be matched when the story recorded the photo's fingerprint.
    """
    root = Path(os.path.realpath(folder))
    search = _Search(root, photo.path.name, photo.fingerprint)
    seen = 0
    start = Path(os.path.abspath(folder))
    for current, folders, files in os.walk(start, followlinks=False):
        depth = len(Path(current).relative_to(start).parts)
        folders[:] = sorted((f for f in folders if not f.startswith(".")), key=natural_key)
        seen += len(folders) + len(files)
        for name in sorted(files, key=natural_key):
            search.consider(Path(current) / name, name, depth)
        if seen >= MAX_SCAN_ENTRIES:
            break
    return [path for _key, path in sorted(search.found, key=lambda item: item[0])]


def relink_photo(gallery: Gallery, index: int, path: Path) -> Gallery:
    """The story with the photo at ``index`` found again at ``path`` (no longer missing).

    It keeps its place, words and passage; its fingerprint becomes that of ``path``.

    Raises:
        StoryError: ``path`` is outside the story's folder or is not a file.
        IndexError: there is no photo at ``index``.
    """
    photo = gallery.photos[index]
    found = story_photo(path, story_folder(gallery))
    if not is_regular_file(found.path):
        raise StoryError(f"{display_name(path)} is not a file")
    try:
        fingerprint: Fingerprint | None = fingerprint_of(found.path, found.root)
    except OSError:
        fingerprint = None
    relinked = dataclasses.replace(
        photo, path=found.path, root=found.root, missing=False, fingerprint=fingerprint
    )
    photos = list(gallery.photos)
    photos[index] = relinked
    return dataclasses.replace(gallery, photos=tuple(photos))
