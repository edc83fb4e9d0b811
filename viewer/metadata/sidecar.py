"""XMP sidecars: ``photo.jpg.xmp`` or ``photo.xmp`` beside the photo.

Tools that do not write into the image (darktable, digiKam when told so, Lightroom and
Photo Mechanic for raw files) keep the photo's metadata in an XMP file beside it. Two
conventions exist: the whole file name plus ``.xmp`` (``photo.jpg.xmp``: darktable,
digiKam) and the name with its extension replaced (``photo.xmp``: Adobe, Photo
Mechanic). ``photo.jpg.xmp`` can only belong to this photo, whereas ``photo.xmp`` may be
the sidecar of a raw file of the same name, so the first is read when both exist, and
the second otherwise. Sidecars are opened like any other user file: regular files only,
size-limited, parsed with the same hardened XMP parser.
"""

from __future__ import annotations

from pathlib import Path

from viewer.fileaccess import is_regular_file, read_regular
from viewer.metadata.xmp import MAX_PACKET_BYTES, XmpError, XmpValues, parse_xmp


def sidecar_candidates(path: Path) -> list[Path]:
    """Where a sidecar of ``path`` may be, the one that wins first."""
    names = [path.name + ".xmp", path.name + ".XMP"]
    if path.suffix and path.suffix.lower() != ".xmp":
        names += [path.stem + ".xmp", path.stem + ".XMP"]
    return [path.with_name(name) for name in dict.fromkeys(names)]


def find_sidecar(path: Path) -> Path | None:
    """The sidecar that applies to ``path``, or None."""
    return next((c for c in sidecar_candidates(path) if is_regular_file(c)), None)


def read_sidecar(path: Path) -> XmpValues:
    """The properties of a sidecar file.

    Raises:
        XmpError: the sidecar is too large or not a readable XMP packet.
        OSError: it cannot be opened (not a regular file, no permission...).
    """
    packet = read_regular(path, MAX_PACKET_BYTES + 1)
    if len(packet) > MAX_PACKET_BYTES:
        raise XmpError(f"the sidecar is larger than {MAX_PACKET_BYTES // 2**20} MiB")
    return parse_xmp(packet)
