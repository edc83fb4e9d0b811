"""Thumbnails on disk, shared with file managers: the freedesktop Thumbnail Managing Standard.

The flow for one request: build the file's canonical ``file://`` URI and its MD5; look
for ``$XDG_CACHE_HOME/thumbnails/<size>/<md5>.png``; if its ``Thumb::URI``,
``Thumb::MTime`` and ``Thumb::Size`` match the file, the thumbnail is reused as it is
(another program may have written it; ours also carry the modification and change
times in nanoseconds, so a rewrite within the same second, or a copy that kept the old
time, is seen). Otherwise the picture is decoded at the size class, written as PNG to
a temporary file in the same folder and renamed into place, so a reader never sees half
a thumbnail and a crash leaves none. Files whose bytes cannot be thumbnailed get an
entry under ``fail/photodesk-<version>/`` so they are not retried until they change;
failures that may pass (no permission, not enough memory, a file still being written)
are not recorded. The file itself is opened first, as a regular file: a cached
thumbnail is never served for a file the user can no longer read.

Pure Python and Pillow; no Qt.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from viewer import __version__
from viewer.fileaccess import FileAccessError, open_regular

if TYPE_CHECKING:
    from PIL import Image

# Pillow and the decoder load on first use, in a worker thread, not at start-up.

SIZE_CLASSES = {"normal": 128, "large": 256, "x-large": 512, "xx-large": 1024}
# What GLib's g_filename_to_uri leaves unescaped in a path (besides letters, digits and
# "-._~"): the same hash as GNOME's file manager and viewers, so thumbnails are shared.
_URI_SAFE = "/!$&'()*+,=:@"
# A file changed this recently may still be being written: a failure is not recorded.
FRESH_SECONDS = 2.0
_MTIME_NS = "X-PhotoDesk::MTime-ns"
_CTIME_NS = "X-PhotoDesk::CTime-ns"


def thumbnail_root(environ: dict[str, str] | None = None, platform: str = sys.platform) -> Path:
    """The folder that holds the thumbnail cache on this platform.

    ``$XDG_CACHE_HOME/thumbnails``, or ``~/.cache/thumbnails`` when it is unset (shared
    with the desktop's file manager). Windows and macOS have no shared thumbnail cache:
    there it is Photo Desk's own, in the user's standard cache folder.
    """
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
    """The canonical URI the thumbnail standard hashes.

    It is absolute with no ``.`` or ``..`` left, the file name's bytes percent-encoded as
    GLib does.
    """
    raw = os.fsencode(os.path.abspath(path))
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
    mtime_ns: int = 0
    ctime_ns: int = 0

    @classmethod
    def of(cls, path: Path, root: Path | None = None) -> SourceInfo:
        """The file as it is now, asked of the opened file.

        It must be a regular file the user can read, beneath ``root`` when given.

        Raises:
            OSError: it cannot be opened, or is not a regular file (FileAccessError).
        """
        with open_regular(path, root) as stream:
            info = os.fstat(stream.fileno())
        ctime_ns = info.st_ctime_ns if os.name == "posix" else 0
        return cls(file_uri(path), int(info.st_mtime), info.st_size, info.st_mtime_ns, ctime_ns)

    @property
    def digest(self) -> str:
        """The MD5 of the URI: the thumbnail's file name."""
        return hashlib.md5(self.uri.encode("utf-8"), usedforsecurity=False).hexdigest()

    def is_fresh(self) -> bool:
        """Changed within the last moments: perhaps still being copied or written."""
        return time.time_ns() - self.mtime_ns < FRESH_SECONDS * 1e9


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
        """Where the thumbnail of ``source`` in ``size_class`` is, or would be, stored."""
        return self.root / size_class / f"{source.digest}.png"

    def lookup(self, source: SourceInfo, size_class: str) -> Image.Image | None:
        """The cached thumbnail if it is valid for this version of the file, else None."""
        return _read_valid(self.path_for(source, size_class), source)

    def has_failed(self, source: SourceInfo) -> bool:
        """True when this version of the file is already known not to thumbnail."""
        return _read_valid(self.fail_dir / f"{source.digest}.png", source) is not None

    def thumbnail(
        self,
        path: Path,
        size_class: str = "large",
        budget: int | None = None,
        root: Path | None = None,
    ) -> Image.Image:
        """The thumbnail of ``path`` (RGB or RGBA, longest side at most the class size).

        Reuses a valid cached one, otherwise decodes the file (within ``budget`` bytes;
        beneath ``root`` when given) and stores the result.

        Raises:
            OverBudgetError: decoding would take more than ``budget`` bytes.
            DecodeError: the file cannot be read or decoded (recorded in the fail folder
                when its bytes are at fault).
        """
        from PIL import Image  # noqa: PLC0415

        from viewer.imaging.pixels import DecodeError, load_display_image  # noqa: PLC0415

        try:
            source = SourceInfo.of(path, root)
        except FileAccessError as exc:
            raise DecodeError(path, exc.reason, lasting=False) from None
        except OSError as exc:
            reason = f"the file cannot be read ({exc.strerror or exc})"
            raise DecodeError(path, reason, lasting=False) from None
        cached = self.lookup(source, size_class)
        if cached is not None:
            return cached
        if self.has_failed(source):
            raise DecodeError(path, "this file could not be read before and has not changed")
        edge = SIZE_CLASSES[size_class]
        try:
            image = load_display_image(path, (edge, edge), budget, root)
        except DecodeError as exc:
            if exc.lasting and not source.is_fresh():
                failed = Image.new("RGBA", (1, 1))
                self._store(self.fail_dir / f"{source.digest}.png", failed, source)
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
        info.add_text(_MTIME_NS, str(source.mtime_ns))
        info.add_text(_CTIME_NS, str(source.ctime_ns))
        info.add_text("Software", self.software)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", pnginfo=info, compress_level=1)
        try:
            _private_folders(self.root, target.parent)
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


def _private_folders(root: Path, folder: Path) -> None:
    """Make ``folder`` and any missing folder above it up to ``root``, for the user alone.

    ``folder`` is beneath ``root``. Each folder made, ``root`` itself included, is
    readable by the user alone, as the standard asks; folders above ``root``, such as
    ``~/.cache``, are made as usual.
    """
    root.parent.mkdir(parents=True, exist_ok=True)
    missing = []
    current = folder
    while not current.is_dir():
        missing.append(current)
        if current in (root, current.parent):
            break
        current = current.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)


def _matches(text: dict[str, str], source: SourceInfo) -> bool:
    """Whether a thumbnail's keys describe this version of the file.

    ``Thumb::Size`` and our own nanosecond times are checked when the writer stored them.
    """
    if text.get("Thumb::URI") != source.uri or text.get("Thumb::MTime") != str(source.mtime):
        return False
    expected = {
        "Thumb::Size": source.size,
        _MTIME_NS: source.mtime_ns,
        _CTIME_NS: source.ctime_ns,
    }
    return all(text.get(key) in (None, str(value)) for key, value in expected.items())


def _read_valid(path: Path, source: SourceInfo) -> Image.Image | None:
    from PIL import Image  # noqa: PLC0415

    try:
        with open_regular(path) as stream, Image.open(stream) as image:
            text = getattr(image, "text", {})
            if not isinstance(text, dict) or not _matches(text, source):
                return None
            image.load()
            if image.mode not in ("RGB", "RGBA"):
                return image.convert("RGBA" if "A" in image.mode else "RGB")
            return image.copy()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
