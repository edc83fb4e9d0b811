"""``photodesk --export-metadata``: one JSON object per photo, for scripts and other tools.

Paths may be image files, folders (their images, in natural name order) or gallery
manifests (their photos, in gallery order). Each photo becomes one line of JSON with a
fixed set of keys; a file that cannot be read still gets its line, with ``error``
saying why. Pure Python: no Qt, no display.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from viewer.files import list_images
from viewer.metadata.reader import PhotoMetadata, read_metadata

FIELDS = (
    "file",
    "caption",
    "credit",
    "byline",
    "headline",
    "keywords",
    "date_taken",
    "orientation",
    "width",
    "height",
    "make",
    "model",
    "gps",
    "error",
)


def expand(
    paths: Iterable[Path], manifests: Iterable[tuple[Path, list[Path]]] = ()
) -> Iterator[Path]:
    """Photos named by ``paths``: files as given, folders' images in natural order."""
    listed = dict(manifests)
    for path in paths:
        if path in listed:
            yield from listed[path]
        elif path.is_dir():
            yield from list_images(path)
        else:
            yield path


def record(path: Path, metadata: PhotoMetadata) -> dict[str, Any]:
    """The exported object for one photo."""
    unreadable = metadata.width is None
    error = None
    if metadata.problems:
        error = f"{path.name}: " + "; ".join(metadata.problems)
    if unreadable and not path.is_file():
        error = f"{path.name}: the file does not exist or is not a regular file"
    return {
        "file": str(path),
        "caption": metadata.caption or None,
        "credit": metadata.credit or None,
        "byline": metadata.byline or None,
        "headline": metadata.headline or None,
        "keywords": list(metadata.keywords),
        "date_taken": metadata.date_taken.isoformat() if metadata.date_taken else None,
        "orientation": metadata.orientation,
        "width": metadata.width,
        "height": metadata.height,
        "make": metadata.make or None,
        "model": metadata.model or None,
        "gps": list(metadata.gps) if metadata.gps else None,
        "error": error,
    }


def export(photos: Iterable[Path], out: TextIO) -> int:
    """Write one JSON line per photo to ``out``; how many were written."""
    count = 0
    for path in photos:
        out.write(json.dumps(record(path, read_metadata(path)), ensure_ascii=False) + "\n")
        count += 1
    return count
