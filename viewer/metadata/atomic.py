"""Replacing a file so that a kill at any moment leaves the old file or the new one.

The flow for one file:

1. the new bytes go to a temporary file beside it, ``.NAME.photodesk.tmp`` (hidden, so
   no folder listing of Photo Desk's takes it for a photo; :func:`temporary_for`), which
   is locked while it is written, so two writers of one photo never share it;
2. they are flushed to the disk (fsync) and read back from it: what reads back must be
   what was meant;
3. the caller's check runs on the temporary file (the photo's reader, for a photo);
4. the file being replaced must still be the one that was read (same inode, size,
   modification and change times): a file changed meanwhile is left alone;
5. the temporary file takes the old file's permissions (and owner, where allowed) and
   is renamed over it, an atomic step; the folder is flushed too, so the rename
   survives a power cut.

A temporary file left by a killed run is reused (and so cleaned) by the next write of
the same file, and :func:`clean_stale_temporaries` removes those of a folder that no
running writer holds. No Qt here.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from viewer.errors import PhotoDeskError
from viewer.fileaccess import current_umask, display_name

_flock: Callable[[int, int], None] | None
try:
    import fcntl

    _flock = fcntl.flock
    _EXCLUSIVE = fcntl.LOCK_EX | fcntl.LOCK_NB
except ImportError:  # Windows: the temporary file is created exclusively instead
    _flock, _EXCLUSIVE = None, 0

TEMPORARY_PREFIX = "."
TEMPORARY_SUFFIX = ".photodesk.tmp"
_WRITE_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_WRITE_FLAGS |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


class ReplaceError(PhotoDeskError, OSError):
    """A file that was not replaced; the message says why, and it was left as it was."""


class BusyError(ReplaceError):
    """Another writer is writing the same file right now."""


class ChangedError(ReplaceError):
    """The file changed (or appeared) after it was read."""


@dataclass(frozen=True)
class Identity:
    """What tells that a file is still the one that was read."""

    device: int
    inode: int
    size: int
    modified_ns: int
    changed_ns: int

    @classmethod
    def of(cls, status: os.stat_result) -> Identity:
        """The identity of a ``stat`` result."""
        return cls(
            status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns
        )


def temporary_for(target: Path) -> Path:
    """The temporary file a replacement of ``target`` is written to."""
    return target.with_name(f"{TEMPORARY_PREFIX}{target.name}{TEMPORARY_SUFFIX}")


def target_of(temporary: Path) -> Path | None:
    """The file a temporary file of ours will replace; None for any other name."""
    name = temporary.name
    if not (name.startswith(TEMPORARY_PREFIX) and name.endswith(TEMPORARY_SUFFIX)):
        return None
    inner = name[len(TEMPORARY_PREFIX) : -len(TEMPORARY_SUFFIX)]
    return temporary.with_name(inner) if inner else None


def replace_file(
    target: Path,
    data: bytes,
    *,
    expected: Identity | None,
    mode: int | None = None,
    owner: tuple[int, int] | None = None,
    check: Callable[[Path], None] | None = None,
) -> None:
    """Replace ``target`` by ``data`` (see the module's description).

    ``expected`` is the identity of the file that was read; None when ``target`` must
    not exist yet. ``mode`` defaults to what the umask gives a new file. ``check``
    raises to stop the replacement; its exception is raised here, the target untouched.

    Raises:
        BusyError: another writer holds the temporary file.
        ChangedError: the target changed, or appeared, after it was read.
        ReplaceError: what was written does not read back the same.
        OSError: the disk said no (no space, no permission, read-only...).
    """
    temporary = temporary_for(target)
    fd = _open_locked(temporary, target)
    try:
        os.ftruncate(fd, 0)
        _write_all(fd, data)
        os.fsync(fd)
        if _read_back(fd, len(data)) != data:
            raise ReplaceError(
                f"{display_name(target.name)}: what was written reads back differently"
            )
        _set_mode(fd, temporary, mode if mode is not None else 0o666 & ~current_umask())
        if owner is not None and hasattr(os, "fchown"):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.fchown(fd, *owner)
        if check is not None:
            check(temporary)
        _check_unchanged(target, expected)
        os.replace(temporary, target)
    except BaseException:
        _remove_if_ours(temporary, fd)
        raise
    finally:
        os.close(fd)
    sync_folder(target.parent)


def write_own_file(target: Path, data: bytes) -> None:
    """Replace one of Photo Desk's own files (a template, a setting) whatever it holds now.

    It keeps the old file's permissions, or gets the umask's.

    Raises:
        OSError: the disk said no.
    """
    try:
        status = os.stat(target)
    except FileNotFoundError:
        mode, expected = None, None
    else:
        mode, expected = stat.S_IMODE(status.st_mode), Identity.of(status)
    replace_file(target, data, expected=expected, mode=mode)


def _open_locked(temporary: Path, target: Path) -> int:
    busy = f"{display_name(target.name)}: another Photo Desk is writing it right now"
    flags = _WRITE_FLAGS if _flock is not None else _WRITE_FLAGS | os.O_EXCL
    try:
        fd = os.open(temporary, flags, 0o600)
    except FileExistsError:
        raise BusyError(busy) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ReplaceError(f"{display_name(temporary.name)} is in the way and is not a file")
        if _flock is not None:
            try:
                _flock(fd, _EXCLUSIVE)
            except BlockingIOError:
                raise BusyError(busy) from None
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_back(fd: int, size: int) -> bytes:
    chunks = []
    offset = 0
    while offset < size:
        chunk = _pread(fd, min(size - offset, 1 << 24), offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks) + _pread(fd, 1, offset)


def _pread(fd: int, size: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows has no pread
    return os.read(fd, size)


def _set_mode(fd: int, path: Path, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:
        os.chmod(path, mode)  # Windows before Python 3.13: by name


def _check_unchanged(target: Path, expected: Identity | None) -> None:
    try:
        now: Identity | None = Identity.of(os.stat(target))
    except FileNotFoundError:
        now = None
    if now != expected:
        what = "appeared" if expected is None else "changed or was replaced"
        raise ChangedError(
            f"{display_name(target.name)} {what} while Photo Desk was writing it; "
            "it was left as it is now"
        )


def _remove_if_ours(temporary: Path, fd: int) -> None:
    with contextlib.suppress(OSError):
        if os.path.samestat(os.stat(temporary, follow_symlinks=False), os.fstat(fd)):
            os.unlink(temporary)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries to the disk (where the system allows it)."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return  # Windows cannot open folders; its renames are journalled
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def clean_stale_temporaries(folder: Path) -> int:
    """Remove the temporary files of writes that were killed; how many were removed.

    A temporary file is removed only when no writer holds its lock (where locks exist).
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        path = Path(entry.path)
        if target_of(path) is None or not entry.is_file(follow_symlinks=False):
            continue
        if _flock is None:
            continue  # no way to tell a live writer's file from a dead one's
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            _flock(fd, _EXCLUSIVE)
            _remove_if_ours(path, fd)
            removed += 1
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed
