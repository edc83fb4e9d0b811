"""One worker process of :mod:`viewer.isolation`: how it is started and how it talks.

A worker is a fresh interpreter (never a fork of the app with its Qt threads) that
imports only this module and what its tasks need. It talks over two plain one-way pipes,
each message a pickle after its length; pixels follow their message as they are, outside
pickle (:mod:`viewer.imaging.raw`). A frozen app starts its workers as itself with
:data:`WORKER_FLAG` (main.py turns such a process into a worker); on Windows, where a
pipe cannot be inherited as a plain descriptor, :mod:`multiprocessing`'s spawn starts
them. No Qt here.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import pickle
import select
import struct
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from viewer.errors import PhotoDeskError
from viewer.imaging.raw import attach, detach

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

WORKER_FLAG = "--photodesk-worker"  # a frozen app started with it becomes a worker (main.py)


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
            if waiter.poll(max(0, math.ceil((deadline - time.monotonic()) * 1000))):
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
    "from viewer.worker_process import worker_main; sys.exit(worker_main(*sys.argv[2:]))"
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


class Worker:
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
