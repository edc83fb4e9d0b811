"""XMP sidecars: ``photo.jpg.xmp`` or ``photo.xmp`` beside the photo, read and written alike.

Tools that do not write into the image (darktable, digiKam when told so, Lightroom and
Photo Mechanic for raw files) keep the photo's metadata in an XMP file beside it. Two
conventions exist: the whole file name plus ``.xmp`` (``photo.jpg.xmp``: darktable,
digiKam) and the name with its extension replaced (``photo.xmp``: Adobe, Photo
Mechanic). Which one belongs to a photo, for reading and for writing alike:

1. ``photo.jpg.xmp`` can only belong to ``photo.jpg``: it wins when it exists;
2. ``photo.xmp`` belongs to ``photo.jpg`` only when no other photo in the folder is
   called ``photo`` too. When several are (``IMG_1.CR2`` beside ``IMG_1.JPG``, as
   cameras shooting raw + JPEG leave them), it is the raw file's, as Adobe's and Photo
   Mechanic's convention has it, and no one's when there is no single raw file among them.

Photo Desk writes a sidecar only for a photo it does not rewrite (raw files, HEIC/AVIF,
TIFF, formats without a verified writer, photos with Content Credentials): into the
sidecar that belongs to it when there is one, else into ``photo.xmp`` when that name
would belong to it by the rules above, else into ``photo.jpg.xmp``
(:func:`sidecar_for_writing`). A temporary file of the writer's (see
:mod:`viewer.metadata.atomic`) has the sidecar of the photo it will replace, so that
checking it reads what the photo will read.

Sidecars are opened like any other user file: regular files only, size-limited, parsed
with the same hardened XMP parser.
"""

from __future__ import annotations

import os
from pathlib import Path

from viewer.fileaccess import is_regular_file, read_regular
from viewer.files import IMAGE_SUFFIXES
from viewer.metadata.atomic import target_of
from viewer.metadata.xmp import MAX_PACKET_BYTES, XmpError, XmpValues, parse_xmp

RAW_SUFFIXES = frozenset(
    (".3fr", ".ari", ".arw", ".bay", ".cr2", ".cr3", ".crw", ".dcr", ".dng", ".erf",
     ".fff", ".iiq", ".k25", ".kdc", ".mef", ".mos", ".mrw", ".nef", ".nrw", ".orf",
     ".pef", ".raf", ".raw", ".rw2", ".rwl", ".sr2", ".srf", ".srw", ".x3f")
)  # fmt: skip
# The photos that may share a name with another (and so its ``name.xmp`` sidecar).
PHOTO_SUFFIXES = frozenset(IMAGE_SUFFIXES | RAW_SUFFIXES | {".psd", ".jxl", ".jp2"})


def is_raw(path: Path) -> bool:
    """Whether ``path`` is named as a camera's raw file (``.CR2``, ``.NEF``, ``.DNG``...)."""
    return path.suffix.lower() in RAW_SUFFIXES


def sidecar_candidates(path: Path) -> list[Path]:
    """Where a sidecar of ``path`` may be, the one that wins first.

    ``photo.xmp`` and ``photo.XMP`` are listed; :func:`find_sidecar` takes them only when
    they belong to ``path`` (see :func:`owns_name_sidecar`).
    """
    names = [path.name + ".xmp", path.name + ".XMP"]
    if path.suffix and path.suffix.lower() != ".xmp":
        names += [path.stem + ".xmp", path.stem + ".XMP"]
    return [path.with_name(name) for name in dict.fromkeys(names)]


def owns_name_sidecar(path: Path) -> bool:
    """Whether ``photo.xmp`` would belong to ``path`` (rule 2 of the module's description)."""
    siblings = _namesakes(path)
    if not siblings:
        return True
    raws = [sibling for sibling in [path, *siblings] if is_raw(sibling)]
    return raws == [path]


def _namesakes(path: Path) -> list[Path]:
    """The other photos in ``path``'s folder whose name without extension is the same."""
    try:
        own = os.stat(path)
    except OSError:
        own = None
    found = []
    for suffix in sorted(PHOTO_SUFFIXES):
        for variant in dict.fromkeys((suffix, suffix.upper())):
            candidate = path.with_name(path.stem + variant)
            if candidate.name == path.name or not is_regular_file(candidate):
                continue
            try:
                same = own is not None and os.path.samestat(own, os.stat(candidate))
            except OSError:
                continue
            if not same and candidate not in found:
                found.append(candidate)
    return found


def find_sidecar(path: Path) -> Path | None:
    """The sidecar that applies to ``path``, or None."""
    photo = target_of(path) or path
    whole = (photo.name + ".xmp").lower()
    for candidate in sidecar_candidates(photo):
        if not is_regular_file(candidate):
            continue
        if candidate.name.lower() == whole or owns_name_sidecar(photo):
            return candidate
    return None


def sidecar_for_writing(path: Path) -> Path:
    """Where Photo Desk writes ``path``'s sidecar: the one that applies, else a new one."""
    existing = find_sidecar(path)
    if existing is not None:
        return existing
    if path.suffix and owns_name_sidecar(path):
        named = path.with_name(path.stem + ".xmp")
        if not os.path.lexists(named):
            return named
    return path.with_name(path.name + ".xmp")


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
