"""When each photo was taken, fast enough to sort a folder by it (no Qt).

Only the EXIF header is read (a millisecond a file); the date is parsed by the same
function the detail pane's date goes through (:func:`viewer.metadata.exif.parse_date`),
so the two never read one date two ways.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from viewer.fileaccess import open_regular
from viewer.formats import header_exif, register_formats_for_stream
from viewer.metadata.exif import parse_date

_EXIF_IFD = 0x8769
_DATE_TIME_ORIGINAL = 0x9003


def date_taken_or_file_time(path: Path) -> dt.datetime:
    """EXIF DateTimeOriginal (read from the header only), else the file's modification time.

    A file that cannot be read at all sorts first (the earliest possible time).
    """
    from PIL import Image  # noqa: PLC0415 - loaded in the worker that sorts

    try:
        with open_regular(path) as stream:
            register_formats_for_stream(stream)
            with Image.open(stream) as image:
                raw = header_exif(image).get_ifd(_EXIF_IFD).get(_DATE_TIME_ORIGINAL)
        taken = parse_date(raw) if isinstance(raw, str) else None
        if taken is not None:
            return taken
    except Exception:  # no EXIF, odd dates, broken files: fall back to the file time
        pass
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return dt.datetime.min


def dates_taken(paths: Iterable[Path]) -> dict[Path, dt.datetime]:
    """:func:`date_taken_or_file_time` for each path."""
    return {path: date_taken_or_file_time(path) for path in paths}
