"""What a photo file says about itself (EXIF, IPTC, XMP, sidecars), as plain data; no Qt.

Importing the package loads the record (:class:`PhotoMetadata`), not the readers: those
load with the first :func:`read_metadata`, which runs in a worker process.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from viewer.metadata.flags import Flag
from viewer.metadata.photo import PhotoMetadata

__all__ = ["Flag", "PhotoMetadata", "read_metadata"]


def read_metadata(path: Path, *, trust_anchors: Sequence[Path] | None = None) -> PhotoMetadata:
    """What ``path`` says about itself: :func:`viewer.metadata.reader.read_metadata`."""
    from viewer.metadata.reader import read_metadata as read  # noqa: PLC0415 - see above

    return read(path, trust_anchors=trust_anchors)
