"""Photo Desk's own error types: each names the file and the problem in plain words.

Everything the app expects to go wrong with a file it is given (a damaged image, an
unreadable metadata block, an invalid manifest, a decode that takes too long) is one of
these, so the window can show it as a message and carry on. Anything else reaching the
top is a bug: it is logged with its traceback and reported once (see viewer/ui/crash.py).
No Qt here: every layer may raise these.
"""

from __future__ import annotations

import re
from pathlib import Path

_SURROGATES = re.compile("[\ud800-\udfff]")


class PhotoDeskError(Exception):
    """A problem with something the user gave Photo Desk, described for a person."""


class TimeLimitError(PhotoDeskError):
    """Work on one file took longer than it may; the app stopped waiting for it."""

    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(
            f"{what}: took longer than {seconds:g} seconds, so Photo Desk stopped waiting "
            "(the file may be damaged, enormous, or made to be slow)"
        )
        self.what = what
        self.seconds = seconds

    def __reduce__(self) -> tuple[object, ...]:  # it crosses from worker processes
        return (TimeLimitError, (self.what, self.seconds))


class DecodeError(PhotoDeskError):
    """A file that cannot be turned into pixels.

    Attributes:
        path: the file.
        reason: what went wrong, in words a person understands.
        lasting: True when the file's own bytes are at fault, so reading the same bytes
            again would fail again (damaged, not an image); False for what may pass
            (missing, no permission, not enough memory, a file still being written).
    """

    def __init__(self, path: Path, reason: str, lasting: bool = True) -> None:
        super().__init__(f"{display_name(path.name)}: {reason}")
        self.path = path
        self.reason = reason
        self.lasting = lasting

    def __reduce__(self) -> tuple[object, ...]:  # it crosses from worker processes
        return (type(self), (self.path, self.reason, self.lasting))


class OverBudgetError(DecodeError):
    """Decoding would need more memory than the budget it was given.

    It is checked from the header, before any pixel is allocated.

    Attributes:
        needed: the bytes the decode would take at its peak.
        budget: the bytes it was allowed.
    """

    def __init__(self, path: Path, needed: int, budget: int) -> None:
        super().__init__(
            path,
            f"decoding it would take {_mib(needed)} of memory, more than the "
            f"{_mib(budget)} Photo Desk allows one picture",
            lasting=False,  # cheap to find out again, and a larger budget may come
        )
        self.needed = needed
        self.budget = budget

    def __reduce__(self) -> tuple[object, ...]:
        return (OverBudgetError, (self.path, self.needed, self.budget))


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def display_name(name: str) -> str:
    """A file name as text to show: bytes that were not UTF-8 become U+FFFD."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeError:  # a surrogate that stands for no byte
        return _SURROGATES.sub("\ufffd", name)
    return _SURROGATES.sub("\ufffd", raw.decode("utf-8", "replace"))
