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
its memory back; the next piece of work starts one again. Workers are fresh interpreters
(never a fork of the app with its Qt threads) that import only this module and what their
tasks need; they talk over two plain pipes, each message a pickle after its length. On
Windows they are started by :mod:`multiprocessing`'s spawn instead. Decoding is held to a
memory budget checked from the file's header; a picture that needs more waits for the
large-decode lane, which lets one such decode run at a time
(:meth:`ProcessPool.call_within_budget`). No Qt here.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from viewer.errors import OverBudgetError, PhotoDeskError, TimeLimitError
from viewer.imaging.memory import DECODE_BUDGET, LARGE_DECODE_BUDGET
from viewer.imaging.raw import attach, detach

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

LOG = logging.getLogger("photodesk")

# What a worker loads before its first task: the first photo needs Pillow and the
# decoder. The worker started with the app loads the metadata readers too, while the
# window is being built (the first photo's details would otherwise wait for them);
# a worker started later loads them with its first metadata request.
PRELOAD = ("PIL.Image", "PIL.JpegImagePlugin", "viewer.imaging.pixels")
FIRST_PRELOAD = ("viewer.metadata.reader", "exifread", "defusedxml.ElementTree")
START_LIMIT = 30.0  # seconds a new worker may take to be ready (a cold disk, a slow CI)
IDLE_LIMIT = 3.0  # seconds an idle worker is kept before it stops and frees its memory
WORKER_FLAG = "--photodesk-worker"  # a frozen app started with it becomes a worker (main.py)


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


class _Pipe(Protocol):
    """One end of a one-way message pipe: a :class:`_Channel`, or multiprocessing's own."""

    def send(self, message: Any) -> None: ...
    def recv(self) -> Any: ...
    def poll(self, timeout: float) -> bool: ...
    def fileno(self) -> int: ...
    def close(self) -> None: ...


class _Channel:
    """One end of a plain pipe carrying pickled messages, each after its length (8 bytes)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def send(self, message: Any) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        _write_all(self.fileno(), struct.pack("!Q", len(data)))
        _write_all(self.fileno(), data)

    def recv(self) -> Any:
        (size,) = struct.unpack("!Q", _read_all(self.fileno(), 8))
        return pickle.loads(_read_all(self.fileno(), size))  # our own worker's

    def poll(self, timeout: float) -> bool:
        """True once there is something to read (or the writer has gone) within ``timeout``."""
        waiter = select.poll()
        waiter.register(self.fileno(), select.POLLIN)
        deadline = time.monotonic() + timeout
        while True:
            if waiter.poll(max(0, int((deadline - time.monotonic()) * 1000))):
                return True
            if time.monotonic() >= deadline:
                return False

    def fileno(self) -> int:
        """The pipe's descriptor.

        Raises:
            OSError: the pipe was closed (by :meth:`ProcessPool.close`, from another thread).
        """
        if self._fd < 0:
            raise OSError(errno.EBADF, "the pipe to the worker is closed")
        return self._fd

    def close(self) -> None:
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)


def worker_main(requests_fd: str, replies_fd: str) -> int:
    """A worker process's entry point (see :func:`_worker_command`).

    It serves until the app closes its end of the requests pipe.
    """
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C in the app's terminal
        _serve(_Channel(int(requests_fd)), _Channel(int(replies_fd)))
    return 0


_SOURCE_WORKER = (
    "import sys; sys.path[:] = sys.argv[1].split('\\n'); "
    "from viewer.isolation import worker_main; sys.exit(worker_main(*sys.argv[2:]))"
)


def _worker_command(requests_fd: int, replies_fd: int) -> list[str]:
    """The command line of a worker that reads ``requests_fd`` and answers on ``replies_fd``.

    A frozen app is started again with :data:`WORKER_FLAG` (main.py turns it into a worker);
    from source, the same interpreter with the same flags and import path runs
    :func:`worker_main`, and imports nothing else until its first task.
    """
    fds = [str(requests_fd), str(replies_fd)]
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_FLAG, *fds]
    flags = sys.flags
    options = [
        option
        for option, wanted in (
            ("-B", flags.dont_write_bytecode),
            ("-E", flags.ignore_environment),
            ("-s", flags.no_user_site),
            ("-I", flags.isolated),
            ("-O", flags.optimize >= 1),
            ("-OO", flags.optimize >= 2),
        )
        if wanted
    ]
    return [sys.executable, *options, "-c", _SOURCE_WORKER, "\n".join(sys.path), *fds]


def _serve(requests: _Pipe, replies: _Pipe) -> None:
    """A worker's life: run what it is sent, send back the result or the exception."""
    while True:
        try:
            function, args, kwargs = requests.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            result = function(*args, **kwargs)
            reply: tuple[str, Any] = ("ok", result)
        except Exception as exc:  # sent back; the caller raises it in its own thread
            result = None
            reply = ("error", (exc, traceback.format_exc()))
        detached = detach(result)
        if detached is not None:
            # Pixels go down the pipe as they are, after the rest: never pickled, so the
            # app holds them once.
            skeleton, buffers = detached
            replies.send(("raw", (skeleton, [len(buffer) for buffer in buffers])))
            for buffer in buffers:
                _write_all(replies.fileno(), buffer)
            continue
        try:
            replies.send(reply)
        except Exception as exc:  # an unpicklable result or exception
            failure = PhotoDeskError(f"the answer could not be sent: {exc}")
            replies.send(("error", (failure, "")))


def _write_all(fd: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_all(fd: int, size: int) -> bytearray:
    """Exactly ``size`` bytes from a pipe, read straight into the buffer that keeps them.

    Raises:
        EOFError: the writer died first.
    """
    buffer = bytearray(size)
    view = memoryview(buffer)
    with open(fd, "rb", buffering=0, closefd=False) as stream:
        while view:
            count = stream.readinto(view)
            if not count:
                raise EOFError("the worker stopped while sending pixels")
            view = view[count:]
    return buffer


class _Worker:
    """One process and two one-way pipes (plain pipes: no socket is ever made)."""

    def __init__(self, context: Any) -> None:
        self.idle_since = 0.0
        self._popen: subprocess.Popen[bytes] | None = None
        self._process: BaseProcess | None = None
        self.requests: _Pipe
        self.replies: _Pipe
        if context is None:
            self._start_here()
        else:
            self._start_spawned(context)

    def _start_here(self) -> None:
        """Start it as a plain child process (POSIX).

        It inherits the two pipe ends it uses, nothing else, and needs no helper process
        of multiprocessing's.
        """
        theirs: list[int] = []
        try:
            requests_in, requests_out = os.pipe()
            theirs.append(requests_in)
            self.requests = _Channel(requests_out)
            replies_in, replies_out = os.pipe()
            theirs.append(replies_out)
            self.replies = _Channel(replies_in)
            self._popen = subprocess.Popen(
                _worker_command(requests_in, replies_out),
                stdin=subprocess.DEVNULL,
                pass_fds=theirs,
            )
        except BaseException:
            self.stop()
            raise
        finally:
            for fd in theirs:
                os.close(fd)

    def _start_spawned(self, context: Any) -> None:
        """Start it with multiprocessing's spawn (Windows: no plain descriptors to inherit)."""
        requests, self.requests = context.Pipe(duplex=False)
        self.replies, replies = context.Pipe(duplex=False)
        self._process = context.Process(target=_serve, args=(requests, replies), daemon=True)
        self._process.start()
        requests.close()
        replies.close()

    @property
    def pid(self) -> int | None:
        """The worker's process id (None before it has started)."""
        process = self._popen or self._process
        return process.pid if process is not None else None

    def ask(self, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
            limit: float) -> tuple[str, Any] | None:  # fmt: skip
        """Send one task; its reply, or None when it did not come within ``limit``.

        Raises:
            EOFError, OSError: the process died or its pipes were closed.
        """
        self.requests.send((function, args, kwargs))
        if not self.replies.poll(limit):
            return None
        reply: tuple[str, Any] = self.replies.recv()
        if reply[0] == "raw":
            skeleton, sizes = reply[1]
            buffers = [_read_all(self.replies.fileno(), size) for size in sizes]
            return ("ok", attach(skeleton, buffers))
        return reply

    def stop(self) -> None:
        """Kill it: a worker holds nothing worth waiting for."""
        for end in ("requests", "replies"):
            pipe = getattr(self, end, None)
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        if self._popen is not None:
            self._popen.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._popen.wait(timeout=2)
        elif self._process is not None:
            self._process.kill()
            self._process.join(timeout=2)


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
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()  # starting, idle and busy: closing stops them all
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

    def _launch(self, modules: tuple[str, ...]) -> tuple[_Worker | None, str]:
        """A new worker that has loaded what it needs, or what went wrong."""
        worker: _Worker | None = None
        try:
            worker = _Worker(self._spawner())
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

    def _acquire(self) -> _Worker | None:
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

    def _release(self, worker: _Worker) -> None:
        with self._changed:
            closing = self._closed
            if not closing:
                self._make_idle(worker)
                self._changed.notify_all()
        if closing:
            worker.stop()

    # --- idle workers stop --------------------------------------------------------------

    def _make_idle(self, worker: _Worker) -> None:
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

    def _discard(self, worker: _Worker, why: str) -> None:
        LOG.warning("%s; the worker is replaced", why)
        worker.stop()
        with self._changed:
            self._all.discard(worker)
            self.replaced += 1
            self._changed.notify_all()
