"""Work on users' files in worker processes, so that no file can hang, crash or flood the app.

A thread of the app hands a function and its arguments to an idle worker process and
waits for the answer at most ``time_limit`` seconds. A worker that overruns is killed
and replaced (a decoder caught in a loop stops using the CPU at once); one that dies (a
decoder's crash in C) is replaced too, and the file is reported as the cause.
Everything else, results and the project's own errors, comes back as it would from a
direct call.

The first worker is started as the app starts (:meth:`ProcessPool.start`), in parallel
with Qt, so that even the first photo is read in a worker; a second one only when work
waits for a free worker. A worker left idle for ``idle_limit`` seconds stops, and gives
its memory back; the next piece of work starts one again. How a worker is started and
talks is :mod:`viewer.worker_process`. Decoding is held to a memory budget checked from
the file's header; a picture that needs more waits for the large-decode lane, which lets
one such decode run at a time (:meth:`ProcessPool.call_within_budget`). No Qt here.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from viewer.errors import OverBudgetError, PhotoDeskError, TimeLimitError
from viewer.imaging.memory import DECODE_BUDGET, LARGE_DECODE_BUDGET
from viewer.worker_process import Worker

LOG = logging.getLogger("photodesk")

# What a worker loads before its first task: the first photo needs Pillow and the
# decoder. The worker started with the app loads the metadata readers too, while the
# window is being built (the first photo's details would otherwise wait for them);
# a worker started later loads them with its first metadata request.
PRELOAD = ("PIL.Image", "PIL.JpegImagePlugin", "viewer.imaging.pixels")
FIRST_PRELOAD = ("viewer.metadata.reader", "exifread", "defusedxml.ElementTree")
START_LIMIT = 30.0  # seconds a new worker may take to be ready (a cold disk, a slow CI)
IDLE_LIMIT = 3.0  # seconds an idle worker is kept before it stops and frees its memory


def preload(names: Sequence[str] = PRELOAD) -> None:
    """Import what the first task needs (run in a worker)."""
    for name in names:
        importlib.import_module(name)


class WorkerCrashError(PhotoDeskError):
    """The process reading a file died: the file most likely crashed its decoder."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}: reading this file made the decoder stop unexpectedly")
        self.what = what

    def __reduce__(self) -> tuple[Any, ...]:
        return (WorkerCrashError, (self.what,))


class ClosingError(PhotoDeskError):
    """The pool was closed (the app is quitting) before the work could be done."""

    def __init__(self) -> None:
        super().__init__("Photo Desk is closing")

    def __reduce__(self) -> tuple[Any, ...]:
        return (ClosingError, ())


class ProcessPool:
    """Up to ``size`` worker processes, shared by the threads of the app's task runner.

    Owners call :meth:`close` when they go away; it stops every worker at once.
    """

    def __init__(
        self,
        size: int,
        time_limit: float,
        *,
        warm: bool = False,
        preload_modules: Sequence[str] = PRELOAD,
        idle_limit: float | None = IDLE_LIMIT,
    ) -> None:
        """A pool of ``size`` workers at most.

        Each call is bounded by ``time_limit`` seconds unless it says otherwise. ``warm``
        starts the first worker at once (see :meth:`start`). Each worker imports
        ``preload_modules`` before its first task, and stops once it has been idle for
        ``idle_limit`` seconds (None: never).
        """
        self.size = max(1, size)
        self.idle_limit = idle_limit
        self._reaper: threading.Thread | None = None
        self._preload = tuple(preload_modules)
        self.time_limit = time_limit
        self._context: Any = None  # multiprocessing is loaded with the first worker
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()  # starting, idle and busy: closing stops them all
        self._starting = 0
        self._ready = False  # a worker has started and answered
        self._failed = False  # workers cannot start here: work runs in the caller's thread
        self._closed = False
        self._changed = threading.Condition()
        self._large_lane = threading.Semaphore(1)
        self.replaced = 0  # workers killed or lost, for tests and the log
        self.retired = 0  # workers stopped for having nothing to do, for tests and the bench
        if warm:
            self.start()

    # --- starting -----------------------------------------------------------------------

    def start(self) -> None:
        """Start the first worker now, in the background.

        It loads the decoder while the app builds its window. Calling it again does
        nothing.
        """
        with self._changed:
            if self._all or self._starting or self._closed:
                return
            self._begin_start(first=True)

    def warm_up(self) -> None:
        """Same as :meth:`start` (kept for callers that warm the pool up later)."""
        self.start()

    def is_ready(self) -> bool:
        """True once a worker has started and answered."""
        return self._ready

    def workers_running(self) -> int:
        """How many worker processes are alive or starting (for tests and the bench)."""
        with self._changed:
            return len(self._all) + self._starting

    def worker_ids(self) -> list[int]:
        """The process ids of the workers running now (for tests and the bench)."""
        with self._changed:
            return [pid for pid in (worker.pid for worker in self._all) if pid is not None]

    def _begin_start(self, *, first: bool = False) -> None:
        """Start one more worker in a thread (called with the lock held).

        The ``first``, started with the app, loads :data:`FIRST_PRELOAD` too.
        """
        self._starting += 1
        modules = self._preload + (FIRST_PRELOAD if first else ())
        starter = threading.Thread(
            target=self._start_worker, args=(modules,), name="photodesk-start", daemon=True
        )
        starter.start()

    def _start_worker(self, modules: tuple[str, ...]) -> None:
        worker, problem = self._launch(modules)
        if problem and not self._closed:
            # Said before anyone waiting is woken: they may report it.
            LOG.error("a worker process could not start: %s", problem)
        with self._changed:
            started = worker is not None and not problem and not self._closed
            if started and worker is not None:
                self._ready = True
                self._make_idle(worker)
            elif worker is not None:
                self._all.discard(worker)
            if problem and not self._closed and not self._ready:
                self._failed = True  # carry on in threads, each function within its budget
        if worker is not None and not started:
            worker.stop()  # before this start counts as finished: close() waits for it
        with self._changed:
            self._starting -= 1
            self._changed.notify_all()

    def _launch(self, modules: tuple[str, ...]) -> tuple[Worker | None, str]:
        """A new worker that has loaded what it needs, or what went wrong."""
        worker: Worker | None = None
        try:
            worker = Worker(self._spawner())
            with self._changed:
                if self._closed:
                    return worker, ""
                self._all.add(worker)
            reply = worker.ask(preload, (modules,), {}, START_LIMIT)
        except Exception as exc:  # spawning can fail in many ways; none may hang callers
            return worker, f"the process ended ({type(exc).__name__}: {str(exc).strip()})"
        if reply is None:
            return worker, f"it did not start within {START_LIMIT:g} s"
        if reply[0] != "ok":
            return worker, repr(reply[1][0])
        return worker, ""

    def _spawner(self) -> Any:
        """None where workers start as plain child processes; else multiprocessing's spawn.

        Never a fork: a fork of a process running Qt's threads can inherit a held lock; the
        fork server would talk over a Unix socket, and Photo Desk opens no socket of any
        kind.
        """
        if os.name != "nt":
            return None
        with self._changed:
            if self._context is None:
                import multiprocessing  # noqa: PLC0415 - not before the first worker

                self._context = multiprocessing.get_context("spawn")
            return self._context

    # --- calling ------------------------------------------------------------------------

    def call(
        self,
        what: str,
        function: Callable[..., Any],
        *args: Any,
        time_limit: float | None = None,
        **kwargs: Any,
    ) -> Any:
        """``function(*args, **kwargs)`` in a worker; its result, or its exception raised here.

        Waits for a free worker (starting a second one when all are busy); the time limit
        counts from the moment the worker has the task.

        Raises:
            TimeLimitError: it took longer than ``time_limit`` (the pool's by default).
            WorkerCrashError: the worker died while running it.
            ClosingError: the pool is closed.
        """
        worker = self._acquire()
        if worker is None:
            return function(*args, **kwargs)  # no worker could start: here, in this thread
        limit = self.time_limit if time_limit is None else time_limit
        try:
            reply = worker.ask(function, args, kwargs, limit)
            if reply is None:
                self._discard(worker, f"{what}: killed after {limit:g} s")
                raise TimeLimitError(what, limit)
        except (EOFError, OSError) as exc:
            if self._closed:  # stopped by close(), not by the file
                raise ClosingError from None
            self._discard(worker, f"{what}: the worker died ({type(exc).__name__})")
            raise WorkerCrashError(what) from None
        self._release(worker)
        status, value = reply
        if status == "ok":
            return value
        error, trace = value
        if not isinstance(error, PhotoDeskError | OSError):
            LOG.error("unexpected error in a worker process (%s)\n%s", what, trace)
        raise error

    def call_within_budget(
        self,
        what: str,
        function: Callable[..., Any],
        *args: Any,
        time_limit: float | None = None,
        **kwargs: Any,
    ) -> Any:
        """:meth:`call` for a function that decodes within ``budget=`` bytes.

        It is tried with the everyday budget. A picture that needs more, up to the large
        budget, waits for the large-decode lane and is decoded there, one at a time.

        Raises:
            OverBudgetError: even the large budget is not enough.
        """
        try:
            return self.call(what, function, *args, time_limit=time_limit,
                             budget=DECODE_BUDGET, **kwargs)  # fmt: skip
        except OverBudgetError as exc:
            if exc.needed > LARGE_DECODE_BUDGET:
                raise OverBudgetError(exc.path, exc.needed, LARGE_DECODE_BUDGET) from None
        with self._large_lane:
            return self.call(what, function, *args, time_limit=time_limit,
                             budget=LARGE_DECODE_BUDGET, **kwargs)  # fmt: skip

    def close(self) -> None:
        """Stop every worker, busy ones too; calls after this raise ClosingError.

        The callers of busy workers get ClosingError. Workers hold nothing worth waiting
        for (the thumbnail cache is written by rename), so they are killed at once.
        """
        with self._changed:
            self._closed = True
            workers, self._all, self._idle = set(self._all), set(), []
            self._changed.notify_all()
        for worker in workers:
            worker.stop()
        with self._changed:
            # A worker being spawned right now is not known yet: its starter stops it.
            self._changed.wait_for(lambda: self._starting == 0, timeout=START_LIMIT)

    def _acquire(self) -> Worker | None:
        """An idle worker; None when workers cannot start here (run in the caller)."""
        with self._changed:
            while True:
                if self._closed:
                    raise ClosingError
                if self._idle:
                    return self._idle.pop()
                if self._failed:
                    return None
                if len(self._all) + self._starting < self.size:
                    self._begin_start()
                self._changed.wait()

    def _release(self, worker: Worker) -> None:
        with self._changed:
            closing = self._closed
            if not closing:
                self._make_idle(worker)
                self._changed.notify_all()
        if closing:
            worker.stop()

    # --- idle workers stop --------------------------------------------------------------

    def _make_idle(self, worker: Worker) -> None:
        """Put ``worker`` with the idle ones; it stops if it stays there (lock held)."""
        worker.idle_since = time.monotonic()
        self._idle.append(worker)
        if self.idle_limit is not None and self._reaper is None:
            self._reaper = threading.Thread(target=self._retire, name="photodesk-idle", daemon=True)
            self._reaper.start()

    def _retire(self) -> None:
        """Stop each worker that has been idle for ``idle_limit`` seconds, until closed.

        The most recently used worker is taken first by the next call, so under steady
        work the others go idle and stop, and the pool shrinks to what the work needs.
        """
        assert self.idle_limit is not None
        while True:
            with self._changed:
                if self._closed:
                    return
                now = time.monotonic()
                expired = [w for w in self._idle if now - w.idle_since >= self.idle_limit]
                for worker in expired:
                    self._idle.remove(worker)
                    self._all.discard(worker)
                    self.retired += 1
                if not expired:
                    oldest = min((w.idle_since for w in self._idle), default=now)
                    self._changed.wait(max(0.05, oldest + self.idle_limit - now))
            for worker in expired:
                worker.stop()

    def _discard(self, worker: Worker, why: str) -> None:
        LOG.warning("%s; the worker is replaced", why)
        worker.stop()
        with self._changed:
            self._all.discard(worker)
            self.replaced += 1
            self._changed.notify_all()
