"""One worker process: its pipes, its command line, and a worker started and stopped."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from tests.processes import loaded_modules, wait_for_no_workers, worker_processes
from viewer.errors import PhotoDeskError
from viewer.worker_process import WORKER_FLAG, Worker, _Channel, _worker_command


def test_a_message_larger_than_the_pipe_arrives_whole() -> None:
    reading, writing = os.pipe()
    sender, receiver = _Channel(writing), _Channel(reading)
    message = {"pixels": bytes(range(256)) * 4096, "name": "IMG_1.jpg"}  # 1 MiB, > 64 KiB
    writer = threading.Thread(target=sender.send, args=(message,))
    writer.start()
    assert receiver.poll(5.0)
    assert receiver.recv() == message
    writer.join()
    sender.close()
    assert receiver.poll(0.0), "the writer gone is something to read: the end"
    with pytest.raises(EOFError):
        receiver.recv()
    receiver.close()


def test_nothing_to_read_is_a_timeout_and_a_closed_end_an_oserror() -> None:
    reading, writing = os.pipe()
    sender, receiver = _Channel(writing), _Channel(reading)
    assert not receiver.poll(0.05)
    receiver.close()
    receiver.close()  # twice is harmless
    with pytest.raises(OSError, match="closed"):
        receiver.recv()
    sender.close()


def test_from_source_a_worker_runs_this_interpreter_with_the_apps_import_path() -> None:
    command = _worker_command(7, 9)
    assert command[0] == sys.executable
    assert command[-2:] == ["7", "9"]
    assert command[-3].split("\n") == sys.path
    assert WORKER_FLAG not in command


def test_a_frozen_app_starts_its_workers_as_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert _worker_command(7, 9) == [sys.executable, WORKER_FLAG, "7", "9"]


def test_a_worker_answers_and_stops_when_told() -> None:
    worker = Worker(None)
    try:
        assert worker.pid in worker_processes()
        reply = worker.ask(loaded_modules, (), {}, 30.0)
        assert reply is not None and reply[0] == "ok"
        assert "viewer.worker_process" in reply[1] and "PySide6" not in reply[1]
        error = worker.ask(int, ("not a number",), {}, 30.0)
        assert error is not None and error[0] == "error", "an exception comes back as one"
        assert isinstance(error[1][0], ValueError)
        assert not isinstance(error[1][0], PhotoDeskError)
    finally:
        worker.stop()
    assert not wait_for_no_workers(1.0)
