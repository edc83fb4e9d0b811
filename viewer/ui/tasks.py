"""Run functions in a thread pool and deliver their results on the GUI thread.

A caller submits a function with a key and a generation number captured on the GUI
thread. The function runs in a worker; its return value (or the exception it raised)
comes back through a queued signal as a :class:`TaskResult`, and the caller's callback
runs on the GUI thread, where it compares key and generation with what it currently
shows and drops anything stale.

A task may have a time limit. Threads cannot be stopped from outside, so a task that
overruns is *abandoned*: its caller gets a :class:`~viewer.errors.TimeLimitError` at once
(the file shows as an error tile), the pool gets one more thread so the files behind it
carry on, and whatever the task returns later is dropped. Exceptions that are not the
project's own error types are bugs: they are logged with their traceback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from viewer.errors import PhotoDeskError, TimeLimitError

LOG = logging.getLogger("photodesk")
WATCH_INTERVAL_MS = 100
MAX_EXTRA_THREADS = 8  # threads added for abandoned tasks, at most


# A task is abandoned this long after its limit: work in a worker process is stopped at
# the limit itself and answers first; this catches what runs in the thread.
WATCHDOG_GRACE = 0.5


@dataclass(frozen=True)
class TaskResult:
    """What a finished task produced.

    Attributes:
        key: identifies what the task was for (usually a file path).
        generation: the caller's counter when the task was submitted.
        value: the function's return value, or None if it raised.
        error: the exception the function raised, or None.
    """

    key: str
    generation: int
    value: Any
    error: BaseException | None


Callback = Callable[[TaskResult], None]


class _Relay(QObject):
    """Lives on the GUI thread; its signal carries results across threads (queued)."""

    finished = Signal(object, object)  # Task, TaskResult


class Task(QRunnable):
    """One function call, run in the pool, its result relayed to the GUI thread."""

    def __init__(
        self,
        relay: _Relay,
        callback: Callback,
        key: str,
        generation: int,
        function: Callable[..., Any],
        args: tuple[Any, ...],
        time_limit: float | None = None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps a reference until the result is delivered
        self._relay = relay
        self.callback = callback
        self.key, self.generation = key, generation
        self._function, self._args = function, args
        self.time_limit = time_limit
        self.started: float | None = None  # set by the worker thread when it begins
        self.abandoned = False
        self.grew_pool = False

    def run(self) -> None:
        """Call the function in a pool thread; send the result (or the error) back."""
        self.started = time.monotonic()
        try:
            result = TaskResult(self.key, self.generation, self._function(*self._args), None)
        except Exception as exc:  # delivered to the caller, who shows it
            if not isinstance(exc, PhotoDeskError | OSError):
                LOG.error("unexpected error in a worker (%s)", self.key, exc_info=exc)
            result = TaskResult(self.key, self.generation, None, exc)
        self._relay.finished.emit(self, result)


class TaskRunner(QObject):
    """Owns a thread pool; stop it with :meth:`shutdown` before its owner goes away.

    Signals:
        idle(): the last pending task was delivered (nothing queued, running or waiting).
    """

    idle = Signal()

    def __init__(self, parent: QObject | None = None, max_threads: int | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        if max_threads is not None:
            self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_relay_finished)
        self._pending: set[Task] = set()
        self._closed = False
        self._extra_threads = 0
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(WATCH_INTERVAL_MS)
        self._watchdog.timeout.connect(self._on_watchdog_timeout)

    def submit(
        self,
        callback: Callback,
        key: str,
        generation: int,
        function: Callable[..., Any],
        *args: Any,
        priority: int = 0,
        time_limit: float | None = None,
    ) -> Task | None:
        """Run ``function(*args)`` in the pool; ``callback`` gets the result on this thread.

        Tasks with a higher ``priority`` leave the queue first. A task running longer
        than ``time_limit`` seconds is abandoned (see the module's docstring).
        """
        if self._closed:
            return None
        task = Task(self._relay, callback, key, generation, function, args, time_limit)
        self._pending.add(task)
        self._pool.start(task, priority)
        if time_limit is not None and not self._watchdog.isActive():
            self._watchdog.start()
        return task

    def cancel(self, task: Task | None) -> bool:
        """Drop ``task`` if it has not started yet; True when it was dropped."""
        if task is not None and task in self._pending and self._pool.tryTake(task):
            self._pending.discard(task)
            return True
        return False

    def pending_count(self) -> int:
        """Tasks queued, running, or waiting to be delivered."""
        return len(self._pending)

    def is_idle(self) -> bool:
        """True when no task is queued, running, or waiting to be delivered."""
        return not self._pending

    def wait_for_done(self, msecs: int = 30_000) -> bool:
        """Block until the pool has finished its tasks (results may still be queued)."""
        return bool(self._pool.waitForDone(msecs))

    def thread_count(self) -> int:
        """How many tasks run at once."""
        return int(self._pool.maxThreadCount())

    def abandoned_count(self) -> int:
        """Tasks given up on for their time limit that are still running."""
        return sum(1 for task in self._pending if task.abandoned)

    def shutdown(self, wait_ms: int = -1) -> bool:
        """Drop queued tasks, deliver nothing more, and wait for running ones a while.

        At most ``wait_ms`` (-1: for as long as they take). False when some are still running (stuck
        on a file): the process should not wait for them to exit.
        """
        self._closed = True
        self._watchdog.stop()
        self._pool.clear()
        done = bool(self._pool.waitForDone(wait_ms))
        self._pending.clear()
        return done

    def _on_watchdog_timeout(self) -> None:
        now = time.monotonic()
        limited = False
        for task in list(self._pending):
            if task.time_limit is None or task.abandoned:
                continue
            limited = True
            started = task.started
            if started is None or now - started <= task.time_limit + WATCHDOG_GRACE:
                continue
            task.abandoned = True
            if self._extra_threads < MAX_EXTRA_THREADS:
                self._extra_threads += 1
                task.grew_pool = True
                self._pool.setMaxThreadCount(self._pool.maxThreadCount() + 1)
            LOG.warning("gave up waiting for %s after %g s", task.key, task.time_limit)
            error = TimeLimitError(Path(task.key).name or task.key, task.time_limit)
            if not self._closed:
                task.callback(TaskResult(task.key, task.generation, None, error))
        if not limited:
            self._watchdog.stop()

    @Slot(object, object)
    def _on_relay_finished(self, task: Task, result: TaskResult) -> None:
        self._pending.discard(task)
        if task.grew_pool:
            self._extra_threads -= 1
            self._pool.setMaxThreadCount(self._pool.maxThreadCount() - 1)
        if task.abandoned:
            LOG.info("%s finished after its time limit; its result was dropped", task.key)
        elif not self._closed:
            task.callback(result)
        if not self._pending and not self._closed:
            self.idle.emit()
