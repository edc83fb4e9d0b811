"""The app's workers in one place.

The task runner, the worker processes, the order work is done in, and how long any of it may take.

:class:`Workers` is built once, in :mod:`viewer.app` (the first worker process starts
before Qt is even loaded), and handed to everything that needs work done off the GUI
thread. Closing it stops every worker process at once and waits for the threads only
briefly: nothing that reads a file can make closing wait.
"""

from __future__ import annotations

import dataclasses
import os
from enum import IntEnum

from PySide6.QtCore import QObject

from viewer.isolation import ProcessPool
from viewer.ui.tasks import TaskRunner

# How long closing waits for the app's own threads once the worker processes are gone.
CLOSE_WAIT_MS = 300


class Priority(IntEnum):
    """Which work leaves the queue first (higher first)."""

    BACKGROUND = -2  # thumbnails of the rest of the gallery, a few at a time
    FIND = -1  # what the files say, read for Find
    VISIBLE = 1  # thumbnails in view
    NEIGHBOUR = 2  # the photos either side of the current one, animations
    CURRENT = 3  # the photo on screen and its metadata, listing a folder, a manifest
    PREVIEW = 4  # embedded EXIF previews: a millisecond each, so tiles fill at once


@dataclasses.dataclass(frozen=True)
class TimeLimits:
    """Seconds each kind of work may take before the file is shown as an error."""

    file: float = 5.0  # one file's decode, thumbnail or metadata read

    @property
    def full_resolution(self) -> float:
        """A decode of every pixel (for 100% zoom)."""
        return 3 * self.file

    @property
    def animation(self) -> float:
        """Every frame of an animation."""
        return 3 * self.file

    def batch(self, files: int) -> float:
        """Work on ``files`` files at once (Find's metadata, sorting by date)."""
        return self.file * 2 + 0.02 * files


class Workers(QObject):
    """The runner (threads of this process) and the pool (worker processes) together.

    Attributes:
        runner: runs functions in threads and delivers results on the GUI thread.
        pool: the worker processes every read of a user's file goes to.
        limits: the time limits.
    """

    def __init__(
        self,
        limits: TimeLimits | None = None,
        pool: ProcessPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Workers with ``limits`` (the defaults when None).

        ``pool`` if one was started already (app.py starts it before loading Qt), else a new one,
        started now.
        """
        super().__init__(parent)
        self.limits = limits or TimeLimits()
        self.runner = TaskRunner(self)
        if pool is None:
            pool = ProcessPool(self.runner.thread_count(), self.limits.file, warm=True)
        self.pool = pool
        self._closed = False

    @staticmethod
    def pool_size() -> int:
        """How many worker processes at most: one per core, at least two."""
        return max(2, os.cpu_count() or 2)

    def is_idle(self) -> bool:
        """True when no task is queued, running or waiting to be delivered."""
        return self.runner.is_idle()

    def close(self) -> bool:
        """Stop everything; False when a thread is still stuck.

        Worker processes stop at once (a busy one is killed), queued tasks are dropped, running
        threads get :data:`CLOSE_WAIT_MS`. A thread still stuck (on a stalled disk, say) means the
        process should exit without waiting.
        """
        if self._closed:
            return True
        self._closed = True
        self.pool.close()
        return self.runner.shutdown(CLOSE_WAIT_MS)
