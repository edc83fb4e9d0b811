"""Which files are images, and the order people expect them in (no Qt, no Pillow)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from viewer.formats import sniff_file

IMAGE_SUFFIXES = frozenset(
    (".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".tif", ".tiff", ".bmp", ".mpo",
     ".heic", ".heif", ".avif", ".dng")
)  # fmt: skip


_DIGITS = re.compile(r"([0-9]+)")  # ASCII digits only: "²" or "٣" are letters here


def natural_key(name: str) -> tuple[Any, ...]:
    """The sort key that puts "IMG_2" before "IMG_10", as file managers order names.

    Runs of ASCII digits compare as numbers, and come before letters.

    Numbers are compared by their digits (length without leading zeros, then the
    digits), never converted with ``int``: no name, however odd, can make this fail.
    """
    key: list[tuple[int, int, str]] = []
    for part in _DIGITS.split(name):
        if not part:
            continue
        if part[0] in "0123456789":
            digits = part.lstrip("0") or "0"
            key.append((0, len(digits), digits))
        else:
            key.append((1, 0, part.casefold()))
    return tuple(key)


def looks_like_image(path: Path) -> bool:
    """Whether the first bytes are those of an image format Photo Desk opens."""
    return bool(sniff_file(path))


def is_image(path: Path) -> bool:
    """An image by its name, or (for names that do not say) by its content."""
    if path.name.startswith("."):
        return False
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return True
    return path.suffix.lower() not in _NOT_IMAGES and looks_like_image(path)


_NOT_IMAGES = frozenset((".json", ".txt", ".xmp", ".md", ".pdf", ".html", ".csv", ".tsv"))


def list_images(folder: Path) -> list[Path]:
    """The images directly in ``folder``, in natural name order.

    Raises:
        OSError: the folder cannot be read.
    """
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_file() and is_image(path):
                    found.append(path)
            except OSError:
                continue  # vanished or unreadable while listing: not in the list
    return sorted(found, key=lambda p: natural_key(p.name))


Snapshot = tuple[tuple[Path, int, int], ...]


def snapshot_images(folder: Path) -> Snapshot:
    """The images of ``folder`` with their modification time and size, in natural order.

    Comparing two snapshots tells what was added, removed, renamed or rewritten.
    """
    entries = []
    for path in list_images(folder):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((path, stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


SortedBatch = list[tuple[tuple[Any, ...], Path]]


class FolderScan:
    """Lists a folder a batch at a time, so a huge folder can be shown while it is read.

    The first batch is 256 entries; each batch after it is eight times larger.

    The directory iterator stays open between batches; :meth:`close` releases it (also
    when the scan is abandoned). Each batch comes back sorted by :func:`natural_key`,
    keys included, so the GUI thread only merges.
    """

    FIRST_BATCH = 256
    LARGEST_BATCH = 65_536

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._entries = os.scandir(folder)
        self._size = self.FIRST_BATCH
        self.done = False

    def next_batch(self) -> SortedBatch:
        """Up to the next batch of images, sorted; sets ``done`` at the end of the folder."""
        found: SortedBatch = []
        for _ in range(self._size):
            entry = next(self._entries, None)
            if entry is None:
                self.close()
                break
            path = Path(entry.path)
            try:
                if entry.is_file() and is_image(path):
                    found.append((natural_key(path.name), path))
            except OSError:
                continue
        self._size = min(self._size * 8, self.LARGEST_BATCH)
        return sorted(found)

    def close(self) -> None:
        """Release the directory iterator and mark the scan ``done``."""
        self.done = True
        self._entries.close()
