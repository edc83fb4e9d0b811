"""Run functions in a thread pool and deliver their results on the GUI thread.

A caller submits a function with a key and a generation number captured on the GUI
thread. The function runs in a worker; its return value (or the exception it raised)
comes back through a queued signal as a :class:`TaskResult`, and the caller's callback
runs on the GUI thread, where it compares key and generation with what it currently
shows and drops anything stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


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
    def __init__(
        self,
        relay: _Relay,
        callback: Callback,
        key: str,
        generation: int,
        function: Callable[..., Any],
        args: tuple[Any, ...],
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps a reference until the result is delivered
        self._relay = relay
        self.callback = callback
        self._key, self._generation = key, generation
        self._function, self._args = function, args

    def run(self) -> None:
        try:
            result = TaskResult(self._key, self._generation, self._function(*self._args), None)
        except Exception as exc:  # delivered to the caller, who shows it
            result = TaskResult(self._key, self._generation, None, exc)
        self._relay.finished.emit(self, result)


class TaskRunner(QObject):
    """Owns a thread pool; stop it with :meth:`shutdown` before its owner goes away."""

    def __init__(self, parent: QObject | None = None, max_threads: int | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        if max_threads is not None:
            self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_relay_finished)
        self._pending: set[Task] = set()
        self._closed = False

    def submit(
        self,
        callback: Callback,
        key: str,
        generation: int,
        function: Callable[..., Any],
        *args: Any,
        priority: int = 0,
    ) -> Task | None:
        """Run ``function(*args)`` in the pool; ``callback`` gets the result on this thread.

        Tasks with a higher ``priority`` leave the queue first.
        """
        if self._closed:
            return None
        task = Task(self._relay, callback, key, generation, function, args)
        self._pending.add(task)
        self._pool.start(task, priority)
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

    def shutdown(self) -> None:
        """Drop queued tasks, wait for running ones, and deliver nothing more."""
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone()
        self._pending.clear()

    @Slot(object, object)
    def _on_relay_finished(self, task: Task, result: TaskResult) -> None:
        self._pending.discard(task)
        if not self._closed:
            task.callback(result)
