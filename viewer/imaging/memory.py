"""Memory: the budgets decodes are held to, and giving freed buffers back (glibc only).

Decoding a photo for the screen allocates and frees tens of megabytes in a worker
thread. glibc keeps such freed memory in the thread's arena, so the process's resident
size ratchets up with every photo viewed although nothing is in use. Measured on the
bundled story at 1400 x 900: 105 MiB resident when idle, 91 MiB after a trim.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

LARGE_DECODE_PIXELS = 1_000_000  # below this a decode's garbage is not worth a trim

# The most memory one decode may take, checked from the file's header before anything is
# allocated (a 24-MP JPEG decoded whole takes 96 MiB). A decode that needs more waits for
# the large-decode lane (viewer.isolation), which takes one at a time, up to the large
# budget: so two workers and the window stay under a gigabyte together.
DECODE_BUDGET = 160 * 2**20
LARGE_DECODE_BUDGET = 448 * 2**20


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """Glibc's malloc_trim, looked up once (a pure lookup, not mutable state)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # noqa: PLC0415 - loaded with the first trim, not with the window

    try:
        libc = ctypes.CDLL(None)  # the symbols already loaded into this process: its libc
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
