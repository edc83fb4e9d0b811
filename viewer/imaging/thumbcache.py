"""Thumbnails on disk, shared with file managers: the freedesktop Thumbnail Managing Standard.

The flow for one request: build the file's canonical ``file://`` URI and its MD5; look
for ``$XDG_CACHE_HOME/thumbnails/<size>/<md5>.png``; if its ``Thumb::URI`` and
``Thumb::MTime`` match the file, the thumbnail is reused as it is (another program may
have written it). Otherwise the picture is decoded at the size class, written as PNG to
a temporary file in the same folder and renamed into place, so a reader never sees half
a thumbnail and a crash leaves none. Files that cannot be thumbnailed get an entry under
``fail/photodesk-<version>/`` so they are not retried until they change.

Pure Python and Pillow; no Qt.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from viewer import __version__

if TYPE_CHECKING:
    from PIL import Image

# Pillow and the decoder load on first use, in a worker thread, not at start-up.

SIZE_CLASSES = {"normal": 128, "large": 256, "x-large": 512, "xx-large": 1024}
_URI_SAFE = "/!$&'()*+,;=:@~"


def thumbnail_root(environ: dict[str, str] | None = None, platform: str = sys.platform) -> Path:
    """``$XDG_CACHE_HOME/thumbnails``, or ``~/.cache/thumbnails`` when it is unset (shared
    with the desktop's file manager). Windows and macOS have no shared thumbnail cache:
    there it is Photo Desk's own, in the user's standard cache folder."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME", "")
    if base and Path(base).is_absolute():
        return Path(base) / "thumbnails"
    if platform == "win32" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / "photodesk" / "thumbnails"
    if platform == "darwin":
        return Path.home() / "Library" / "Caches" / "photodesk" / "thumbnails"
    return Path.home() / ".cache" / "thumbnails"


def file_uri(path: Path) -> str:
    """The canonical URI the standard hashes: absolute, percent-encoded UTF-8 bytes."""
    raw = os.fsencode(Path(path).absolute())
    return "file://" + quote(raw, safe=_URI_SAFE)


def size_class_for(pixels: int) -> str:
    """The smallest standard size class whose thumbnails are at least ``pixels`` big."""
    for name, size in SIZE_CLASSES.items():
        if pixels <= size:
            return name
    return "xx-large"


@dataclass(frozen=True)
class SourceInfo:
    """What identifies the version of a file a thumbnail was made from."""

    uri: str
    mtime: int
    size: int

    @classmethod
    def of(cls, path: Path) -> SourceInfo:
        stat = path.stat()
        return cls(file_uri(path), int(stat.st_mtime), stat.st_size)

    @property
    def digest(self) -> str:
        return hashlib.md5(self.uri.encode("utf-8"), usedforsecurity=False).hexdigest()


class ThumbnailCache:
    """Reads and writes standard thumbnails under ``root`` (normally :func:`thumbnail_root`).

    Safe to use from several worker threads: every write is a rename of a private
    temporary file, and reads only accept complete, matching PNGs.
    """

    def __init__(self, root: Path, software: str = f"Photo Desk {__version__}") -> None:
        self.root = root
        self.software = software
        self.fail_dir = root / "fail" / f"photodesk-{__version__}"

    def path_for(self, source: SourceInfo, size_class: str) -> Path:
        return self.root / size_class / f"{source.digest}.png"

    def lookup(self, source: SourceInfo, size_class: str) -> Image.Image | None:
        """The cached thumbnail if it is valid for this version of the file, else None."""
        return _read_valid(self.path_for(source, size_class), source)

    def has_failed(self, source: SourceInfo) -> bool:
        """True when this version of the file is already known not to thumbnail."""
        return _read_valid(self.fail_dir / f"{source.digest}.png", source) is not None

    def thumbnail(self, path: Path, size_class: str = "large") -> Image.Image:
        """The thumbnail of ``path`` (RGB or RGBA, longest side at most the class size).

        Reuses a valid cached one, otherwise decodes the file and stores the result.

        Raises:
            DecodeError: the file cannot be read or decoded (recorded in the fail folder).
        """
        from PIL import Image  # noqa: PLC0415

        from viewer.imaging.pixels import DecodeError, load_display_image  # noqa: PLC0415

        try:
            source = SourceInfo.of(path)
        except OSError as exc:
            raise DecodeError(path, f"the file cannot be read ({exc.strerror or exc})") from None
        cached = self.lookup(source, size_class)
        if cached is not None:
            return cached
        if self.has_failed(source):
            raise DecodeError(path, "this file could not be read before and has not changed")
        edge = SIZE_CLASSES[size_class]
        try:
            image = load_display_image(path, (edge, edge))
        except DecodeError:
            self._store(self.fail_dir / f"{source.digest}.png", Image.new("RGBA", (1, 1)), source)
            raise
        if not self._inside_cache(path):  # never thumbnail our own thumbnails
            self._store(self.path_for(source, size_class), image, source)
        return image

    def _inside_cache(self, path: Path) -> bool:
        try:
            return path.resolve().is_relative_to(self.root.resolve())
        except OSError:
            return False

    def _store(self, target: Path, image: Image.Image, source: SourceInfo) -> None:
        """Write atomically; a cache that cannot be written is not an error for the viewer."""
        from PIL import PngImagePlugin  # noqa: PLC0415

        info = PngImagePlugin.PngInfo()
        info.add_text("Thumb::URI", source.uri)
        info.add_text("Thumb::MTime", str(source.mtime))
        info.add_text("Thumb::Size", str(source.size))
        info.add_text("Software", self.software)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", pnginfo=info, compress_level=1)
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".photodesk-", suffix=".png", dir=target.parent)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(buffer.getvalue())
                os.chmod(temp, 0o600)
                os.replace(temp, target)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError:
            return


def _read_valid(path: Path, source: SourceInfo) -> Image.Image | None:
    from PIL import Image  # noqa: PLC0415

    try:
        with Image.open(path) as image:
            text = getattr(image, "text", {})
            if text.get("Thumb::URI") != source.uri:
                return None
            if text.get("Thumb::MTime") != str(source.mtime):
                return None
            image.load()
            if image.mode not in ("RGB", "RGBA"):
                return image.convert("RGBA" if "A" in image.mode else "RGB")
            return image.copy()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
