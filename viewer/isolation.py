"""Work on users' files in worker processes, so that no file can hang or crash the app.

A thread of the app's pool hands a function and its arguments to an idle worker process
and waits for the answer at most ``time_limit`` seconds. A worker that overruns is
killed and replaced (a decoder caught in a loop stops using the CPU at once); one that
dies (a decoder's crash in C) is replaced too, and the file is reported as the cause.
Everything else, results and the project's own errors, comes back as it would from a
direct call.

Workers are spawned (a fresh interpreter, never a fork of the app with its Qt threads)
and talk over plain pipes; they load Pillow and the readers once, when started, which
the app does in the background as the window opens. No Qt here.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from viewer.errors import PhotoDeskError, TimeLimitError

if TYPE_CHECKING:
    import multiprocessing.connection
    from multiprocessing.process import BaseProcess

LOG = logging.getLogger("photodesk")


# What a worker loads while the app starts, so that the first photo does not wait for it.
PRELOAD = (
    "PIL.Image",
    "PIL.JpegImagePlugin",
    "PIL.PngImagePlugin",
    "viewer.imaging.pixels",
    "viewer.imaging.compact",
    "viewer.metadata.reader",
)


def preload() -> None:
    """Import what the work needs (run in a worker)."""
    for name in PRELOAD:
        importlib.import_module(name)


class WorkerCrashError(PhotoDeskError):
    """The process reading a file died: the file most likely crashed its decoder."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}: reading this file made the decoder stop unexpectedly")
        self.what = what

    def __reduce__(self) -> tuple[Any, ...]:
        return (WorkerCrashError, (self.what,))


def _serve(
    requests: multiprocessing.connection.Connection, replies: multiprocessing.connection.Connection
) -> None:
    """A worker's life: run what it is sent, send back the result or the exception."""
    while True:
        try:
            function, args = requests.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            reply: tuple[str, Any] = ("ok", function(*args))
        except Exception as exc:  # sent back; the caller raises it in its own thread
            reply = ("error", (exc, traceback.format_exc()))
        try:
            replies.send(reply)
        except Exception as exc:  # an unpicklable result or exception
            failure = PhotoDeskError(f"the answer could not be sent: {exc}")
            replies.send(("error", (failure, "")))


class _Worker:
    """One process and two one-way pipes (plain pipes: no socket is ever made)."""

    def __init__(self, context: Any) -> None:
        requests, self.requests = context.Pipe(duplex=False)
        self.replies, replies = context.Pipe(duplex=False)
        self.process: BaseProcess = context.Process(
            target=_serve, args=(requests, replies), daemon=True
        )
        self.process.start()
        requests.close()
        replies.close()

    def stop(self) -> None:
        """Kill it: a worker holds nothing worth waiting for."""
        for end in (self.requests, self.replies):
            with contextlib.suppress(OSError):
                end.close()
        self.process.kill()
        self.process.join(timeout=2)


class ProcessPool:
    """Up to ``size`` worker processes, shared by the threads of the app's task pool.

    Owners call :meth:`close` when they go away; it stops every worker.
    """

    def __init__(self, size: int, time_limit: float, *, warm: bool = False) -> None:
        """``size`` workers at most, each call bounded by ``time_limit`` seconds unless it
        says otherwise; ``warm`` starts them at once (see :meth:`warm_up`)."""
        self.size = max(1, size)
        self.time_limit = time_limit
        self._context: Any = None  # multiprocessing is loaded with the first worker
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()  # idle and busy, so that closing stops them all
        self._started = 0
        self._closed = False
        self._changed = threading.Condition()
        self.replaced = 0  # workers killed or lost, for tests and the log
        self._warming = False
        self._ready = False
        if warm:
            self.warm_up()

    def warm_up(self) -> None:
        """Start the workers (in a thread); until they are ready, calls run in the caller's
        thread. The app calls this once its first photo is on screen: start-up does not
        wait for worker processes, and everything after it is read in them."""
        with self._changed:
            if self._warming:
                return
            self._warming = True
        threading.Thread(target=self._warm, name="photodesk-warm-up", daemon=True).start()

    def is_ready(self) -> bool:
        """True once work goes to worker processes (before: in the caller's thread)."""
        return self._ready

    def _warm(self) -> None:
        try:
            workers = [self._acquire() for _ in range(self.size)]
        except PhotoDeskError:
            return  # closed before it was warm
        problem = ""
        for worker in workers:
            try:
                worker.requests.send((preload, ()))
                status, value = worker.replies.recv()
                if status != "ok":
                    problem = f"{value[0]!r}"
            except (OSError, EOFError) as exc:
                problem = f"the process ended ({type(exc).__name__})"
        if problem:
            # Work goes on in threads (with their time limits), as before the warm-up.
            LOG.error("worker processes could not start: %s", problem)
            for worker in workers:
                self._discard(worker, "a worker that could not start")
            return
        for worker in workers:
            self._release(worker)
        self._ready = True
        LOG.info("%d worker processes ready", len(workers))

    def call(
        self, what: str, function: Callable[..., Any], *args: Any, time_limit: float | None = None
    ) -> Any:
        """``function(*args)`` in a worker process; its result, or its exception raised here.

        Raises:
            TimeLimitError: it took longer than ``time_limit`` (the pool's by default).
            WorkerCrashError: the worker died while running it.
            PhotoDeskError: the pool is closed.
        """
        if not self._ready:
            return function(*args)  # still starting: the caller's thread (and time limit)
        limit = self.time_limit if time_limit is None else time_limit
        worker = self._acquire()
        try:
            worker.requests.send((function, args))
            if not worker.replies.poll(limit):
                self._discard(worker, f"{what}: killed after {limit:g} s")
                raise TimeLimitError(what, limit)
            status, value = worker.replies.recv()
        except (EOFError, OSError) as exc:
            if self._closed:  # stopped by close(), not by the file
                raise PhotoDeskError("Photo Desk is closing") from None
            self._discard(worker, f"{what}: the worker died ({type(exc).__name__})")
            raise WorkerCrashError(what) from None
        self._release(worker)
        if status == "ok":
            return value
        error, trace = value
        if not isinstance(error, PhotoDeskError | OSError):
            LOG.error("unexpected error in a worker process (%s)\n%s", what, trace)
        raise error

    def close(self) -> None:
        """Stop every worker, busy ones too (their callers get WorkerCrashError); calls
        after this raise. Workers hold nothing worth waiting for (the thumbnail cache is
        written by rename), so they are stopped at once."""
        with self._changed:
            self._closed = True
            workers, self._all, self._idle = set(self._all), set(), []
            self._changed.notify_all()
        for worker in workers:
            worker.stop()

    def _acquire(self) -> _Worker:
        with self._changed:
            while True:
                if self._closed:
                    raise PhotoDeskError("Photo Desk is closing")
                if self._idle:
                    return self._idle.pop()
                if self._started < self.size:
                    self._started += 1
                    break
                self._changed.wait()
        try:
            worker = _Worker(self._spawner())
        except Exception:
            with self._changed:
                self._started -= 1
                self._changed.notify()
            raise
        with self._changed:
            self._all.add(worker)
        return worker

    def _spawner(self) -> Any:
        # Spawned, not forked: a fork of a process running Qt's threads can inherit a
        # held lock; the fork server would talk over a Unix socket, and Photo Desk opens
        # no socket of any kind. A new worker is ready in about 60 ms here.
        if self._context is None:
            import multiprocessing  # noqa: PLC0415 - not at start-up

            self._context = multiprocessing.get_context("spawn")
        return self._context

    def _release(self, worker: _Worker) -> None:
        with self._changed:
            if self._closed:
                closing = True
            else:
                closing = False
                self._idle.append(worker)
                self._changed.notify()
        if closing:
            worker.stop()

    def _discard(self, worker: _Worker, why: str) -> None:
        LOG.warning("%s; the worker is replaced", why)
        worker.stop()
        with self._changed:
            self._all.discard(worker)
            self._started -= 1
            self.replaced += 1
            self._changed.notify()
