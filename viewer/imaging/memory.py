"""Give freed decode buffers back to the operating system (glibc only; elsewhere a no-op).

Decoding a photo for the screen allocates and frees tens of megabytes in a worker
thread. glibc keeps such freed memory in the thread's arena, so the process's resident
size ratchets up with every photo viewed although nothing is in use. Measured on the
bundled story at 1400 x 900: 105 MiB resident when idle, 91 MiB after a trim.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable

LARGE_DECODE_PIXELS = 1_000_000  # below this a decode's garbage is not worth a trim


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, looked up once (a pure lookup, not mutable state)."""
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> None:
    """Return memory the allocator holds but nothing uses (a few milliseconds)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
