"""Photo Desk's own error types: each names the file and the problem in plain words.

Everything the app expects to go wrong with a file it is given (a damaged image, an
unreadable metadata block, an invalid manifest, a decode that takes too long) is one of
these, so the window can show it as a message and carry on. Anything else reaching the
top is a bug: it is logged with its traceback and reported once (see viewer/ui/crash.py).
No Qt here: every layer may raise these.
"""

from __future__ import annotations


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
