"""Opening the user's files: regular files only, never a hang, confined when asked.

Every layer that reads a photo, a manifest or a thumbnail opens it through
:func:`open_regular`, so the rules live in one place:

1. open without blocking (``O_NONBLOCK``): a FIFO named ``p.jpg`` would otherwise wait for
   a writer for ever, a device could stream without end;
2. look at what was opened (``fstat`` on the descriptor, not the name): anything but a
   regular file is refused, whatever its name says;
3. when a ``root`` is given (a gallery's folder), check where the opened descriptor really
   is: a file swapped for a link to somewhere else after the gallery was checked is
   refused, because the check is made on what was opened, not on a name that can change;
4. hand back an ordinary buffered file in blocking mode.

Names that are not valid UTF-8 keep their real bytes for opening; :func:`display_name`
gives the text to show or write (undecodable bytes as U+FFFD). No Qt here.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from viewer import errors
from viewer.errors import PhotoDeskError

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_FLAGS |= getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_SURROGATES = re.compile("[\ud800-\udfff]")
_F_GETPATH = 50  # macOS fcntl: the path of an open descriptor


class FileAccessError(PhotoDeskError, OSError):
    """A file Photo Desk will not read, with the reason in words.

    An ``OSError`` too, so code that treats an unreadable file as absent keeps doing so.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{display_name(path)}: {reason}")
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{display_name(self.path)}: {self.reason}"

    def __reduce__(self) -> tuple[object, ...]:  # it crosses from worker processes
        return (type(self), (self.path, self.reason))


class NotRegularFileError(FileAccessError):
    """A FIFO, socket, device or folder where a file was expected."""


class OutsideGalleryError(FileAccessError):
    """A gallery's file that now leads outside the gallery's folder."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def open_regular(path: Path, root: Path | None = None) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file (inside ``root`` when given).

    Raises:
        NotRegularFileError: it is a FIFO, socket, device or folder.
        OutsideGalleryError: with ``root`` (a real path, links resolved), the file
            opened is not beneath it.
        OSError: it cannot be opened (missing, no permission...).
    """
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        if exc.errno is not None and os.path.isdir(path):
            raise NotRegularFileError(path, "this is a folder, not a file") from None
        if exc.errno == errno.ENXIO:  # a socket (or a device with nothing behind it)
            raise NotRegularFileError(path, "this is a socket or device, not a file") from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(path, f"this is {kind_of(mode)}, not a file")
        if root is not None:
            _check_inside(fd, path, root)
        if _FLAGS & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, limit: int, root: Path | None = None) -> bytes:
    """At most ``limit`` bytes from the start of a regular file (see :func:`open_regular`)."""
    with open_regular(path, root) as stream:
        return stream.read(limit)


def _check_inside(fd: int, path: Path, root: Path) -> None:
    """Refuse a descriptor whose file is not beneath ``root``.

    The check is made on the descriptor, so a name swapped for a link after any earlier
    check cannot lead elsewhere.

    ``root`` is the folder's real path as it was when the gallery was checked; it is not
    resolved again, so a folder swapped for a link is caught too.
    """
    real_root = root
    opened = _descriptor_path(fd)
    if opened is None:
        # No way to ask the descriptor (Windows): the name, resolved now, must be the
        # same file as the one opened.
        resolved = Path(os.path.realpath(path))
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(resolved))
        except OSError:
            same = False
        if same and resolved.is_relative_to(real_root):
            return
    elif opened.is_relative_to(real_root):
        return
    raise OutsideGalleryError(path, "this file now leads outside the gallery's folder")


def _descriptor_path(fd: int, platform: str = sys.platform) -> Path | None:
    """Where an open descriptor's file is, asked of the system; None where it cannot say."""
    if platform.startswith("linux"):
        try:
            return Path(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            return None
    if platform == "darwin":
        import fcntl  # noqa: PLC0415 - macOS only

        try:
            raw = fcntl.fcntl(fd, _F_GETPATH, b"\0" * 1024)
        except OSError:
            return None
        return Path(os.fsdecode(raw.split(b"\0", 1)[0]))
    return None


def is_regular_file(path: Path) -> bool:
    """True for a regular file (following links); never opens it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def display_name(path: Path | str) -> str:
    """A path as text to show or write: bytes that are not UTF-8 become U+FFFD."""
    return errors.display_name(os.fspath(path))


def printable(text: str) -> str:
    """``text`` without lone surrogates (they cannot be written as UTF-8): U+FFFD instead."""
    return _SURROGATES.sub("\ufffd", text)


def current_umask() -> int:
    """The process's umask.

    It is read without changing it where the system can tell (Linux); elsewhere it is set
    and restored at once.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask
