"""Image formats beyond Pillow's own: HEIC/HEIF and AVIF through pillow-heif.

Called by every layer that opens images with Pillow (metadata and imaging) before it
does so. Registration is a memo: the first call registers, later calls return at once.
"""

from __future__ import annotations

import functools


@functools.cache
def register_extra_formats() -> bool:
    """Teach Pillow to open HEIC, HEIF and AVIF; False when pillow-heif is unavailable."""
    try:
        import pillow_heif  # noqa: PLC0415 - only when images are opened
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True
